"""The research data of one programme, as one document (``emessi/study``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from emessi._convert import register_format
from emessi._i18n import _
from emessi.errors import ResearchError
from emessi.model._checks import check_id
from emessi.model._strict import checked, only_tuples, strict
from emessi.research.consent import Consent, _in_force, consenting
from emessi.research.feedback import (
    MEETING_FEEDBACK,
    PROGRAMME_FEEDBACK,
    MeetingFeedback,
    ProgrammeFeedback,
)
from emessi.research.instruments import UWES9, Instrument, InstrumentResponse

__all__ = ["BUILTIN_INSTRUMENTS", "StudyData"]

#: The instruments every study knows without defining them.
BUILTIN_INSTRUMENTS: tuple[Instrument, ...] = (UWES9, MEETING_FEEDBACK, PROGRAMME_FEEDBACK)


def _consents(values: Iterable[Consent]) -> tuple[Consent, ...]:
    return tuple(values)


def _meeting_feedback(values: Iterable[MeetingFeedback]) -> tuple[MeetingFeedback, ...]:
    return tuple(values)


def _programme_feedback(values: Iterable[ProgrammeFeedback]) -> tuple[ProgrammeFeedback, ...]:
    return tuple(values)


def _responses(values: Iterable[InstrumentResponse]) -> tuple[InstrumentResponse, ...]:
    return tuple(values)


def _instruments(values: Iterable[Instrument]) -> tuple[Instrument, ...]:
    return tuple(values)


only_tuples(_consents, _meeting_feedback, _programme_feedback, _responses, _instruments)


@checked
@attrs.frozen(field_transformer=strict)
class StudyData:
    """Consents, feedback and questionnaire answers for one programme.

    Kept apart from the :class:`~emessi.Programme`, which it refers to by
    ids, so that the programme document carries no research data. Every
    answer is checked against its instrument when the value is made; one
    response per person, instrument and wave, and one feedback per person
    and meeting.

    Args:
        programme: The id of the programme studied.
        consents: Research consents.
        meeting_feedback: Feedback on meetings.
        programme_feedback: Feedback on the programme.
        responses: Answers to instruments such as UWES-9.
        instruments: Instruments of the study beyond the built-in ones
            (:data:`BUILTIN_INSTRUMENTS`).

    Raises:
        ResearchError: an unknown instrument, an invalid answer, or a
            duplicate response or feedback.

    Example:
        >>> from datetime import datetime, timezone
        >>> from emessi import dumps, loads
        >>> study = StudyData("emessi2", consents=[Consent("p-01", date(2013, 11, 1))],
        ...     responses=[InstrumentResponse("p-01", "uwes-9", "pre",
        ...                datetime(2013, 11, 1, tzinfo=timezone.utc), {"q1": 4})])
        >>> loads(dumps(study)) == study
        True

    .. versionadded:: 0.1.0

    """

    programme: str = attrs.field(validator=check_id)
    consents: tuple[Consent, ...] = attrs.field(default=(), converter=_consents)
    meeting_feedback: tuple[MeetingFeedback, ...] = attrs.field(
        default=(), converter=_meeting_feedback
    )
    programme_feedback: tuple[ProgrammeFeedback, ...] = attrs.field(
        default=(), converter=_programme_feedback
    )
    responses: tuple[InstrumentResponse, ...] = attrs.field(default=(), converter=_responses)
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_instruments)

    def __attrs_post_init__(self) -> None:
        builtin = {i.id for i in BUILTIN_INSTRUMENTS}
        for index, instrument in enumerate(self.instruments):
            if instrument.id in builtin or any(
                other.id == instrument.id for other in self.instruments[:index]
            ):
                raise ResearchError(
                    _("an instrument with this id is already defined"),
                    path=f"instruments[{index}].id",
                )
        keys: set[tuple[str, ...]] = set()
        records = [
            *(
                (f"responses[{i}]", r.instrument, r.answers, (r.person, r.instrument, r.wave))
                for i, r in enumerate(self.responses)
            ),
            *(
                (f"meeting_feedback[{i}]", f.form, f.answers, (f.person, f.group, str(f.meeting)))
                for i, f in enumerate(self.meeting_feedback)
            ),
            *(
                (f"programme_feedback[{i}]", f.form, f.answers, (f.person,))
                for i, f in enumerate(self.programme_feedback)
            ),
        ]
        for path, instrument_id, given, key in records:
            field = "instrument" if path.startswith("responses") else "form"
            self._find(instrument_id, path=f"{path}.{field}")._check(given, f"{path}.answers")
            keyed = (path.partition("[")[0], *key)
            if keyed in keys:
                raise ResearchError(
                    _("a second record for the same person and occasion"), path=path
                )
            keys.add(keyed)

    def _find(self, instrument_id: str, *, path: str) -> Instrument:
        for instrument in (*self.instruments, *BUILTIN_INSTRUMENTS):
            if instrument.id == instrument_id:
                return instrument
        raise ResearchError(_("no such instrument in the study"), path=path)

    @checked
    def instrument(self, instrument_id: str) -> Instrument:
        """The instrument with *instrument_id*: the study's own or a built-in one.

        Raises:
            ResearchError: no such instrument.

        Example:
            >>> StudyData("emessi2").instrument("uwes-9").name
            'Utrecht Work Engagement Scale (UWES-9)'

        """
        return self._find(instrument_id, path="instruments")

    @checked
    def consenting(self, on: date) -> frozenset[str]:
        """The ids of the people whose consent is in force *on* a day.

        Example:
            >>> StudyData("s", consents=[Consent("p-01", date(2014, 1, 1))]).consenting(
            ...     date(2014, 6, 1))
            frozenset({'p-01'})

        """
        return consenting(self.consents, on)

    @checked
    def only_consenting(self, on: date) -> StudyData:
        """A copy with the records of people whose consent is not in force dropped.

        Use it before any analysis: research uses only the data of people
        whose consent is in force.

        Example:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2014, 2, 1, tzinfo=timezone.utc)
            >>> study = StudyData("s", consents=[Consent("p-01", date(2014, 1, 1))],
            ...     programme_feedback=[ProgrammeFeedback("p-01", t), ProgrammeFeedback("p-02", t)])
            >>> [f.person for f in study.only_consenting(date(2014, 6, 1)).programme_feedback]
            ['p-01']

        """
        return self._only_consenting(on)

    def _only_consenting(self, on: date) -> StudyData:
        # only_consenting() without the argument check, for emessi's own calls
        keep = _in_force(self.consents, on)
        return attrs.evolve(
            self,
            consents=tuple(c for c in self.consents if c.person in keep),
            meeting_feedback=tuple(f for f in self.meeting_feedback if f.person in keep),
            programme_feedback=tuple(f for f in self.programme_feedback if f.person in keep),
            responses=tuple(r for r in self.responses if r.person in keep),
        )


register_format("emessi/study", StudyData)
