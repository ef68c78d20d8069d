"""Disclosure control: the linkage attack of issue 11, k-anonymity and l-diversity."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from emessi import Programme
from emessi.demo import emessi2_study
from emessi.errors import ResearchError, UsageError
from emessi.research import (
    Disclosure,
    ResearchExport,
    RiskReport,
    StudyData,
    new_key,
    pseudonymise,
    risk_report,
)
from emessi.research.disclosure import _person_records

ON = date(2015, 11, 30)


@cache
def demo() -> tuple[Programme, StudyData]:
    return emessi2_study()


def export(**options: object) -> ResearchExport:
    cohort, study = demo()
    return pseudonymise(cohort, study, key=new_key(), on=ON, **options)  # type: ignore[arg-type]


def linkage(one: ResearchExport, other: ResearchExport) -> tuple[int, int]:
    """The attack: join two exports (different keys) on everything they share.

    Returns (people of *one* singled out in *other*, people of *one*).
    Tokens differ between keys, so the attacker joins each person's record
    of quasi-identifiers (all that both exports say about them).
    """
    left, _ = _person_records(one.tables)
    right, _ = _person_records(other.tables)
    matches = Counter(right.values())
    return sum(1 for record in left.values() if matches[record] == 1), len(left)


def test_without_disclosure_control_the_attack_links_almost_everyone() -> None:
    """The issue's failure, reproduced: most of the 74 people are singled out."""
    one, other = export(disclosure_control=False), export(disclosure_control=False)
    singled, people = linkage(one, other)
    assert people == 74
    assert singled >= 60
    months = linkage(
        export(disclosure_control=False, months_only=True),
        export(disclosure_control=False, months_only=True),
    )
    assert months[0] >= 50


def test_under_the_defaults_the_attack_singles_out_nobody() -> None:
    """Two default exports with different keys: no record matches exactly one person."""
    one, other = export(), export()
    singled, people = linkage(one, other)
    assert singled == 0
    assert people >= 50  # most people are still in the export
    assert one.disclosure is not None
    assert one.disclosure.after.k >= 5
    assert one.disclosure.after.uniques == 0


def test_the_answers_themselves_still_link_two_exports() -> None:
    """The documented limit: a join on item-by-item answers links (nearly) everyone.

    k-anonymity protects the quasi-identifiers, not the sensitive values: two
    exports of the same responses share those responses. The docs say so;
    this test keeps them honest.
    """
    one, other = export(), export()

    def answered(made: ResearchExport) -> dict[str, tuple[object, ...]]:
        records, _ = _person_records(made.tables)
        answers: dict[str, list[tuple[object, ...]]] = {t: [] for t in records}
        for row in made.table("instrument_answers").records():
            answers[str(row["person"])].append((row["wave"], row["item"], row["value"]))
        return {t: (records[t], tuple(sorted(answers[t], key=repr))) for t in records}

    left, right = answered(one), answered(other)
    matches = Counter(right.values())
    singled = sum(1 for record in left.values() if matches[record] == 1)
    assert singled >= 0.8 * len(left)


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_every_equivalence_class_has_at_least_k_people(k: int) -> None:
    """k-anonymity (Sweeney 2002) holds for the k the caller sets."""
    made = export(k=k)
    report = risk_report(made)
    assert report.people == 0 or report.k >= k
    assert report.uniques == 0
    assert made.disclosure is not None
    assert made.disclosure.after == report
    assert made.disclosure.before.k == 1


def test_the_report_before_names_the_quasi_identifiers_and_uniques() -> None:
    """The risk of the raw export: every quasi-identifier, k = 1, many uniques, l = 1."""
    report = risk_report(export(disclosure_control=False))
    assert report.quasi_identifiers == (
        "sector",
        "size_band",
        "role",
        "joined",
        "left",
        "group_size",
        "meeting_dates",
        "attendance",
        "response_dates",
        "feedback_dates",
    )
    assert (report.people, report.k, report.l_diversity) == (74, 1, 1)
    assert report.uniques >= 60


def test_l_diversity_of_scores_is_reported_after() -> None:
    """Well-being scores within a class take several values (distinct l-diversity)."""
    made = export()
    assert made.disclosure is not None
    assert made.disclosure.after.l_diversity is not None
    assert made.disclosure.after.l_diversity >= 2


def test_suppressed_people_leave_every_per_person_table() -> None:
    """A suppressed person has no row anywhere; summaries remain."""
    made = export()
    kept = {r["person"] for r in made.table("people").records()}
    for table in made.tables:
        if "person" in table.names:
            assert {r["person"] for r in table.records()} <= kept
    assert made.disclosure is not None
    assert len(kept) == 74 - made.disclosure.suppressed
    assert made.table("attendance_summary").rows


def test_the_metadata_records_what_was_done(tmp_path: Path) -> None:
    """datapackage.json: k, the steps, suppressed count and the risk before and after."""
    made = export()
    made.write(tmp_path, formats=["json"])
    meta = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))["emessi"]
    control = meta["disclosure_control"]
    assert control["k"] == 5
    assert control["suppressed"] == made.disclosure.suppressed  # type: ignore[union-attr]
    assert control["generalisations"][0] == "dates by month"
    assert control["risk"]["uniques"] == 0
    assert control["risk_before"]["k"] == 1
    assert meta["dates"] == made.disclosure.dates  # type: ignore[union-attr]


def test_opting_out_is_explicit_and_recorded(tmp_path: Path) -> None:
    """disclosure_control=False keeps everyone; the metadata says it was the caller's choice."""
    made = export(disclosure_control=False)
    assert made.disclosure is None
    assert len(made.table("people").rows) == 74
    assert "off" in made.datapackage()["emessi"]["disclosure_control"]  # type: ignore[index]
    with pytest.raises(UsageError):
        export(disclosure_control="no")


def test_a_large_enough_uniform_group_needs_no_generalisation() -> None:
    """When everyone already looks alike, nothing is changed or suppressed."""
    from emessi import Group, Membership, Organisation, Person
    from emessi.research import Consent

    people = [Person(f"p-{n}", "N", organisation="o") for n in range(6)]
    programme = Programme(
        "p",
        organisations=[Organisation("o", "Org", "youth work", 3)],
        people=people,
        groups=[Group("g", memberships=[Membership(p.id) for p in people])],
    )
    study = StudyData("p", consents=[Consent(p.id, date(2014, 1, 1)) for p in people])
    made = pseudonymise(programme, study, key=new_key(), on=ON)
    assert made.disclosure == Disclosure(
        5, (), 0, "day", made.disclosure.before, made.disclosure.before
    )  # type: ignore[union-attr]
    assert made.table("people").records()[0]["sector"] == "youth work"


def test_risk_report_refuses_what_is_not_an_export() -> None:
    """A misuse is a UsageError."""
    with pytest.raises(UsageError):
        risk_report("an export")  # type: ignore[arg-type]


def test_k_must_be_a_positive_whole_number() -> None:
    """k = 0 is a ResearchError at k; a float a UsageError (a wrong type; until 0.1 a ResearchError)."""
    for k, error in ((0, ResearchError), (2.5, UsageError)):
        with pytest.raises(error) as caught:
            export(k=k)
        assert caught.value.path == "k"


def test_a_report_reads_as_text() -> None:
    """str() of a report gives k, uniques and l on one line."""
    text = str(RiskReport(("sector",), 10, 2, 5, 0, 3))
    assert text.splitlines()[0] == "10 people in 2 classes: k = 5, 0 unique, l = 3"
