"""Every paragraph template renders for every chapter under several parameter sets, in process and
without a kernel; each block reads exactly the facts its chapter computes."""
from __future__ import annotations

import re

import jinja2
import pytest

import casekit
from casekit import narrative
from casekit.notebooks import find

# Runs that stress the words: defaults, an early and a late period, the strictest and a middle reliability bar,
# and each chapter's own choices (a rival with no figures of its own, a focus, a narrow theme list).
COMMON = {
    "defaults": {},
    "early": {"start_year": 1999, "end_year": 2004},
    "late": {"start_year": 2016, "end_year": 2030},
    "strictest": {"min_reliability": "high"},
    "medium": {"min_reliability": "medium"},
}
OWN = {
    "history": {"one theme": {"themes": ["regulation"]}, "one year": {"start_year": 2013, "end_year": 2013}},
    "competition": {"rival without figures": {"rivals": ["JD.com", "Amazon China"]},
                    "payments": {"arena": "payments", "rivals": ["WeChat Pay", "PayPal"]},
                    "cloud": {"arena": "cloud", "rivals": ["Amazon", "Tencent"]},
                    "local services in one year": {"arena": "local_services", "rivals": ["Meituan"], "start_year": 2013, "end_year": 2013}},
    "business_model": {"other focus": {"focus": "Cainiao"}, "focus with a thin record": {"focus": "Ele.me"},
                       "one year": {"start_year": 2013, "end_year": 2013}},
    "fintech": {"other focus": {"focus": "Yu'e Bao"}, "focus without figures": {"focus": "MYbank"},
                "payments without shares": {"start_year": 2014, "end_year": 2014, "min_reliability": "medium"}},
    "overview": {"instructor, course with markup": {"audience": "instructor", "course": "BUS <b>101</b> & friends"}},
    "sources": {"one year": {"start_year": 2014, "end_year": 2014}, "instructor": {"audience": "instructor"}},
}
LEAKS = re.compile(r"\bnan\b|\bNone\b(?! of)|<NA>|\{\{|\{%|Undefined|\(s\)")


def _runs():
    for chapter in narrative.chapters():
        declared = find(chapter).parameters
        for label, params in {**COMMON, **OWN.get(chapter, {})}.items():
            if set(params) <= set(declared):
                yield pytest.param(chapter, params, id=f"{chapter}-{label}")


def _stories():
    for chapter in narrative.chapters():
        for story in narrative.stories(chapter):
            yield pytest.param(chapter, story, id=f"{chapter}-{story}")


@pytest.mark.parametrize(("chapter", "params"), list(_runs()))
def test_every_story_renders(chapter, params):
    case = casekit.open_case(chapter, dict(params))
    for story in narrative.stories(chapter):
        text = case.story(story).text
        assert text.strip(), f"{story} is empty under {params}"
        assert not LEAKS.search(text), f"{story} under {params}: {LEAKS.search(text)[0]!r} in\n{text}"


@pytest.mark.parametrize(("chapter", "story"), list(_stories()))
def test_each_block_reads_exactly_the_facts_its_chapter_computes(chapter, story):
    case = casekit.open_case(chapter, {})
    facts = getattr(case.chapter, story)(case)
    provided = set(facts) | {"run"}
    needed = narrative.variables(chapter, story)
    assert needed <= provided, f"{story} reads {sorted(needed - provided)}, which facts.{story} does not compute"
    assert set(facts) <= needed, f"facts.{story} computes {sorted(set(facts) - needed)}, which {story} never uses"


def test_a_misspelt_name_fails_loudly():
    with pytest.raises(jinja2.UndefinedError):
        narrative.render_string("Taobao passed eBay in {{ yaer }}.", {"year": 2005})


def test_an_unknown_story_names_the_known_ones():
    case = casekit.open_case("history", {})
    with pytest.raises(narrative.UnknownStory, match="the stories are: run_scope, founding"):
        narrative.render("history", "fonding", {"run": case.run})


def test_end_notes_number_citations_once_in_order_of_use():
    case = casekit.open_case("history", {})
    facts = case.chapter.founding(case)
    text = narrative.render_string("A{{ founded | note }}. B{{ softbank | note }}. C{{ founded | note }}.",
                                   {"endnotes": case._notes, **facts})
    assert [m for m in re.findall(r'href="#casekit-note-(\d)"', text)] == ["1", "2", "1"]
    assert text.count('id="casekit-ref-1"') == 1
    notes = case.endnotes().text
    assert notes.startswith("## Notes")
    assert "1. <span id=\"casekit-note-1\">The Lowrey volume, lines 609 and 2627;" in notes
