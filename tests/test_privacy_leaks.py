"""One rule for messages: no planted personal value in any error, finding or report.

A distinctive personal value (a name such as "Ainomaija Virtanenko" or an
e-mail under .example, from :mod:`emessi.testing`) is planted in every
free-text field and in every argument of the public entry points, on broken
and on valid input. Every exception that comes out is searched whole: its
str, repr, args, notes, the problems of a DocumentError, and its cause and
context chain; so is every report, finding and text output, and the CLI's
stdout and stderr. Messages may show valid ids, field names, counts and
allowed values only; a planted value always holds a space or an ``@``, so
it is never a valid id.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import emessi
from emessi import (
    AgendaItem,
    Group,
    Meeting,
    Membership,
    Organisation,
    Person,
    Programme,
    Role,
    Theme,
    get_profile,
    validate,
)
from emessi.errors import EmessiError
from emessi.testing import emails, names

START = datetime(2014, 1, 14, 12, tzinfo=UTC)
KEY = bytes.fromhex("3b8f0e6a91c4d27f5e08b1a9c63d47f2a05e9c18d7b2f46e13c8a09f5d7e2b61")
#: How many calls the last run made (read by the figures test below).
TRIED: list[int] = []


def texts_of(error: BaseException, seen: set[int] | None = None) -> Iterator[str]:
    """Every text an exception shows: str, repr, args, notes, problems, cause, context."""
    seen = set() if seen is None else seen
    if id(error) in seen:
        return
    seen.add(id(error))
    yield str(error)
    yield repr(error)
    yield from (repr(arg) for arg in error.args)
    yield from getattr(error, "__notes__", ())
    for problem in getattr(error, "problems", ()):
        yield str(problem)
        yield repr(problem)
    report = getattr(error, "report", None)
    if report is not None:
        yield str(report)
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            yield from texts_of(linked, seen)


def texts_of_result(value: object) -> Iterator[str]:
    """What a returned report or finding shows."""
    yield str(value)
    for finding in getattr(value, "findings", ()):
        yield finding.message
        yield finding.path
        yield repr(finding)


def _base(value: str) -> Programme:
    """A small, valid programme with *value* in every free-text field."""
    people = [
        Person(f"p-{n}", value, email=f"p{n}.x@example.org", organisation=f"o-{n}")
        for n in range(6)
    ]
    members = [Membership(p.id) for p in people[:5]] + [
        Membership("p-5", Role.FACILITATOR, reason=value)
    ]
    meeting = Meeting(
        1,
        START,
        notes=value,
        agenda=[AgendaItem(value, 30)],
        themes=["t-own"],
    )
    group = Group(
        "g-01",
        value,
        memberships=members,
        meetings=[meeting],
        themes=[Theme("t-own", value, value)],
        link=f"https://meet.example.org/{value}",
        ground_rules=[value],
    )
    return Programme(
        "p",
        value,
        organisations=[Organisation(f"o-{n}", value, "youth work", 3) for n in range(6)],
        people=people,
        groups=[group],
    )


def calls(value: str, email: str) -> Iterator[tuple[str, Callable[[], object]]]:
    """(name, call) for every entry point, with *value* planted; each may raise or return."""
    from emessi.formation import applicants_from_programme, read_applicants
    from emessi.io.ical import dumps_ical
    from emessi.method import default_catalogue
    from emessi.model import add_member, hold_meeting, remove_member
    from emessi.research import (
        Consent,
        MeetingFeedback,
        Pseudonymiser,
        StudyData,
        pseudonymise,
    )
    from emessi.rules import unregister_rule
    from emessi.scheduling import parse_recurrence, plan_schedule

    base = _base(value)
    group = base.groups[0]
    broken_org = attrs.evolve(
        base, people=[attrs.evolve(p, organisation=value) for p in base.people]
    )
    broken_ref = attrs.evolve(
        base,
        groups=[attrs.evolve(group, memberships=[*group.memberships, Membership("p-99")])],
    )
    yield "Programme.person", lambda: base.person(value)
    yield "Programme.group", lambda: base.group(value)
    yield "Programme.person(email)", lambda: base.person(email)
    yield "get_profile", lambda: get_profile(value)
    yield "validate(profile=value)", lambda: validate(base, value)
    yield "validate(lang=value)", lambda: validate(base, lang=value)
    yield "validate valid", lambda: validate(base)
    yield "validate fi", lambda: validate(base, lang="fi")
    yield "validate broken organisation", lambda: validate(broken_org)
    yield "validate broken organisation fi", lambda: validate(broken_org, lang="fi")
    yield "validate broken reference", lambda: validate(broken_ref)
    yield "programme profile unknown", lambda: validate(attrs.evolve(base, profile=value))
    yield "raise_for_errors", lambda: validate(broken_org).raise_for_errors()
    yield "theme lookup", lambda: default_catalogue()[value]
    yield "Person id", lambda: Person(value, value)
    yield "Group id", lambda: Group(value)
    yield "Membership id", lambda: Membership(email)
    yield "Organisation id", lambda: Organisation(value, value)
    yield "hold_meeting attendance", lambda: hold_meeting(group, 1, attendance=[value])
    yield (
        "hold_meeting secretary",
        lambda: hold_meeting(group, 1, attendance=["p-0"], secretary=email),
    )
    yield "add_member", lambda: add_member(group, value)
    yield "remove_member", lambda: remove_member(group, email, left=date(2014, 2, 1))
    yield "meeting lookup", lambda: group.meeting(10**6)
    yield "applicants_from_programme", lambda: applicants_from_programme(broken_org)
    yield "applicants_from_programme valid", lambda: applicants_from_programme(base)
    yield (
        "read_applicants",
        lambda: read_applicants(
            io.StringIO(
                "id,name,email,organisation,organisation_name,staff,languages,avoid\n"
                f'"{value}","{value}",{email},"{value}","{value}","{value}","{value}","{value}"\n'
                f'p-2,"{value}",{email},o-1,"{value}",3,fi,"{email}"\n'
                f'p-3,"{value}",{email},o-1,"{value} 2",4,fi,\n'
            )
        ),
    )
    yield "dumps_ical valid", lambda: dumps_ical(base, attendees=True)
    yield "dumps_ical line break", lambda: dumps_ical(attrs.evolve(base, name=value + "\nX"))
    yield (
        "dumps_ical e-mail",
        lambda: dumps_ical(
            attrs.evolve(base, people=[Person("p-0", value, email=email + "\n")]), attendees=True
        ),
    )
    yield "dumps_ical lang", lambda: dumps_ical(base, lang=value)
    yield "loads bad document", lambda: emessi.loads(json.dumps({"format": value, "x": value}))
    yield (
        "loads wrong types",
        lambda: emessi.loads(
            json.dumps(
                {"format": "emessi/person", "version": 1, "id": value, "name": 5, value: value}
            )
        ),
    )
    yield "loads syntax", lambda: emessi.loads("{}", syntax=value)  # type: ignore[arg-type]
    yield "dumps round trip", lambda: emessi.loads(emessi.dumps(base)) == base
    yield "parse_recurrence", lambda: parse_recurrence(value)
    yield "plan_schedule", lambda: plan_schedule(date(2025, 9, 1), value)
    yield "Pseudonymiser text key", lambda: Pseudonymiser(value.encode())
    consents = [Consent(p.id, date(2013, 1, 1)) for p in base.people]
    study = StudyData("p", consents=consents)
    bad_study = StudyData("p", consents=[*consents, Consent("p-77", date(2013, 1, 1))])
    feedback = MeetingFeedback("p-0", "g-01", 1, START, {"useful": 4}, comment=value)
    yield "pseudonymise", lambda: pseudonymise(base, study, key=KEY, on=date(2015, 1, 1))
    yield (
        "pseudonymise opt-out",
        lambda: pseudonymise(
            base,
            attrs.evolve(study, meeting_feedback=[feedback]),
            key=KEY,
            on=date(2015, 1, 1),
            disclosure_control=False,
        ),
    )
    yield "pseudonymise bad reference", lambda: pseudonymise(base, bad_study, key=KEY)
    yield (
        "export.table",
        lambda: pseudonymise(base, study, key=KEY, on=date(2015, 1, 1)).table(value),
    )
    yield "unregister_rule", lambda: unregister_rule(value)
    from emessi.formation import form_groups
    from emessi.scheduling import plan_programme, read_availability

    yield "plan_programme rule", lambda: plan_programme(base, date(2025, 9, 1), rule=value)
    yield (
        "plan_programme requests",
        lambda: plan_programme(base, date(2025, 9, 1), requests={value: "weekly"}),
    )
    yield (
        "read_availability",
        lambda: read_availability(
            io.StringIO(
                f'person,weekday,time,answer\n"{value}",tue,14:00,yes\n'
                f'p-1,"{value}",14:00,yes\np-2,tue,"{value}","{value}"\n'
            )
        ),
    )
    yield (
        "form_groups",
        lambda: form_groups(
            applicants_from_programme(base), facilitators=[Person("f-9", value, email=email)]
        ),
    )


def _leaks(value: str, email: str) -> list[str]:
    """The calls whose error or result shows *value* or *email*."""
    leaks = []
    tried = 0
    for name, call in calls(value, email):
        tried += 1
        try:
            result = call()
        except Exception as error:
            shown = list(texts_of(error))
        else:
            # What a call returns on purpose (a calendar, a document) is the
            # caller's data; its reports, findings, reprs and exports are not.
            shown = [] if isinstance(result, str | bytes) else [repr(result)]
            if hasattr(result, "findings"):
                shown += list(texts_of_result(result))
            if isinstance(result, emessi.research.ResearchExport):
                shown += [t.to_csv() + t.to_json() for t in result.tables]
                shown.append(json.dumps(result.datapackage()))
        for text in shown:
            if value in text or email in text:
                leaks.append(f"{name}: {text[:200]!r}")
                break
    TRIED.append(tried)
    return leaks


@settings(max_examples=max(10, settings.default.max_examples // 5), deadline=None)
@given(names(), emails())
def test_no_planted_value_reaches_any_error_finding_or_report(value: str, email: str) -> None:
    """Every entry point, broken and valid input: no error or report shows the planted value."""
    assert _leaks(value, email) == []


@pytest.mark.parametrize(
    ("value", "email"),
    [
        ("Ainomaija Virtanenko", "ainomaija.virtanenko@kotona.example"),
        ("Helsingin Nuoret ry", "toimisto@nuoret.example"),
        ("=HYPERLINK(1) Nuoret", "x.y@z.example"),
    ],
)
def test_no_planted_value_leaks_for_fixed_examples(value: str, email: str) -> None:
    """The same search with fixed, readable values (organisation free text included)."""
    assert _leaks(value, email) == []


def test_errors_keep_no_context_that_holds_the_value() -> None:
    """An EmessiError raised while handling another exception exposes no __context__."""
    document = '{"format": "emessi/meeting", "version": 1, "number": "Ainomaija Virtanenko"}'
    with pytest.raises(EmessiError) as caught:
        emessi.loads(document)
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None
    with pytest.raises(EmessiError) as caught:
        emessi.research.read_key_file(Path("/nonexistent/Ainomaija Virtanenko.key"))
    assert caught.value.__context__ is None


def test_the_cli_shows_no_planted_value(tmp_path: Path) -> None:
    """``emessi validate`` (text and JSON) and ``ics`` on a programme full of planted values."""
    value, email = "Ainomaija Virtanenko", "ainomaija@kotona.example"
    base = _base(value)
    broken = attrs.evolve(base, people=[attrs.evolve(p, organisation=value) for p in base.people])
    emessi.dump(broken, tmp_path / "broken.json")
    emessi.dump(base, tmp_path / "valid.json")
    runs = [
        ("validate", str(tmp_path / "broken.json")),
        ("validate", str(tmp_path / "broken.json"), "--json"),
        ("validate", str(tmp_path / "broken.json"), "--lang", "fi"),
        ("validate", str(tmp_path / "valid.json"), "--profile", value),
        ("validate", str(tmp_path / "valid.json"), "--json", "--profile", email),
        ("ics", str(tmp_path / "broken.json"), "--group", value, "-o", str(tmp_path / "x.ics")),
    ]
    for args in runs:
        done = subprocess.run(
            [sys.executable, "-m", "emessi", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert value not in done.stdout + done.stderr, (args, done.stdout, done.stderr)
        assert email not in done.stdout + done.stderr


def test_inputs_tried() -> None:
    """The leak search runs every entry point listed: at least 46 calls an example."""
    TRIED.clear()
    assert _leaks("Ainomaija Virtanenko", "a.b@c.example") == []
    assert TRIED[0] >= 46
