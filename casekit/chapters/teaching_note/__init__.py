"""The teaching note (teaching_note.ipynb, instructors only): facts in ``facts.py``, words in ``story.md.j2`` and ``guide.md``."""
