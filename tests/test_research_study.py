"""Study data: consents, feedback records, the emessi/study document, cheap import."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import emessi
from emessi.errors import DocumentError, DomainError, NaiveDatetimeError, ResearchError
from emessi.research import (
    MEETING_FEEDBACK,
    PROGRAMME_FEEDBACK,
    UWES9,
    Consent,
    Instrument,
    InstrumentResponse,
    MeetingFeedback,
    ProgrammeFeedback,
    StudyData,
    consenting,
)
from emessi.testing import texts

T0 = datetime(2014, 1, 20, 9, tzinfo=UTC)
ids = st.integers(0, 30).map(lambda n: f"p-{n:02d}")
moments = st.datetimes(datetime(2010, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC))


def answers_for(instrument: Instrument) -> st.SearchStrategy[dict[str, int]]:
    values = st.integers(instrument.minimum, instrument.maximum)
    return st.dictionaries(st.sampled_from(instrument.items), values)


@st.composite
def studies(draw: st.DrawFn) -> StudyData:
    """Any valid study document: random consents, feedback, comments and responses."""
    consents = []
    for person in draw(st.lists(ids, unique=True)):
        given_on = draw(st.dates(date(2010, 1, 1), date(2030, 1, 1)))
        consents.append(
            Consent(person, given_on, draw(st.none() | st.dates(given_on, date(2200, 12, 31))))
        )
    meeting_keys = draw(st.lists(st.tuples(ids, st.integers(1, 8)), unique=True, max_size=8))
    return StudyData(
        "prog-1",
        consents=consents,
        meeting_feedback=[
            MeetingFeedback(
                person,
                "g-01",
                number,
                draw(moments),
                draw(answers_for(MEETING_FEEDBACK)),
                comment=draw(st.none() | texts()),
            )
            for person, number in meeting_keys
        ],
        programme_feedback=[
            ProgrammeFeedback(
                person, draw(moments), draw(answers_for(PROGRAMME_FEEDBACK)), draw(texts())
            )
            for person in draw(st.lists(ids, unique=True, max_size=5))
        ],
        responses=[
            InstrumentResponse(person, "uwes-9", wave, draw(moments), draw(answers_for(UWES9)))
            for person, wave in draw(
                st.lists(st.tuples(ids, st.sampled_from(["pre", "post"])), unique=True, max_size=8)
            )
        ],
    )


@given(studies(), st.sampled_from(["json", "toml"]))
def test_study_documents_round_trip(study, syntax):
    """loads(dumps(study)) == study, in JSON and TOML."""
    assert emessi.loads(emessi.dumps(study, syntax=syntax), syntax=syntax) == study


@given(studies(), st.dates(date(2009, 1, 1), date(2031, 1, 1)))
def test_only_consenting_keeps_exactly_the_consenting(study, day):
    """only_consenting() keeps the records of people whose consent is in force, and only those."""
    kept = study.only_consenting(day)
    allowed = study.consenting(day)
    records = (*kept.meeting_feedback, *kept.programme_feedback, *kept.responses)
    assert {r.person for r in records} <= allowed
    dropped = len(study.responses) - len(kept.responses)
    assert dropped == sum(r.person not in allowed for r in study.responses)


def test_consent_is_in_force_from_given_until_withdrawn():
    """The day consent is given counts; the day it is withdrawn does not."""
    consent = Consent("p-1", date(2014, 1, 1), withdrawn=date(2014, 6, 1))
    assert not consent.in_force(date(2013, 12, 31))
    assert consent.in_force(date(2014, 1, 1))
    assert consent.in_force(date(2014, 5, 31))
    assert not consent.in_force(date(2014, 6, 1))


def test_consent_given_again_after_withdrawal_counts():
    """A second consent after a withdrawal puts the person back in."""
    consents = [
        Consent("p-1", date(2014, 1, 1), withdrawn=date(2014, 3, 1)),
        Consent("p-1", date(2014, 5, 1)),
    ]
    assert consenting(consents, date(2014, 4, 1)) == frozenset()
    assert consenting(consents, date(2014, 6, 1)) == {"p-1"}


def test_consent_cannot_be_withdrawn_before_given():
    """A withdrawal before the consent is refused with its path."""
    with pytest.raises(DomainError) as info:
        Consent("p-1", date(2014, 1, 1), withdrawn=date(2013, 1, 1))
    assert info.value.path == "withdrawn"


def test_feedback_needs_an_aware_time_and_hides_its_comment():
    """Feedback times are timezone-aware; the comment never shows in a repr."""
    with pytest.raises(NaiveDatetimeError):
        MeetingFeedback("p-1", "g-1", 1, datetime(2014, 1, 1))
    feedback = MeetingFeedback("p-1", "g-1", 1, T0, {"useful": 4}, comment="Aino is exhausted")
    assert "exhausted" not in repr(feedback)
    assert "comment=<hidden>" in repr(feedback)


def test_answers_are_checked_against_the_form():
    """A study refuses feedback outside the form's range or with unknown items."""
    with pytest.raises(ResearchError) as info:
        StudyData("s", meeting_feedback=[MeetingFeedback("p-1", "g-1", 1, T0, {"useful": 6})])
    assert info.value.path == "meeting_feedback[0].answers[0].value"
    with pytest.raises(ResearchError) as info:
        StudyData("s", programme_feedback=[ProgrammeFeedback("p-1", T0, {"q1": 3})])
    assert info.value.path == "programme_feedback[0].answers[0].item"


def test_duplicates_and_unknown_instruments_are_refused():
    """One response per person, instrument and wave; one feedback per person and meeting."""
    response = InstrumentResponse("p-1", "uwes-9", "pre", T0, {"q1": 1})
    with pytest.raises(ResearchError) as info:
        StudyData("s", responses=[response, response])
    assert info.value.path == "responses[1]"
    feedback = MeetingFeedback("p-1", "g-1", 1, T0)
    with pytest.raises(ResearchError):
        StudyData("s", meeting_feedback=[feedback, feedback])
    with pytest.raises(ResearchError) as info:
        StudyData("s", responses=[InstrumentResponse("p-1", "nope", "pre", T0)])
    assert info.value.path == "responses[0].instrument"
    with pytest.raises(ResearchError):
        StudyData("s", instruments=[UWES9])  # a built-in id


def test_a_study_carries_its_own_instruments():
    """A study's own instrument scores its responses and survives a round trip."""
    pulse = Instrument("pulse", "Pulse", ("a", "b"), minimum=1, maximum=3)
    study = StudyData(
        "s",
        responses=[InstrumentResponse("p-1", "pulse", "w1", T0, {"a": 3, "b": 1})],
        instruments=[pulse],
    )
    assert study.instrument("pulse").score(study.responses[0].answers) == {"total": 2.0}
    assert emessi.loads(emessi.dumps(study)) == study


def test_a_damaged_study_document_lists_problems_with_paths():
    """Loading reports each problem with its path, without values."""
    data = json.loads(
        emessi.dumps(StudyData("s", responses=[InstrumentResponse("p-1", "uwes-9", "pre", T0)]))
    )
    data["responses"][0]["answered"] = "yesterday"
    data["responses"][0]["answers"] = [{"item": "q1", "value": 9}]
    with pytest.raises(DocumentError) as info:
        emessi.from_data(data)
    assert [p.path for p in info.value.problems] == ["$.responses[0].answered"]
    data["responses"][0]["answered"] = (T0 + timedelta(days=1)).isoformat()
    with pytest.raises(DocumentError) as info:
        emessi.from_data(data)
    assert [p.path for p in info.value.problems] == ["$.responses[0].answers[0].value"]


def test_importing_research_is_cheap():
    """import emessi.research loads no optional dependency and registers its formats."""
    code = (
        "import sys, emessi, emessi.research\n"
        "heavy = {'numpy', 'pandas', 'polars', 'matplotlib', 'dask', 'hypothesis', 'icalendar'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "print('emessi/study' in emessi.formats(), 'emessi/instrument' in emessi.formats())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True True"]
