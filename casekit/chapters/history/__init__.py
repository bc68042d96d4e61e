"""The history chapter (01_history): facts in ``facts.py``, words in ``story.md.j2``, exercises in ``exercises.yml``."""
