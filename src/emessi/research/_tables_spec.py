"""The columns of the research export's tables: the export's codebook.

A ``date`` column becomes a ``yearmonth`` column ("2014-01") when the export
coarsens dates to the month, a ``year`` column ("2014") when to the year;
``sector`` and ``size_band`` are ``*`` when disclosure control withholds
them.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

__all__ = ["COLUMNS", "DESCRIPTIONS", "codebook_markdown"]

Kind: TypeAlias = Literal["string", "integer", "number", "boolean", "date"]
Spec: TypeAlias = tuple[str, Kind, str]

_PERSON: Spec = ("person", "string", "the person's pseudonym (P- and 32 hex digits)")
_GROUP: Spec = ("group", "string", "the group's pseudonym (G- and 32 hex digits)")
_MEETING: Spec = ("meeting", "integer", "the meeting's number in the group's series, from 1")
_SUPPRESSED: Spec = (
    "suppressed",
    "boolean",
    "true when fewer than k people are in the cell; its figures are then empty",
)

#: For each table, in order: its columns as (name, type, description).
COLUMNS: dict[str, tuple[Spec, ...]] = {
    "people": (
        _PERSON,
        (
            "sector",
            "string",
            "the sector of the person's workplace ('other' when fewer than k share it)",
        ),
        (
            "size_band",
            "string",
            "the workplace's staff: 1, 2-4, 5-9 or 10+ (1-4 or 5+ when generalised)",
        ),
    ),
    "memberships": (
        _PERSON,
        _GROUP,
        ("role", "string", "peer, facilitator or observer"),
        ("joined", "date", "when the person joined the group (empty: from the start)"),
        ("left", "date", "when the person left the group (empty: stayed)"),
    ),
    "attendance": (
        _PERSON,
        _GROUP,
        _MEETING,
        ("date", "date", "the meeting's date in the group's time zone"),
        ("present", "boolean", "whether the person attended"),
    ),
    "attendance_counts": (
        _PERSON,
        _GROUP,
        ("meetings", "integer", "held meetings the person was a member at"),
        ("attended", "integer", "how many of them the person attended"),
    ),
    "attendance_share": (
        _PERSON,
        _GROUP,
        ("meetings", "integer", "held meetings the person was a member at"),
        ("attended", "string", "the share attended: 0-49%, 50-79% or 80-100%"),
    ),
    "meeting_feedback": (
        _PERSON,
        _GROUP,
        _MEETING,
        ("form", "string", "the feedback form's instrument id"),
        ("submitted", "date", "when the feedback was given"),
        ("item", "string", "the item id"),
        ("value", "integer", "the answer"),
    ),
    "programme_feedback": (
        _PERSON,
        ("form", "string", "the feedback form's instrument id"),
        ("submitted", "date", "when the feedback was given"),
        ("item", "string", "the item id"),
        ("value", "integer", "the answer"),
    ),
    "instrument_answers": (
        _PERSON,
        ("instrument", "string", "the instrument id, e.g. uwes-9"),
        ("wave", "string", "the wave, e.g. pre or post"),
        ("answered", "date", "when the answers were given"),
        ("item", "string", "the item id"),
        ("value", "integer", "the answer"),
    ),
    "instrument_scores": (
        _PERSON,
        ("instrument", "string", "the instrument id, e.g. uwes-9"),
        ("wave", "string", "the wave, e.g. pre or post"),
        ("answered", "date", "when the answers were given"),
        ("scale", "string", "a subscale id or total"),
        ("score", "number", "the mean of the answered items; empty if too few were answered"),
        ("items_answered", "integer", "how many of the scale's items were answered"),
    ),
    "attendance_summary": (
        _GROUP,
        _MEETING,
        ("date", "date", "the meeting's date in the group's time zone"),
        ("people", "integer", "consenting members and attendees of the meeting"),
        ("present", "integer", "how many of them attended"),
        ("rate", "number", "present / people"),
        _SUPPRESSED,
    ),
    "feedback_summary": (
        _GROUP,
        ("form", "string", "the feedback form's instrument id"),
        ("item", "string", "the item id"),
        ("people", "integer", "distinct people who answered the item, over all meetings"),
        ("mean", "number", "the mean answer"),
        _SUPPRESSED,
    ),
    "score_summary": (
        ("instrument", "string", "the instrument id, e.g. uwes-9"),
        ("wave", "string", "the wave, e.g. pre or post"),
        ("scale", "string", "a subscale id or total"),
        ("people", "integer", "people with a score"),
        ("mean", "number", "the mean score"),
        ("sd", "number", "the standard deviation of the scores (n - 1)"),
        _SUPPRESSED,
    ),
}

#: For each table: what one row is.
DESCRIPTIONS: dict[str, str] = {
    "people": "one row per consenting person",
    "memberships": "one row per membership of a consenting person in a group",
    "attendance": "one row per consenting person and held meeting they were a member at",
    "attendance_counts": "one row per consenting person and group: meetings and attendance"
    " (instead of attendance, when disclosure control coarsens it)",
    "attendance_share": "one row per consenting person and group: meetings and the share"
    " attended (instead of attendance, when disclosure control coarsens it further)",
    "meeting_feedback": "one row per answered item of a meeting feedback",
    "programme_feedback": "one row per answered item of a programme feedback",
    "instrument_answers": "one row per answered item of an instrument response",
    "instrument_scores": "one row per scale of an instrument response",
    "attendance_summary": "one row per held meeting; cells under k people suppressed",
    "feedback_summary": "one row per group, form and item; cells under k people suppressed",
    "score_summary": "one row per instrument, wave and scale; cells under k people suppressed",
}


def codebook_markdown() -> str:
    """The tables and their columns as Markdown, as the evaluation how-to shows them."""
    parts = []
    for name, columns in COLUMNS.items():
        parts.append(f"### `{name}`\n\nOne row {DESCRIPTIONS[name].removeprefix('one row ')}.\n")
        parts.append("| column | type | meaning |\n|---|---|---|")
        parts += [f"| `{column}` | {kind} | {text} |" for column, kind, text in columns]
        parts.append("")
    return "\n".join(parts)
