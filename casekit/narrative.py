"""The case's words: Markdown templates (Jinja2) filled with facts that the chapters compute.

Each chapter keeps its paragraphs in ``casekit/chapters/<chapter>/story.md.j2``, one named block per
paragraph or group of paragraphs::

    {% block founding %}
    Alibaba was founded in {{ founded_years | join_words }}.
    {% endblock %}

A case writer edits that file; the chapter's ``facts.py`` computes the values a block needs and
returns them as plain data. Templates render with ``StrictUndefined``, so a misspelt name fails
loudly instead of printing nothing. The filters are the house style of :mod:`casekit.prose`; the
macros every chapter shares (what an empty run lacks, the "How sure are we?" box) are in
``chapters/_shared.md.j2`` and reachable as ``shared.<macro>``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import CasekitError

CHAPTERS = Path(__file__).parent / "chapters"
SHARED = "_shared.md.j2"
BLANK_LINES = re.compile(r"\n{3,}")


class UnknownStory(CasekitError):
    """A notebook asked for a paragraph its chapter's template does not define."""


@lru_cache(maxsize=1)
def environment():
    import jinja2

    from . import prose

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(CHAPTERS)),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,  # a line holding only {% if %} leaves no blank line behind
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML: values that may hold markup go through the `md` filter
    )
    env.filters.update(prose.FILTERS)
    env.filters.update({name: jinja2.pass_context(function) for name, function in prose.CONTEXT_FILTERS.items()})
    env.globals["span"] = prose.span
    env.globals["shared"] = env.get_template(SHARED).module
    return env


def _bytecode_cache():
    """Compiled templates kept on disk, in a private folder of the temp dir and keyed by each template's
    source: a kernel loads all of them in milliseconds instead of compiling them for a third of a second."""
    import jinja2

    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no safe folder to keep them in: compile every time
        return None


def template_name(chapter: str) -> str:
    return f"{chapter}/story.md.j2"


def stories(chapter: str) -> list[str]:
    """The names of the blocks a chapter's template defines, in file order."""
    return list(environment().get_template(template_name(chapter)).blocks)


def chapters() -> list[str]:
    """The chapters whose words are templates (a folder with a story.md.j2)."""
    return sorted(path.parent.name for path in CHAPTERS.glob("*/story.md.j2"))


def variables(chapter: str, story: str) -> set[str]:
    """The names a block reads from its facts (shared macros and globals excluded): a review aid and a test."""
    from jinja2 import meta, nodes

    env = environment()
    tree = env.parse(env.loader.get_source(env, template_name(chapter))[0])
    block = next(b for b in tree.find_all(nodes.Block) if b.name == story)
    body = nodes.Template(block.body, lineno=block.lineno)
    body.set_environment(env)
    return meta.find_undeclared_variables(body) - set(env.globals)


def render(chapter: str, story: str, facts: dict) -> str:
    """The Markdown of one block of a chapter's template, filled with ``facts``."""
    template = environment().get_template(template_name(chapter))
    if story not in template.blocks:
        raise UnknownStory(f"no story {story!r} in {template_name(chapter)}; the stories are: {', '.join(template.blocks)}")
    text = "".join(template.blocks[story](template.new_context(dict(facts))))
    return tidy(text)


def render_macro(name: str, facts: dict) -> str:
    """The Markdown of one of the shared macros (``_shared.md.j2``), called with ``facts`` as keywords."""
    return tidy(str(getattr(environment().globals["shared"], name)(**facts)))


def render_string(source: str, facts: dict) -> str:
    """A short template held in data (an exercise's message), rendered with the same filters."""
    return tidy(environment().from_string(source).render(**facts))


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank edges."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return BLANK_LINES.sub("\n\n", "\n".join(lines))
