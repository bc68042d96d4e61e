"""The fintech chapter (03_fintech): facts in ``facts.py``, words in ``story.md.j2``, exercises in ``exercises.yml``."""
