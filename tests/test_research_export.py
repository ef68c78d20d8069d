"""Pseudonymised export: consent, tokens, tables, suppression, coarsening, files."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from emessi import (
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    cancel_meeting,
    hold_meeting,
)
from emessi.errors import EmessiError, ResearchError, UnknownReferenceError, UsageError
from emessi.research import (
    Consent,
    InstrumentResponse,
    MeetingFeedback,
    ProgrammeFeedback,
    Pseudonymiser,
    StudyData,
    pseudonymise,
    size_band,
)

KEY = bytes.fromhex("3b8f0e6a91c4d27f5e08b1a9c63d47f2a05e9c18d7b2f46e13c8a09f5d7e2b61")
HELSINKI = ZoneInfo("Europe/Helsinki")
ON = date(2015, 1, 1)


def cohort() -> Programme:
    organisations = [
        Organisation("o-1", "Secret Youth ry", "youth work", staff=3),
        Organisation("o-2", "Big Culture Foundation", "culture", staff=12),
    ]
    people = [
        Person(f"p-{n}", f"Peer Name{n}", email=f"peer{n}@example.org", organisation="o-1")
        for n in range(1, 5)
    ]
    people += [
        Person("p-5", "Fifth Peer", organisation="o-2"),
        Person("f-1", "Facilitator Person"),
        Person("w-1", "Observer Person"),
    ]
    members = [Membership(f"p-{n}", joined=date(2013, 11, 1)) for n in range(1, 5)]
    members += [
        Membership("p-5", left=date(2014, 2, 20), reason="moved to another job"),
        Membership("f-1", Role.FACILITATOR),
        Membership("w-1", Role.OBSERVER),
    ]
    first = datetime(2014, 1, 14, 14, tzinfo=HELSINKI)
    meetings = [Meeting(n, first + timedelta(weeks=4 * (n - 1))) for n in range(1, 5)]
    group = Group("g-1", "Helsinki group", memberships=members, meetings=meetings)
    group = hold_meeting(
        group, 1, attendance=["p-1", "p-2", "p-3", "f-1", "w-1"], notes="what was said"
    )
    group = hold_meeting(group, 2, attendance=["p-1", "p-2", "p-5"])
    group = cancel_meeting(group, 3, reason="facilitator ill")
    return Programme("demo", "Demo", organisations=organisations, people=people, groups=[group])


def uniform(value: int) -> dict[str, int]:
    return {f"q{n}": value for n in range(1, 10)}


def study() -> StudyData:
    t = datetime(2014, 1, 20, 9, tzinfo=UTC)
    return StudyData(
        "demo",
        consents=[
            *(Consent(p, date(2013, 11, 1)) for p in ("p-1", "p-2", "p-3", "f-1")),
            Consent("p-4", date(2013, 11, 1), withdrawn=date(2014, 6, 1)),
        ],
        meeting_feedback=[
            MeetingFeedback("p-1", "g-1", 1, t, {"useful": 5, "heard": 4}, comment="I felt..."),
            MeetingFeedback("p-2", "g-1", 1, t, {"useful": 3}),
            MeetingFeedback("p-4", "g-1", 2, t, {"useful": 1}, comment="withdrawn later"),
        ],
        programme_feedback=[ProgrammeFeedback("p-3", t, {"wellbeing": 4}, comment="Thanks")],
        responses=[
            *(
                InstrumentResponse(p, "uwes-9", "pre", t, uniform(v))
                for p, v in (("p-1", 2), ("p-2", 3), ("p-3", 4), ("p-4", 1))
            ),
            InstrumentResponse("p-1", "uwes-9", "post", t, {"q1": 5, "q2": 4}),
        ],
    )


def token(person: str) -> str:
    return Pseudonymiser(KEY).person(person)


def test_only_consenting_people_are_exported():
    """People without consent in force on the export day are left out of every table."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    expected = {token(p) for p in ("p-1", "p-2", "p-3", "f-1")}
    assert {r["person"] for r in export.table("people").records()} == expected
    for name in ("memberships", "attendance", "meeting_feedback", "instrument_scores"):
        assert {r["person"] for r in export.table(name).records()} <= expected
    # before p-4 withdrew, p-4 was in
    earlier = pseudonymise(
        cohort(), study(), key=KEY, on=date(2014, 5, 1), disclosure_control=False
    )
    assert token("p-4") in {r["person"] for r in earlier.table("people").records()}


def test_people_table_has_sector_and_size_band_not_the_organisation():
    """An organisation becomes its sector and size band."""
    people = (
        pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
        .table("people")
        .records()
    )
    by_token = {r["person"]: r for r in people}
    assert by_token[token("p-1")] == {
        "person": token("p-1"),
        "sector": "youth work",
        "size_band": "2-4",
    }
    assert by_token[token("f-1")]["sector"] is None


def test_attendance_rows_and_summary_hand_computed():
    """Held meetings only; members on the day; present from the attendance record."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, k=3, disclosure_control=False)
    rows = {(r["person"], r["meeting"]): r for r in export.table("attendance").records()}
    assert len(rows) == 8  # 4 consenting people x 2 held meetings
    assert rows[token("p-3"), 1]["present"] is True
    assert rows[token("p-3"), 2]["present"] is False
    assert rows[token("f-1"), 2]["present"] is False
    assert rows[token("p-1"), 1]["date"] == "2014-01-14"
    summary = {r["meeting"]: r for r in export.table("attendance_summary").records()}
    assert summary[1] | {"group": None} == {
        "group": None,
        "meeting": 1,
        "date": "2014-01-14",
        "people": 4,
        "present": 4,
        "rate": 1.0,
        "suppressed": False,
    }
    assert (summary[2]["people"], summary[2]["present"], summary[2]["rate"]) == (4, 2, 0.5)


def test_cells_under_k_people_are_suppressed():
    """With k=5 every 4-person meeting cell is suppressed: figures empty, flag set."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, k=5, disclosure_control=False)
    for row in export.table("attendance_summary").records():
        assert row["suppressed"] is True
        assert (row["people"], row["present"], row["rate"]) == (None, None, None)


def test_feedback_and_score_summaries():
    """Feedback means per group and item; score means per wave and scale; k applies."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, k=2, disclosure_control=False)
    feedback = {r["item"]: r for r in export.table("feedback_summary").records()}
    assert (feedback["useful"]["people"], feedback["useful"]["mean"]) == (2, 4.0)
    assert feedback["heard"]["suppressed"] is True
    scores = {(r["wave"], r["scale"]): r for r in export.table("score_summary").records()}
    pre = scores["pre", "total"]
    assert (pre["people"], pre["mean"], pre["sd"]) == (3, 3.0, 1.0)
    assert scores["post", "vigour"]["suppressed"] is True  # one person
    assert ("post", "total") not in scores  # nobody has a post total


def test_instrument_scores_and_answers_rows():
    """Each response gives a row per scale, empty when too few items are answered."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    post = [r for r in export.table("instrument_scores").records() if r["wave"] == "post"]
    by_scale = {r["scale"]: (r["score"], r["items_answered"]) for r in post}
    assert by_scale == {
        "vigour": (4.5, 2),
        "dedication": (None, 0),
        "absorption": (None, 0),
        "total": (None, 2),
    }
    answers = export.table("instrument_answers").records()
    assert len(answers) == 3 * 9 + 2


def test_feedback_rows_have_no_comment():
    """Feedback answers are exported item by item; comments never."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    rows = export.table("meeting_feedback").records()
    assert sorted((r["item"], r["value"]) for r in rows) == [
        ("heard", 4),
        ("useful", 3),
        ("useful", 5),
    ]
    assert "comment" not in export.table("meeting_feedback").names
    text = "".join(t.to_csv() + t.to_json() for t in export.tables)
    for secret in (
        "I felt",
        "Thanks",
        "Peer Name1",
        "peer1@example.org",
        "Secret Youth",
        "what was said",
        "moved to another",
        "facilitator ill",
        "Helsinki group",
    ):
        assert secret not in text


def test_dates_can_be_coarsened_to_the_month():
    """months_only turns every date into YYYY-MM and types the columns as yearmonth."""
    export = pseudonymise(
        cohort(), study(), key=KEY, on=ON, months_only=True, disclosure_control=False
    )
    attendance = export.table("attendance")
    assert {r["date"] for r in attendance.records()} == {"2014-01", "2014-02"}
    assert next(c.type for c in attendance.columns if c.name == "date") == "yearmonth"
    joined = {r["joined"] for r in export.table("memberships").records()}
    assert joined == {"2013-11", None}


def test_same_key_same_tokens_other_key_other_tokens():
    """Tokens link across exports with one key and not across keys."""
    one = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    again = pseudonymise(
        cohort(), study(), key=bytearray(KEY), on=date(2015, 3, 1), disclosure_control=False
    )
    other = pseudonymise(
        cohort(),
        study(),
        key=bytes.fromhex("d41e7a0c5b93f2886ac1e04f7b29d3a50f6c81b9e27d4a35c6f0918be3a7d24c"),
        on=ON,
        disclosure_control=False,
    )
    tokens = {r["person"] for r in one.table("people").records()}
    assert tokens == {r["person"] for r in again.table("people").records()}
    assert tokens.isdisjoint(r["person"] for r in other.table("people").records())


def test_group_and_person_tokens_differ_for_the_same_id():
    """A group and a person with the same id get unrelated tokens."""
    p = Pseudonymiser(KEY)
    assert p.person("x-1")[2:] != p.group("x-1")[2:]


def test_key_must_be_bytes_of_adequate_length():
    """A text key is a usage error; a key under 32 bytes is refused."""
    with pytest.raises(UsageError):
        pseudonymise(cohort(), study(), key="a password" * 4, on=ON, disclosure_control=False)  # type: ignore[arg-type]
    with pytest.raises(ResearchError) as info:
        pseudonymise(cohort(), study(), key=b"short", on=ON, disclosure_control=False)
    assert info.value.path == "key"


def test_the_key_is_never_shown_or_pickled():
    """The pseudonymiser hides its key in the repr and refuses to be pickled."""
    p = Pseudonymiser(b"supersecret-" + bytes.fromhex("8e2f61a9c04db7350f1e9a6c2d84b7f3a1b2c3d4"))
    assert "supersecret" not in repr(p)
    with pytest.raises(UsageError):
        pickle.dumps(p)


def test_export_checks_the_study_belongs_to_the_programme():
    """A study of another programme, dangling ids and a bad k are errors with paths."""
    with pytest.raises(ResearchError):
        pseudonymise(cohort(), StudyData("other"), key=KEY, on=ON, disclosure_control=False)
    with pytest.raises(ResearchError):
        pseudonymise(cohort(), study(), key=KEY, on=ON, k=0, disclosure_control=False)
    t = datetime(2014, 1, 20, tzinfo=UTC)
    for record, path in [
        (StudyData("demo", consents=[Consent("p-99", ON)]), "study.consents[0].person"),
        (
            StudyData("demo", meeting_feedback=[MeetingFeedback("p-1", "g-9", 1, t)]),
            "study.meeting_feedback[0].group",
        ),
        (
            StudyData("demo", meeting_feedback=[MeetingFeedback("p-1", "g-1", 9, t)]),
            "study.meeting_feedback[0].meeting",
        ),
    ]:
        with pytest.raises(UnknownReferenceError) as info:
            pseudonymise(cohort(), record, key=KEY, on=ON, disclosure_control=False)
        assert info.value.path == path


def test_rows_are_sorted_by_token_not_by_programme_order():
    """Row order never follows the programme's order (which may follow names)."""
    people = (
        pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
        .table("people")
        .rows
    )
    assert [row[0] for row in people] == sorted(row[0] for row in people)


def test_repr_shows_no_rows():
    """The export's repr names tables and counts rows only."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    text = repr(export)
    assert "rows=<4 rows>" in text
    assert token("p-1") not in text


def test_written_files_read_back_with_pandas(tmp_path):
    """CSV and JSON tables load into pandas with the documented columns and values."""
    pandas = pytest.importorskip("pandas")
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    written = export.write(tmp_path / "out")
    assert {p.name for p in written} >= {"attendance.csv", "attendance.json", "datapackage.json"}
    for table in export.tables:
        from_csv = pandas.read_csv(tmp_path / "out" / f"{table.name}.csv")
        assert tuple(from_csv.columns) == table.names
        assert len(from_csv) == len(table.rows)
    attendance = pandas.read_csv(tmp_path / "out" / "attendance.csv")
    assert attendance["present"].dtype == bool
    assert attendance["present"].sum() == 6
    from_json = pandas.read_json(tmp_path / "out" / "attendance.json", dtype=False)
    assert from_json.to_dict("records") == export.table("attendance").records()
    scores = pandas.read_csv(tmp_path / "out" / "instrument_scores.csv")
    assert scores["score"].isna().sum() == 3  # the unscored post scales


def test_datapackage_describes_every_table(tmp_path):
    """datapackage.json lists each table with its typed, described columns."""
    export = pseudonymise(
        cohort(), study(), key=KEY, on=ON, months_only=True, disclosure_control=False
    )
    export.write(tmp_path, formats=["csv"])
    package = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == [t.name for t in export.tables]
    assert package["emessi"] == {
        "k": 5,
        "dates": "month",
        "disclosure_control": "off (the caller's choice)",
    }
    fields = package["resources"][2]["schema"]["fields"]
    assert [f["name"] for f in fields] == ["person", "group", "meeting", "date", "present"]
    assert all(f["description"] for f in fields)
    assert not (tmp_path / "people.json").exists()


def test_write_refuses_unknown_formats_and_unwritable_folders(tmp_path):
    """Only csv and json; a folder that cannot be made is an EmessiError."""
    export = pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False)
    with pytest.raises(UsageError):
        export.write(tmp_path, formats=["xlsx"])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(EmessiError):
        export.write(blocker / "sub")


def test_unknown_table_is_a_usage_error():
    """Asking for a table the export lacks names the tables it has."""
    with pytest.raises(UsageError, match="people"):
        pseudonymise(cohort(), study(), key=KEY, on=ON, disclosure_control=False).table("names")


@pytest.mark.parametrize(
    ("staff", "band"), [(1, "1"), (2, "2-4"), (4, "2-4"), (5, "5-9"), (9, "5-9"), (10, "10+")]
)
def test_size_bands(staff, band):
    """Band edges: 1 | 2-4 | 5-9 | 10+."""
    assert size_band(staff) == band


def test_the_howto_codebook_is_the_code():
    """The codebook in the evaluation how-to lists exactly the exported tables and columns."""
    from pathlib import Path

    from emessi.research._tables_spec import codebook_markdown

    howto = Path(__file__).resolve().parent.parent / "docs" / "howto" / "evaluation-study.md"
    text = howto.read_text("utf-8")
    assert text.endswith(codebook_markdown())
