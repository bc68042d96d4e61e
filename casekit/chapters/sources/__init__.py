"""The sources chapter (05_sources): facts in ``facts.py``, words in ``story.md.j2``, exercises in ``exercises.yml``."""
