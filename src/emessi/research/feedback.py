"""Feedback (*palaute*) from participants: per meeting and per programme.

Feedback is a few Likert items and an optional free-text comment. The
comment is personal data: it is hidden in reprs and never exported. The
eMessi pre-study report covers collecting feedback (*palaute*; Rajalin &
Kaunismaa 2013), but its questions are not public; the default forms here
are emessi's own suggestion, with wording in the docs, and any other form
is an :class:`~emessi.research.Instrument` of your own.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from emessi.model._checks import check_aware, check_id, check_positive, hidden
from emessi.model._strict import OWN_FIRST, checked, strict
from emessi.research.instruments import Answer, Instrument, _answers

__all__ = ["MEETING_FEEDBACK", "PROGRAMME_FEEDBACK", "MeetingFeedback", "ProgrammeFeedback"]

#: The default per-meeting feedback form, answered 1 (disagree) to 5
#: (agree): ``useful`` (the meeting was useful for my work), ``heard``
#: (everyone's voice was heard as equals), ``safe`` (I trust that what was
#: said stays in the group), ``online`` (the online environment worked for
#: me). ``heard`` and ``safe`` follow the two ethical rules of peer-group
#: mentoring (the Finnish *Verme* model); ``online`` the guide's chapter on
#: the online environment (*verkkoympäristö*).
MEETING_FEEDBACK = Instrument(
    "emessi-meeting",
    "eMessi meeting feedback",
    items=("useful", "heard", "safe", "online"),
    minimum=1,
    maximum=5,
    total=False,
    source="emessi",
)

#: The default programme-level feedback form, answered 1 (disagree) to 5
#: (agree): ``wellbeing`` (the group supported my well-being at work, the
#: general aim of eMessi groups), ``themes`` (the themes we chose suited
#: us), ``rhythm`` (meeting about once a month suited me), ``online`` (the
#: online meetings worked for me), ``recommend`` (I would recommend an
#: eMessi group to a colleague).
PROGRAMME_FEEDBACK = Instrument(
    "emessi-programme",
    "eMessi programme feedback",
    items=("wellbeing", "themes", "rhythm", "online", "recommend"),
    minimum=1,
    maximum=5,
    total=False,
    source="emessi",
)


@checked
@attrs.frozen(field_transformer=strict)
class MeetingFeedback:
    """One participant's feedback on one meeting.

    Args:
        person: The id of the person giving feedback.
        group: The id of the group.
        meeting: The meeting's number in the group's series.
        submitted: When the feedback was given; timezone-aware.
        answers: The answers to the form's items (a mapping of item id to
            value, or :class:`~emessi.research.Answer` objects).
        comment: An optional free-text comment (personal data; hidden in
            the repr, never exported).
        form: The id of the feedback form (an instrument).

    Example:
        >>> from datetime import datetime, timezone
        >>> MeetingFeedback("p-01", "g-01", 2, datetime(2014, 2, 11, 16, tzinfo=timezone.utc),
        ...                 {"useful": 5}, comment="Good to hear others")
        MeetingFeedback(person='p-01', group='g-01', meeting=2, submitted=datetime.datetime(2014, 2, 11, 16, 0, tzinfo=datetime.timezone.utc), answers=(Answer(item='useful', value=5),), comment=<hidden>, form='emessi-meeting')

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    group: str = attrs.field(validator=check_id)
    meeting: int = attrs.field(validator=check_positive)
    submitted: datetime = attrs.field(validator=check_aware)
    answers: tuple[Answer, ...] = attrs.field(
        default=(), converter=_answers, metadata={OWN_FIRST: True}
    )
    comment: str | None = attrs.field(default=None, repr=hidden)
    form: str = attrs.field(default=MEETING_FEEDBACK.id, validator=check_id)


@checked
@attrs.frozen(field_transformer=strict)
class ProgrammeFeedback:
    """One participant's feedback on the whole programme, at its end.

    Args:
        person: The id of the person giving feedback.
        submitted: When the feedback was given; timezone-aware.
        answers: The answers to the form's items.
        comment: An optional free-text comment (personal data; hidden in
            the repr, never exported).
        form: The id of the feedback form (an instrument).

    Example:
        >>> from datetime import datetime, timezone
        >>> f = ProgrammeFeedback("p-01", datetime(2015, 6, 1, tzinfo=timezone.utc),
        ...                       {"wellbeing": 4, "recommend": 5}, comment="Thanks")
        >>> f.comment in repr(f)
        False

    .. versionadded:: 0.1.0

    """

    person: str = attrs.field(validator=check_id)
    submitted: datetime = attrs.field(validator=check_aware)
    answers: tuple[Answer, ...] = attrs.field(
        default=(), converter=_answers, metadata={OWN_FIRST: True}
    )
    comment: str | None = attrs.field(default=None, repr=hidden)
    form: str = attrs.field(default=PROGRAMME_FEEDBACK.id, validator=check_id)
