"""UWES-9 and generic instruments: scoring, missing items, definitions as data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import emessi
from emessi.errors import DomainError, EmessiError, ResearchError, UsageError
from emessi.research import UWES9, Answer, Instrument, InstrumentResponse, Subscale

T0 = datetime(2014, 1, 1, tzinfo=UTC)


def test_uwes9_structure_follows_schaufeli_and_bakker():
    """Vigour is items 1, 2, 5; dedication 3, 4, 7; absorption 6, 8, 9; answers 0-6."""
    assert UWES9.scale_items("vigour") == ("q1", "q2", "q5")
    assert UWES9.scale_items("dedication") == ("q3", "q4", "q7")
    assert UWES9.scale_items("absorption") == ("q6", "q8", "q9")
    assert (UWES9.minimum, UWES9.maximum) == (0, 6)
    assert UWES9.scales == ("vigour", "dedication", "absorption", "total")


def test_uwes9_complete_answers_hand_computed():
    """Every item answered: subscale and total scores are item means."""
    answers = {"q1": 4, "q2": 5, "q3": 6, "q4": 2, "q5": 3, "q6": 0, "q7": 1, "q8": 6, "q9": 3}
    # vigour (4+5+3)/3 = 4, dedication (6+2+1)/3 = 3, absorption (0+6+3)/3 = 3,
    # total 30/9 = 3.333...
    assert UWES9.score(answers) == {
        "vigour": 4.0,
        "dedication": 3.0,
        "absorption": 3.0,
        "total": pytest.approx(30 / 9),
    }


def test_uwes9_one_missing_item_per_subscale_still_scores():
    """One of three items missing: the subscale is the mean of the other two."""
    answers = {"q1": 4, "q2": 5, "q3": 6, "q4": 3, "q6": 1, "q8": 2, "q9": 6}
    # q5 and q7 missing: 7 of 9 answered; vigour (4+5)/2, dedication (6+3)/2,
    # absorption (1+2+6)/3, total 27/7
    assert UWES9.score(answers) == {
        "vigour": 4.5,
        "dedication": 4.5,
        "absorption": 3.0,
        "total": pytest.approx(27 / 7),
    }


def test_uwes9_two_missing_items_in_a_subscale_leave_it_unscored():
    """Two of three vigour items missing: no vigour score; 7 answered: a total."""
    answers = {"q1": 2, "q3": 6, "q4": 3, "q7": 3, "q6": 1, "q8": 2, "q9": 4}
    scores = UWES9.score(answers)
    assert scores["vigour"] is None
    assert scores["dedication"] == 4.0
    assert scores["absorption"] == pytest.approx(7 / 3)
    assert scores["total"] == pytest.approx(21 / 7)


def test_uwes9_three_missing_items_leave_no_total():
    """Only 6 of 9 answered: subscales may score, the total does not."""
    answers = {"q1": 6, "q2": 6, "q3": 0, "q4": 0, "q6": 3, "q8": 3}
    assert UWES9.score(answers) == {
        "vigour": 6.0,
        "dedication": 0.0,
        "absorption": 3.0,
        "total": None,
    }


def test_uwes9_no_answers_scores_nothing():
    """An empty response has no score at all."""
    assert set(UWES9.score({}).values()) == {None}


@pytest.mark.parametrize(("answers", "path"), [({"q1": 7}, "value"), ({"q1": -1}, "value")])
def test_answers_outside_the_range_are_refused(answers, path):
    """UWES-9 answers are 0-6; the error names the item, not the value."""
    with pytest.raises(ResearchError) as info:
        UWES9.score(answers)
    assert info.value.path == f"answers[0].{path}"
    assert "7" not in info.value.message.replace("0-6", "")


def test_unknown_item_is_refused():
    """An item the instrument does not have is an error with its path."""
    with pytest.raises(ResearchError, match="not an item") as info:
        UWES9.check({"q1": 3, "q10": 2})
    assert info.value.path == "answers[1].item"


def test_a_boolean_is_not_an_answer():
    """True is not 1: a wrong type, a UsageError (a ResearchError until 0.1)."""
    with pytest.raises(UsageError) as info:
        Answer("q1", True)
    assert info.value.path == "value"


def test_answers_are_sorted_and_an_item_answered_twice_is_refused():
    """Answers compare equal whatever the recording order; duplicates are errors."""
    a = InstrumentResponse("p-1", "uwes-9", "pre", T0, [Answer("q2", 1), Answer("q1", 2)])
    b = InstrumentResponse("p-1", "uwes-9", "pre", T0, {"q1": 2, "q2": 1})
    assert a == b
    with pytest.raises(ResearchError, match="twice"):
        InstrumentResponse("p-1", "uwes-9", "pre", T0, [Answer("q1", 1), Answer("q1", 2)])


def test_reversed_items_are_recoded():
    """A reversed item counts as minimum + maximum - value."""
    scale = Instrument("s", "S", ("a", "b", "c"), minimum=1, maximum=5, reversed_items=("c",))
    # a=5, b=4, c=1 -> 5 + 1 - 1 = 5: mean (5+4+5)/3
    assert scale.score({"a": 5, "b": 4, "c": 1}) == {"total": pytest.approx(14 / 3)}


def test_min_answered_defaults_to_every_item():
    """Without a missing-item policy a scale needs all its items."""
    scale = Instrument("s", "S", ("a", "b"), minimum=0, maximum=4, subscales=[Subscale("x", ["a"])])
    assert scale.score({"a": 2}) == {"x": 2.0, "total": None}


def test_answered_counts_items_of_a_scale():
    """answered() counts only the scale's items."""
    assert UWES9.answered({"q1": 1, "q2": 2, "q3": 3}, "vigour") == 2
    assert UWES9.answered({"q1": 1, "q2": 2, "q3": 3}, "total") == 3


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"items": ()}, "items"),
        ({"minimum": 5, "maximum": 5}, "maximum"),
        ({"items": ("a", "a")}, "items[1]"),
        ({"subscales": [Subscale("x", ["zz"])]}, "subscales[0].items[0]"),
        ({"subscales": [Subscale("x", ["a"]), Subscale("x", ["b"])]}, "subscales[1].id"),
        ({"reversed_items": ("zz",)}, "reversed_items[0]"),
        ({"total_min_answered": 3}, "total_min_answered"),
        ({"total_min_answered": 0}, "total_min_answered"),
    ],
)
def test_contradictory_instruments_are_refused(kwargs, path):
    """An instrument that contradicts itself raises with the path of the problem."""
    fields = {"id": "s", "name": "S", "items": ("a", "b"), "minimum": 0, "maximum": 4} | kwargs
    with pytest.raises(EmessiError) as info:
        Instrument(**fields)
    assert info.value.path == path


def test_subscale_checks():
    """A subscale needs items, a reachable minimum and a name other than total."""
    with pytest.raises(ResearchError):
        Subscale("x", [])
    with pytest.raises(ResearchError):
        Subscale("x", ["a"], min_answered=2)
    with pytest.raises(ResearchError):
        Subscale("total", ["a"])
    with pytest.raises(DomainError):
        Subscale("x", ["not an id"])


def test_unknown_scale_is_an_error():
    """Asking for a scale the instrument lacks names the scales it has."""
    with pytest.raises(ResearchError, match="vigour, dedication"):
        UWES9.scale_items("energy")


def test_an_instrument_is_data_loaded_from_toml_and_json():
    """Another scale is a document: the same converter loads it from TOML or JSON."""
    toml = """
format = "emessi/instrument"
version = 1
id = "pulse"
name = "Team pulse"
items = ["i1", "i2", "i3", "i4"]
minimum = 1
maximum = 5
total_min_answered = 3
reversed_items = ["i4"]

[[subscales]]
id = "energy"
items = ["i1", "i2"]
min_answered = 1
"""
    pulse = emessi.loads(toml, Instrument, syntax="toml")
    assert pulse.score({"i1": 5, "i3": 3, "i4": 2}) == {
        "energy": 5.0,
        "total": pytest.approx((5 + 3 + 4) / 3),
    }
    assert emessi.loads(emessi.dumps(pulse)) == pulse
    assert emessi.loads(emessi.dumps(UWES9)) == UWES9


def test_a_damaged_instrument_document_lists_problems_with_paths():
    """A bad instrument document raises a DocumentError with paths."""
    data = json.loads(emessi.dumps(UWES9))
    data["subscales"][0]["items"] = ["q1", "q99"]
    with pytest.raises(emessi.errors.DocumentError) as info:
        emessi.from_data(data)
    assert info.value.problems[0].path == "$.subscales[0].items[1]"


@given(
    st.dictionaries(
        st.sampled_from(UWES9.items), st.integers(UWES9.minimum, UWES9.maximum), max_size=9
    )
)
def test_uwes9_scores_stay_in_range_and_follow_the_policy(answers):
    """Any valid answers score within 0-6, and a scale scores iff enough items are answered."""
    scores = UWES9.score(answers)
    for scale in UWES9.scales:
        answered = sum(item in answers for item in UWES9.scale_items(scale))
        needed = 7 if scale == "total" else 2
        assert (scores[scale] is not None) == (answered >= needed)
        if scores[scale] is not None:
            assert 0 <= scores[scale] <= 6
