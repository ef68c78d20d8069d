"""The session process: the meeting framework, agendas and ground rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import DomainError
from emessi.method import (
    MeetingKind,
    agenda_for,
    default_ground_rules,
    get_profile,
    session_framework,
    with_agendas,
)
from emessi.model import AgendaItem, Group, Meeting, MeetingStatus
from emessi.rules import validate

START = datetime(2014, 1, 14, 14, tzinfo=ZoneInfo("Europe/Helsinki"))


@given(
    st.sampled_from(["emessi", "verme"]).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.integers(
                max(2, get_profile(name).meetings.allowed[0]), get_profile(name).meetings.allowed[1]
            ),
        )
    ),
    st.integers(90, 180),
    st.sampled_from(["en", "fi"]),
)
def test_framework_first_themes_closing(
    profile_and_n: tuple[str, int], minutes: int, lang: str
) -> None:
    """n meetings: the first, n-2 theme meetings, the closing; each agenda fills the meeting."""
    profile, n = profile_and_n
    plans = session_framework(
        n, profile=get_profile(profile), duration=timedelta(minutes=minutes), lang=lang
    )
    assert [p.number for p in plans] == list(range(1, n + 1))
    assert [p.kind for p in plans] == (
        [MeetingKind.FIRST] + [MeetingKind.THEME] * (n - 2) + [MeetingKind.CLOSING]
    )
    for plan in plans:
        assert plan.minutes == minutes
        assert all(item.minutes >= 1 for item in plan.agenda)


def test_first_meeting_agrees_ground_rules_and_chooses_themes() -> None:
    """The first meeting gets acquainted, agrees ground rules and chooses themes (eMessi guide)."""
    titles = [item.title for item in session_framework(6)[0].agenda]
    assert "Getting acquainted" in titles
    assert "Agreeing the ground rules" in titles
    assert "Choosing the group's themes" in titles
    closing = [item.title for item in session_framework(6)[-1].agenda]
    assert "Feedback" in closing
    finnish = [item.title for item in session_framework(6, lang="fi")[0].agenda]
    assert "Pelisäännöistä sopiminen" in finnish


@pytest.mark.parametrize(
    ("profile", "n"), [("emessi", 4), ("emessi", 11), ("verme", 3), ("verme", 13)]
)
def test_framework_outside_the_profile_range(profile: str, n: int) -> None:
    """A number of meetings outside the profile's allowed range is a DomainError at n."""
    with pytest.raises(DomainError) as caught:
        session_framework(n, profile=get_profile(profile))
    assert caught.value.path == "n"


def test_agenda_that_cannot_fit() -> None:
    """When the fixed items alone fill the meeting, agenda_for refuses it."""
    assert sum(i.minutes for i in agenda_for(MeetingKind.THEME, timedelta(minutes=60))) == 60
    with pytest.raises(DomainError) as caught:
        agenda_for(MeetingKind.FIRST, timedelta(minutes=60))
    assert caught.value.path == "duration"


def test_meeting_kinds_in_finnish() -> None:
    """Each kind of meeting has its Finnish name."""
    assert MeetingKind.FIRST.finnish == "ensimmäinen tapaaminen"
    assert {k.finnish for k in MeetingKind} >= {"teematapaaminen", "päätöstapaaminen"}


def test_default_ground_rules_carry_the_two_ethical_rules() -> None:
    """Everyone is heard as equals; what is shared stays in the group (Verme, PGM)."""
    english, finnish = default_ground_rules(), default_ground_rules("fi")
    assert len(english) == len(finnish) >= 2
    assert english[:2] == (
        "Everyone's voice is heard as equals.",
        "What is shared in the group stays in the group.",
    )
    assert finnish[1] == "Ryhmässä jaettu jää ryhmään."


def _group(count: int = 6, minutes: int = 90) -> Group:
    return Group(
        "g-01",
        meetings=[
            Meeting(n, START + timedelta(weeks=4 * (n - 1)), timedelta(minutes=minutes))
            for n in range(1, count + 1)
        ],
    )


def test_with_agendas_gives_each_meeting_its_agenda() -> None:
    """The first active meeting gets the first agenda, the last the closing one."""
    group = _group()
    planned = with_agendas(group)
    kinds = [m.agenda for m in planned.meetings]
    assert kinds[0] == agenda_for(MeetingKind.FIRST)
    assert kinds[-1] == agenda_for(MeetingKind.CLOSING)
    assert all(agenda == agenda_for(MeetingKind.THEME) for agenda in kinds[1:-1])
    assert not validate(planned).by_code("agenda-fits")
    assert all(m.agenda == () for m in group.meetings)  # the input is unchanged


def test_with_agendas_skips_cancelled_and_keeps_existing() -> None:
    """A cancelled last meeting moves the closing agenda; a set agenda stays unless overwrite."""
    group = _group()
    meetings = list(group.meetings)
    meetings[-1] = attrs.evolve(meetings[-1], status=MeetingStatus.CANCELLED)
    meetings[1] = attrs.evolve(meetings[1], agenda=[AgendaItem("Our own plan", 90)])
    group = attrs.evolve(group, meetings=meetings)
    planned = with_agendas(group, lang="fi")
    assert planned.meetings[-1].agenda == ()
    assert planned.meetings[-2].agenda == agenda_for(MeetingKind.CLOSING, lang="fi")
    assert planned.meetings[1].agenda == (AgendaItem("Our own plan", 90),)
    overwritten = with_agendas(group, overwrite=True)
    assert overwritten.meetings[1].agenda == agenda_for(MeetingKind.THEME)


@given(st.integers(1, 9), st.integers(90, 180))
def test_with_agendas_always_fits(count: int, minutes: int) -> None:
    """Agendas from the framework always fit their meetings."""
    planned = with_agendas(_group(count, minutes))
    for meeting in planned.meetings:
        assert sum(item.minutes for item in meeting.agenda) == minutes
    assert not validate(planned).by_code("agenda-fits")
