"""The business-model chapter (02_business_model): facts in ``facts.py``, words in ``story.md.j2``, exercises in ``exercises.yml``."""
