"""Parameter validation, as the notebooks and the build use it."""
from __future__ import annotations

import pytest

from casekit.errors import ParameterError
from casekit.notebooks import find, parse_parameters
from casekit.params import data_years, from_namespace, validate


def test_annotated_parameters_are_parsed_with_type_default_and_help():
    parsed = parse_parameters('start_year: int = 1999  # first year shown\nrivals: list = ["eBay"]  # who\nplain = "x"\n')
    assert parsed["start_year"].type == "int" and parsed["start_year"].default == 1999
    assert parsed["start_year"].help == "first year shown"
    assert parsed["rivals"].default == ["eBay"] and parsed["plain"].type == "str"


def test_defaults_validate_and_entity_names_become_canonical():
    params = validate("competition", {"rivals": ["jd", "EBAY"], "arena": "payments"})
    assert params["rivals"] == ["JD.com", "eBay"]
    assert validate("business_model", {"focus": "1688"})["focus"] == "1688.com"
    assert validate("business_model", {"focus": 1688})["focus"] == "1688.com", "papermill reads 1688 as a number"


@pytest.mark.parametrize("values, message", [
    ({"colour": "red"}, "unknown parameter 'colour' for history"),
    ({"start_year": "1999"}, "start_year: expected int, got str '1999'"),
    ({"start_year": True}, "start_year: expected int, got a boolean True"),
    ({"start_year": 1900}, "start_year: 1900 is outside the data (allowed: "),
    ({"start_year": 2012, "end_year": 2010}, "start_year 2012 is after end_year 2010 (allowed: start_year <= end_year)"),
    ({"themes": []}, "themes: the list is empty"),
    ({"themes": "fintech"}, "themes: expected list, got str 'fintech'"),
    ({"min_reliability": "very"}, "min_reliability: 'very' is not allowed (allowed: low, medium, high)"),
    ({"course": "x" * 300}, "course: text is 300 characters long (allowed: up to 200)"),
])
def test_bad_values_name_the_parameter_and_what_is_allowed(values, message):
    with pytest.raises(ParameterError) as error:
        validate("history", values)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_focus_must_be_a_business_the_case_covers():
    with pytest.raises(ParameterError, match=r"focus: 'JD' is not allowed \(allowed: Taobao, Tmall"):
        validate("business_model", {"focus": "JD"})


def test_in_the_kernel_unknown_injected_names_are_caught_once_and_reruns_work():
    namespace = {name: p.default for name, p in find("history").parameters.items()}
    namespace.update({"In": [], "get_ipython": print, "_": None})
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        from_namespace("history", {**namespace, "colour": "red"})
    first = from_namespace("history", namespace)
    namespace.update(case=object(), events=[1, 2], start_year=2005)  # the notebook's own variables, then an edit
    again = from_namespace("history", namespace)
    assert again["start_year"] == 2005 and first["start_year"] == data_years()[0]
