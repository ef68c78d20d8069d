"""emessi.testing: the hypothesis strategies platform developers use."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from emessi.model import Group, Meeting, Person, Programme, Role, Theme
from emessi.rules import validate
from emessi.testing import (
    ZONES,
    aware_datetimes,
    groups,
    meetings,
    people,
    programmes,
    texts,
    themes,
)

_SOME = settings(max_examples=max(10, settings.default.max_examples // 3))


def test_zones_are_iana_zones() -> None:
    """Every zone the strategies use is in the IANA database."""
    assert "Europe/Helsinki" in ZONES
    for name in ZONES:
        assert ZoneInfo(name).key == name


@given(texts(1, 10))
def test_texts_are_storable(text: str) -> None:
    """Texts have no lone surrogates, so they encode to UTF-8."""
    assert 1 <= len(text) <= 10
    text.encode("utf-8")


@given(aware_datetimes(2014, 2015))
def test_aware_datetimes_are_aware_and_in_range(moment: datetime) -> None:
    """Datetimes carry a UTC offset and stay within the years asked for."""
    assert moment.utcoffset() is not None
    assert 2013 <= moment.astimezone(ZoneInfo("UTC")).year <= 2016


@given(meetings(4), themes(), people(["o-1", "o-2"]))
def test_small_strategies(meeting: Meeting, theme: Theme, person: Person) -> None:
    """meetings(n) numbers the meeting n; themes and people have ids and titles/names."""
    assert meeting.number == 4
    assert theme.id.startswith("t-")
    assert theme.title_en
    assert person.name
    assert person.organisation in (None, "o-1", "o-2")


@given(groups(person_ids=["p-1", "p-2", "p-3"]))
def test_groups_draw_members_from_the_given_people(group: Group) -> None:
    """groups(person_ids) only uses those people, each once, and numbers meetings 1..n."""
    persons = [m.person for m in group.memberships]
    assert set(persons) <= {"p-1", "p-2", "p-3"}
    assert len(persons) == len(set(persons))
    assert [m.number for m in group.meetings] == list(range(1, len(group.meetings) + 1))


@_SOME
@given(programmes())
def test_any_programme_has_unique_ids(programme: Programme) -> None:
    """Generated programmes have unique ids and members drawn from their people."""
    people_ids = [p.id for p in programme.people]
    assert len(people_ids) == len(set(people_ids))
    assert len({g.id for g in programme.groups}) == len(programme.groups)
    organisations = {o.id for o in programme.organisations}
    assert all(p.organisation is None or p.organisation in organisations for p in programme.people)
    for group in programme.groups:
        assert {m.person for m in group.memberships} <= set(people_ids)


@_SOME
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(st.just(n), programmes(conforming=True, max_groups=n))
    )
)
def test_conforming_programmes_follow_the_method(case: tuple[int, Programme]) -> None:
    """Conforming programmes respect max_groups and validate with no finding at all."""
    max_groups, programme = case
    assert 1 <= len(programme.groups) <= max_groups
    for group in programme.groups:
        assert 5 <= sum(1 for _ in group.members(Role.PEER)) <= 6
        assert 6 <= len(group.meetings) <= 8
    report = validate(programme)
    assert report.findings == (), str(report)


def test_testing_without_hypothesis_names_the_extra() -> None:
    """Without hypothesis, importing emessi.testing says which extra installs it."""
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import emessi.testing\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.startswith("MissingDependencyError")
    assert "emessi[test]" in result.stdout
