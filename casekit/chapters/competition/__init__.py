"""The competition chapter (04_competition): facts in ``facts.py``, words in ``story.md.j2`` and ``_words.md.j2``, exercises in ``exercises.yml``."""
