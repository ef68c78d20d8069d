"""Research data and privacy: feedback, instruments, consent, export, access.

eMessi groups are closed and what is said in them stays in them, yet the
method was developed by research and its users still evaluate it. This
subpackage keeps research data apart from the programme, scores
questionnaires such as UWES-9, compares waves, exports pseudonymised tidy
tables of consenting people only, and answers who may see what
(:func:`can`). Importing it registers the document formats
``emessi/study`` and ``emessi/instrument``.

Example:
    >>> from emessi.research import UWES9
    >>> UWES9.score({f"q{n}": 4 for n in range(1, 10)})["total"]
    4.0

.. versionadded:: 0.1.0

"""

from emessi.research.access import (
    POLICY,
    Action,
    Actor,
    Audience,
    Capacity,
    Resource,
    ResourceKind,
    can,
)
from emessi.research.compare import PairedChange, paired_change
from emessi.research.consent import Consent, consenting
from emessi.research.disclosure import QUASI_IDENTIFIERS, Disclosure, RiskReport, risk_report
from emessi.research.export import ResearchExport, pseudonymise, size_band
from emessi.research.feedback import (
    MEETING_FEEDBACK,
    PROGRAMME_FEEDBACK,
    MeetingFeedback,
    ProgrammeFeedback,
)
from emessi.research.instruments import (
    TOTAL,
    UWES9,
    Answer,
    Answers,
    Instrument,
    InstrumentResponse,
    Subscale,
)
from emessi.research.pseudonyms import (
    MIN_KEY_BYTES,
    MIN_PASSPHRASE_BYTES,
    Pseudonymiser,
    new_key,
    read_key_file,
    write_key_file,
)
from emessi.research.study import BUILTIN_INSTRUMENTS, StudyData
from emessi.research.tables import Cell, Column, ColumnType, Table

__all__ = [
    "BUILTIN_INSTRUMENTS",
    "MEETING_FEEDBACK",
    "MIN_KEY_BYTES",
    "MIN_PASSPHRASE_BYTES",
    "POLICY",
    "PROGRAMME_FEEDBACK",
    "QUASI_IDENTIFIERS",
    "TOTAL",
    "UWES9",
    "Action",
    "Actor",
    "Answer",
    "Answers",
    "Audience",
    "Capacity",
    "Cell",
    "Column",
    "ColumnType",
    "Consent",
    "Disclosure",
    "Instrument",
    "InstrumentResponse",
    "MeetingFeedback",
    "PairedChange",
    "ProgrammeFeedback",
    "Pseudonymiser",
    "ResearchExport",
    "Resource",
    "ResourceKind",
    "RiskReport",
    "StudyData",
    "Subscale",
    "Table",
    "can",
    "consenting",
    "new_key",
    "paired_change",
    "pseudonymise",
    "read_key_file",
    "risk_report",
    "size_band",
    "write_key_file",
]
