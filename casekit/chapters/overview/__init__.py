"""The overview chapter (00_overview): facts in ``facts.py``, words in ``story.md.j2``, exercises in ``exercises.yml``."""
