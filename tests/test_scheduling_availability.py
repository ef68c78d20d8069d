"""Availability CSV: one row per person and slot, read into a Poll and written back."""

from __future__ import annotations

import io
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emessi.errors import DocumentError
from emessi.scheduling import (
    AVAILABILITY_COLUMNS,
    Answer,
    Poll,
    Slot,
    availability_csv,
    read_availability,
)


def test_reads_semicolons_finnish_answers_and_slot_ids(tmp_path: Path) -> None:
    """A spreadsheet's semicolon CSV with Finnish answers and named slots loads."""
    path = tmp_path / "availability.csv"
    path.write_text(
        "\ufeffperson;weekday;time;answer;slot\n"
        "p-01;maanantai;10:00;kyllä;mon-am\n"
        "p-01;Tue;14.00;ei;\n"
        "f-01;Monday;10:00;tarvittaessa;mon-am\n",
        encoding="utf-8",
    )
    with pytest.raises(DocumentError):
        read_availability(path)  # Finnish weekday names are not read
    path.write_text(
        path.read_text(encoding="utf-8").replace("maanantai", "Monday"), encoding="utf-8"
    )
    poll = read_availability(path)
    assert [s.id for s in poll.slots] == ["mon-am", "tue-1400"]
    assert poll.answer("p-01", "tue-1400") is Answer.NO
    assert poll.answer("f-01", "mon-am") is Answer.IF_NEED_BE
    assert poll.answer("f-01", "tue-1400") is Answer.NO  # not answered


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("person,weekday,time\n", "rows[1]"),
        ("person,weekday,time,answer,colour\n", "rows[1][4]"),
        ("person,weekday,time,answer\nAino Secret!,Tue,14:00,yes\n", "rows[2].person"),
        ("person,weekday,time,answer\np-01,Someday,14:00,yes\n", "rows[2].weekday"),
        ("person,weekday,time,answer\np-01,Tue,25:00,yes\n", "rows[2].time"),
        ("person,weekday,time,answer\np-01,Tue,14:00,yes\np-01,tue,14:00,no\n", "rows[3]"),
    ],
)
def test_problems_have_paths_and_never_echo_cells(text: str, path: str) -> None:
    """Each bad row is a problem with its path; a cell's content is never repeated."""
    with pytest.raises(DocumentError) as caught:
        read_availability(io.StringIO(text))
    assert path in [p.path for p in caught.value.problems]
    assert "Secret" not in str(caught.value)
    assert "Someday" not in str(caught.value)


def test_columns_are_documented() -> None:
    """The documented columns are the ones the reader knows."""
    assert set(AVAILABILITY_COLUMNS) == {"person", "weekday", "time", "answer", "slot"}


@st.composite
def polls(draw: st.DrawFn) -> Poll:
    times = draw(
        st.lists(
            st.tuples(st.integers(0, 6), st.integers(0, 23), st.sampled_from([0, 30])),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    slots = [Slot(f"s-{i}", day, time(hour, minute)) for i, (day, hour, minute) in enumerate(times)]
    people = draw(
        st.lists(st.from_regex(r"[a-z]-[0-9]{1,3}", fullmatch=True), max_size=5, unique=True)
    )
    answers = {
        person: {slot.id: draw(st.sampled_from(["yes", "if-need-be", "no"])) for slot in slots}
        for person in people
    }
    return Poll.from_answers(slots, answers)


@given(polls())
def test_round_trip(poll: Poll) -> None:
    """Writing a poll and reading it back gives the same answers for its answered slots."""
    again = read_availability(io.StringIO(availability_csv(poll)))
    answered = {v.slot for v in poll.votes}
    assert list(again.slots) == [s for s in poll.slots if s.id in answered]
    assert again.votes == poll.votes


def test_reference_table_lists_the_columns() -> None:
    """The scheduling reference's column table is the reader's."""
    page = Path(__file__).resolve().parents[1] / "docs" / "reference" / "scheduling.md"
    text = page.read_text(encoding="utf-8")
    for column in AVAILABILITY_COLUMNS:
        assert f"| `{column}` |" in text
