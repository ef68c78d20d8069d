"""Re-identification risk of a research export: k-anonymity and l-diversity.

Pseudonyms hide ids, but not what people *are*: in eMessi2 five or six
peers from workplaces of one to four people met on known dates, so the
sector of a person's workplace, its size, their role, when they joined and
left, their group's size and meeting dates, and which meetings they came to
can single them out. Anyone holding two exports made with different keys
can join them on those columns and link every person again.

:func:`risk_report` measures this for any :class:`ResearchExport`. It
builds, for each person, the record an attacker could build from the
export's own tables, leaving out the pseudonyms (which differ between
keys): the **quasi-identifiers** (Sweeney 2002)

- ``sector`` and ``size_band`` (``people``);
- for each membership: ``role``, ``joined``, ``left``, ``group_size`` (the
  group's people in the export) and ``meeting_dates`` (the group's meeting
  days, from ``attendance_summary``);
- the ``attendance`` pattern (each meeting's date and whether they came),
  or its counts when the export coarsened it;
- ``response_dates`` and ``feedback_dates`` (when they answered what).

People with the same record form an *equivalence class*. The report gives
the smallest class (**k**: every person looks like at least k - 1 others),
the number of people in a class of their own (**uniques**: the ones a join
singles out), and the **l-diversity** of the well-being scores (the
instruments' ``total`` scores): the smallest number of distinct scores in a
class, so l = 1 means that knowing someone's class tells their score
(Machanavajjhala et al. 2007, "distinct l-diversity").

References:
    L. Sweeney (2002). k-anonymity: a model for protecting privacy.
    *International Journal of Uncertainty, Fuzziness and Knowledge-Based
    Systems* 10(5), 557-570.

    A. Machanavajjhala, D. Kifer, J. Gehrke, M. Venkitasubramaniam (2007).
    l-diversity: privacy beyond k-anonymity. *ACM Transactions on Knowledge
    Discovery from Data* 1(1), article 3.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from emessi._i18n import _, ngettext
from emessi.errors import UsageError
from emessi.model._strict import checked, strict
from emessi.research.tables import Table

if TYPE_CHECKING:
    from emessi.research.export import ResearchExport

__all__ = ["QUASI_IDENTIFIERS", "Disclosure", "RiskReport", "risk_report"]

#: The quasi-identifiers :func:`risk_report` looks for, in order.
QUASI_IDENTIFIERS = (
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


@checked
@attrs.frozen(field_transformer=strict)
class RiskReport:
    """How easily the people of an export can be singled out.

    Args:
        quasi_identifiers: The quasi-identifiers the export contains.
        people: People in the export.
        classes: Equivalence classes (distinct quasi-identifier records).
        k: The size of the smallest class (0 with no people).
        uniques: People alone in their class.
        l_diversity: The smallest number of distinct well-being scores in
            a class that has any; ``None`` without scores.

    Example:
        >>> report = RiskReport(("sector",), people=10, classes=2, k=4, uniques=0, l_diversity=2)
        >>> print(report)
        10 people in 2 classes: k = 4, 0 unique, l = 2
        quasi-identifiers: sector

    .. versionadded:: 0.1.0

    """

    quasi_identifiers: tuple[str, ...]
    people: int
    classes: int
    k: int
    uniques: int
    l_diversity: int | None

    def __str__(self) -> str:
        """The report in the current language (numbers and names as they are)."""
        l_text = _("no scores") if self.l_diversity is None else f"l = {self.l_diversity}"
        people = ngettext("{n} person", "{n} people", self.people).format(n=self.people)
        classes = ngettext("in {n} class", "in {n} classes", self.classes).format(n=self.classes)
        return "\n".join(
            (
                _("{people} {classes}: k = {k}, {uniques} unique, {l}").format(
                    people=people, classes=classes, k=self.k, uniques=self.uniques, l=l_text
                ),
                _("quasi-identifiers: {names}").format(names=", ".join(self.quasi_identifiers))
                if self.quasi_identifiers
                else _("quasi-identifiers: none"),
            )
        )

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data, as export metadata stores it.

        Example:
            >>> RiskReport((), 0, 0, 0, 0, None).as_dict()["k"]
            0

        """
        return {
            "quasi_identifiers": list(self.quasi_identifiers),
            "people": self.people,
            "classes": self.classes,
            "k": self.k,
            "uniques": self.uniques,
            "l_diversity": self.l_diversity,
        }


@checked
@attrs.frozen(field_transformer=strict)
class Disclosure:
    """What disclosure control did to an export, as its metadata records it.

    Args:
        k: The smallest equivalence class asked for.
        generalisations: The steps applied, in order (empty: none needed).
        suppressed: People left out because their class stayed below *k*.
        dates: How dates are given: ``"day"``, ``"month"`` or ``"year"``.
        before: The risk of the export as asked, before any step.
        after: The risk of the export as made.

    Example:
        >>> before = RiskReport(("sector",), 6, 6, 1, 6, None)
        >>> after = RiskReport(("sector",), 5, 1, 5, 0, None)
        >>> Disclosure(5, ("dates by month",), 1, "month", before, after).as_dict()["suppressed"]
        1

    .. versionadded:: 0.1.0

    """

    k: int
    generalisations: tuple[str, ...]
    suppressed: int
    dates: str
    before: RiskReport
    after: RiskReport

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the export's ``datapackage.json``.

        Example:
            >>> empty = RiskReport((), 0, 0, 0, 0, None)
            >>> sorted(Disclosure(5, (), 0, "day", empty, empty).as_dict())
            ['dates', 'generalisations', 'k', 'risk', 'risk_before', 'suppressed']

        """
        return {
            "k": self.k,
            "generalisations": list(self.generalisations),
            "suppressed": self.suppressed,
            "dates": self.dates,
            "risk_before": self.before.as_dict(),
            "risk": self.after.as_dict(),
        }


def _records(table: Table | None) -> list[dict[str, Any]]:
    return table.records() if table is not None else []


def _person_records(tables: Iterable[Table]) -> tuple[dict[str, tuple[Any, ...]], set[str]]:
    """Each person's quasi-identifier record (pseudonyms left out), and the QIs seen.

    Also what the linkage attack joins on: everything two exports share.
    """
    by_name: Mapping[str, Table] = {t.name: t for t in tables}
    seen: set[str] = set()
    parts: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(list))
    for row in _records(by_name.get("people")):
        person = parts[str(row["person"])]
        for column in ("sector", "size_band"):
            if column in row:
                person[column] = row[column]
                seen.add(column)
    memberships = _records(by_name.get("memberships"))
    sizes = Counter(row["group"] for row in memberships)
    meetings: dict[Any, list[Any]] = defaultdict(list)
    for row in _records(by_name.get("attendance_summary")):
        meetings[row["group"]].append((row["meeting"], row["date"]))
    if meetings:
        seen.add("meeting_dates")
    for row in memberships:
        seen.update(("role", "joined", "left", "group_size"))
        group = row["group"]
        parts[str(row["person"])]["memberships"].append(
            (
                row["role"],
                row["joined"],
                row["left"],
                sizes[group],
                tuple(sorted(meetings.get(group, ()), key=repr)),
            )
        )
    for name, columns in (
        ("attendance", ("meeting", "date", "present")),
        ("attendance_counts", ("meetings", "attended")),
        ("attendance_share", ("meetings", "attended")),
    ):
        for row in _records(by_name.get(name)):
            seen.add("attendance")
            parts[str(row["person"])]["attendance"].append(tuple(row[c] for c in columns))
    for row in _records(by_name.get("instrument_scores")):
        seen.add("response_dates")
        parts[str(row["person"])]["responses"].append(
            (row["instrument"], row["wave"], row["answered"])
        )
    for name, columns in (
        ("meeting_feedback", ("form", "meeting", "submitted")),
        ("programme_feedback", ("form", "submitted")),
    ):
        for row in _records(by_name.get(name)):
            seen.add("feedback_dates")
            parts[str(row["person"])]["feedback"].append(tuple(row[c] for c in columns))
    records = {}
    for token, person in parts.items():
        records[token] = (
            person.get("sector"),
            person.get("size_band"),
            *(
                tuple(sorted(set(person.get(key, ())), key=repr))
                for key in ("memberships", "attendance", "responses", "feedback")
            ),
        )
    return records, seen


def _scores(tables: Iterable[Table]) -> dict[str, dict[tuple[Any, Any], Any]]:
    """Each person's well-being scores: ``total`` by (instrument, wave)."""
    found: dict[str, dict[tuple[Any, Any], Any]] = defaultdict(dict)
    for table in tables:
        if table.name == "instrument_scores":
            for row in table.records():
                if row["scale"] == "total" and row["score"] is not None:
                    found[str(row["person"])][row["instrument"], row["wave"]] = row["score"]
    return found


def _classes(records: Mapping[str, tuple[Any, ...]]) -> dict[tuple[Any, ...], list[str]]:
    """People grouped by their quasi-identifier record."""
    grouped: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for token, record in records.items():
        grouped[record].append(token)
    return grouped


def _report_of(tables: Iterable[Table]) -> RiskReport:
    """The :class:`RiskReport` of a set of export tables."""
    tables = tuple(tables)
    records, seen = _person_records(tables)
    grouped = _classes(records)
    sizes = [len(members) for members in grouped.values()]
    values = _scores(tables)
    diversity: int | None = None
    for members in grouped.values():
        by_key: dict[tuple[Any, Any], set[Any]] = defaultdict(set)
        for token in members:
            for key, value in values.get(token, {}).items():
                by_key[key].add(value)
        for distinct in by_key.values():
            diversity = len(distinct) if diversity is None else min(diversity, len(distinct))
    return RiskReport(
        quasi_identifiers=tuple(q for q in QUASI_IDENTIFIERS if q in seen),
        people=len(records),
        classes=len(grouped),
        k=min(sizes, default=0),
        uniques=sum(1 for size in sizes if size == 1),
        l_diversity=diversity,
    )


@checked
def risk_report(export: ResearchExport) -> RiskReport:
    """The re-identification risk of *export*: its quasi-identifiers, k, uniques, l.

    Works on any export, made with or without disclosure control; an
    export made by :func:`~emessi.research.pseudonymise` with its defaults
    has k of at least 5 (or no people at all).

    Raises:
        UsageError: *export* is not a :class:`ResearchExport`.

    Example:
        >>> from datetime import date
        >>> from emessi import Group, Membership, Person, Programme
        >>> from emessi.research import Consent, StudyData, new_key, pseudonymise
        >>> people = [Person(f"p-{n}", "N") for n in range(6)]
        >>> programme = Programme("p", people=people,
        ...                       groups=[Group("g", memberships=[Membership(p.id) for p in people])])
        >>> study = StudyData("p", consents=[Consent(p.id, date(2014, 1, 1)) for p in people])
        >>> raw = pseudonymise(programme, study, key=new_key(), on=date(2015, 1, 1),
        ...                    disclosure_control=False)
        >>> print(risk_report(raw))
        6 people in 1 class: k = 6, 0 unique, no scores
        quasi-identifiers: sector, size_band, role, joined, left, group_size

    .. versionadded:: 0.1.0

    """
    from emessi.research.export import ResearchExport

    if not isinstance(export, ResearchExport):
        raise UsageError(
            _("risk_report() takes a ResearchExport, not {actual}").format(
                actual=type(export).__name__
            ),
            path="export",
        )
    return _report_of(export.tables)
