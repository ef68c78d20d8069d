"""emessi: the eMessi method of web-mediated peer mentoring, as a library.

Small closed groups of peers from small workplaces, a facilitator and an
observer meet online about monthly and talk through themes they choose, to
promote well-being at work (*työhyvinvointi*). emessi models the groups,
roles, profiles, rules, themes and session process of the method, validates
plans against it and stores them losslessly.

Example:
    >>> import emessi
    >>> group = emessi.Group("g-01", memberships=[emessi.Membership("p-01")])
    >>> emessi.validate(group).ok
    False

.. versionadded:: 0.1.0

"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as the type checker and the docs see them
    from emessi import errors, formation, research, scheduling, simulation
    from emessi._i18n import (
        get_language,
        set_language,
    )
    from emessi.errors import (
        EmessiError,
    )
    from emessi.formation import (
        Applicant,
        Formation,
        Staff,
        form_groups,
        read_applicants,
    )
    from emessi.io import (
        dump,
        dumps,
        formats,
        from_data,
        load,
        loads,
        to_data,
    )
    from emessi.io.ical import (
        dump_ical,
        dumps_ical,
    )
    from emessi.method import (
        Bounds,
        MeetingKind,
        MeetingPlan,
        MethodProfile,
        Severity,
        ThemeCatalogue,
        agenda_for,
        default_catalogue,
        default_ground_rules,
        get_profile,
        load_profile,
        profile_from_dict,
        profile_names,
        register_profile,
        session_framework,
        with_agendas,
    )
    from emessi.model import (
        AgendaItem,
        ChangeKind,
        Dimension,
        Group,
        Meeting,
        MeetingChange,
        MeetingStatus,
        Membership,
        Organisation,
        Person,
        Programme,
        Role,
        Theme,
        add_member,
        assign_secretaries,
        cancel_meeting,
        hold_meeting,
        local_date,
        remove_member,
    )
    from emessi.research import (
        Consent,
        Instrument,
        InstrumentResponse,
        MeetingFeedback,
        ProgrammeFeedback,
        StudyData,
        can,
        paired_change,
        pseudonymise,
    )
    from emessi.rules import (
        Breach,
        Context,
        Finding,
        Report,
        Rule,
        register_rule,
        registered_rules,
        rule,
        unregister_rule,
        validate,
    )
    from emessi.scheduling import (
        Blackout,
        HolidayCalendar,
        PlanWeights,
        Poll,
        ProgrammePlan,
        PublicHolidays,
        SchedulePlan,
        ScheduleUpdate,
        Slot,
        add_makeup_meeting,
        apply_plan,
        cancel_planned_meeting,
        check_schedule,
        common_slots,
        expected_attendance,
        load_report,
        plan_programme,
        plan_schedule,
        plan_starts,
        rank_slots,
        reschedule_meeting,
        restore_meeting,
    )
    from emessi.simulation import (
        Scenario,
        SimulationResult,
        simulate,
        sweep,
    )

__version__ = "0.1.0.dev0"

#: Where each public name lives. ``import emessi`` imports none of these
#: modules; the first use of a name imports its module (PEP 562), so a
#: script that needs only the model does not pay for scheduling, formation,
#: simulation or research. A test checks this map against ``__all__``.
_LAZY: dict[str, str] = {
    "EmessiError": "emessi.errors",
    "get_language": "emessi._i18n",
    "set_language": "emessi._i18n",
    "Applicant": "emessi.formation",
    "form_groups": "emessi.formation",
    "Formation": "emessi.formation",
    "read_applicants": "emessi.formation",
    "Staff": "emessi.formation",
    "dump": "emessi.io",
    "dumps": "emessi.io",
    "formats": "emessi.io",
    "from_data": "emessi.io",
    "load": "emessi.io",
    "loads": "emessi.io",
    "to_data": "emessi.io",
    "dump_ical": "emessi.io.ical",
    "dumps_ical": "emessi.io.ical",
    "agenda_for": "emessi.method",
    "Bounds": "emessi.method",
    "default_catalogue": "emessi.method",
    "default_ground_rules": "emessi.method",
    "get_profile": "emessi.method",
    "load_profile": "emessi.method",
    "MeetingKind": "emessi.method",
    "MeetingPlan": "emessi.method",
    "MethodProfile": "emessi.method",
    "profile_from_dict": "emessi.method",
    "profile_names": "emessi.method",
    "register_profile": "emessi.method",
    "session_framework": "emessi.method",
    "Severity": "emessi.method",
    "ThemeCatalogue": "emessi.method",
    "with_agendas": "emessi.method",
    "add_member": "emessi.model",
    "AgendaItem": "emessi.model",
    "assign_secretaries": "emessi.model",
    "cancel_meeting": "emessi.model",
    "ChangeKind": "emessi.model",
    "Dimension": "emessi.model",
    "Group": "emessi.model",
    "hold_meeting": "emessi.model",
    "local_date": "emessi.model",
    "Meeting": "emessi.model",
    "MeetingChange": "emessi.model",
    "MeetingStatus": "emessi.model",
    "Membership": "emessi.model",
    "Organisation": "emessi.model",
    "Person": "emessi.model",
    "Programme": "emessi.model",
    "remove_member": "emessi.model",
    "Role": "emessi.model",
    "Theme": "emessi.model",
    "can": "emessi.research",
    "Consent": "emessi.research",
    "Instrument": "emessi.research",
    "InstrumentResponse": "emessi.research",
    "MeetingFeedback": "emessi.research",
    "paired_change": "emessi.research",
    "ProgrammeFeedback": "emessi.research",
    "pseudonymise": "emessi.research",
    "StudyData": "emessi.research",
    "Breach": "emessi.rules",
    "Context": "emessi.rules",
    "Finding": "emessi.rules",
    "register_rule": "emessi.rules",
    "registered_rules": "emessi.rules",
    "Report": "emessi.rules",
    "Rule": "emessi.rules",
    "rule": "emessi.rules",
    "unregister_rule": "emessi.rules",
    "validate": "emessi.rules",
    "add_makeup_meeting": "emessi.scheduling",
    "apply_plan": "emessi.scheduling",
    "Blackout": "emessi.scheduling",
    "cancel_planned_meeting": "emessi.scheduling",
    "check_schedule": "emessi.scheduling",
    "common_slots": "emessi.scheduling",
    "expected_attendance": "emessi.scheduling",
    "HolidayCalendar": "emessi.scheduling",
    "load_report": "emessi.scheduling",
    "plan_programme": "emessi.scheduling",
    "plan_schedule": "emessi.scheduling",
    "PlanWeights": "emessi.scheduling",
    "ProgrammePlan": "emessi.scheduling",
    "plan_starts": "emessi.scheduling",
    "Poll": "emessi.scheduling",
    "PublicHolidays": "emessi.scheduling",
    "rank_slots": "emessi.scheduling",
    "reschedule_meeting": "emessi.scheduling",
    "restore_meeting": "emessi.scheduling",
    "SchedulePlan": "emessi.scheduling",
    "ScheduleUpdate": "emessi.scheduling",
    "Slot": "emessi.scheduling",
    "Scenario": "emessi.simulation",
    "simulate": "emessi.simulation",
    "SimulationResult": "emessi.simulation",
    "sweep": "emessi.simulation",
}
_SUBPACKAGES = frozenset({"errors", "formation", "research", "scheduling", "simulation"})

__all__ = [
    "AgendaItem",
    "Applicant",
    "Blackout",
    "Bounds",
    "Breach",
    "ChangeKind",
    "Consent",
    "Context",
    "Dimension",
    "EmessiError",
    "Finding",
    "Formation",
    "Group",
    "HolidayCalendar",
    "Instrument",
    "InstrumentResponse",
    "Meeting",
    "MeetingChange",
    "MeetingFeedback",
    "MeetingKind",
    "MeetingPlan",
    "MeetingStatus",
    "Membership",
    "MethodProfile",
    "Organisation",
    "Person",
    "PlanWeights",
    "Poll",
    "Programme",
    "ProgrammeFeedback",
    "ProgrammePlan",
    "PublicHolidays",
    "Report",
    "Role",
    "Rule",
    "Scenario",
    "SchedulePlan",
    "ScheduleUpdate",
    "Severity",
    "SimulationResult",
    "Slot",
    "Staff",
    "StudyData",
    "Theme",
    "ThemeCatalogue",
    "__version__",
    "add_makeup_meeting",
    "add_member",
    "agenda_for",
    "apply_plan",
    "assign_secretaries",
    "can",
    "cancel_meeting",
    "cancel_planned_meeting",
    "check_schedule",
    "common_slots",
    "default_catalogue",
    "default_ground_rules",
    "dump",
    "dump_ical",
    "dumps",
    "dumps_ical",
    "errors",
    "expected_attendance",
    "form_groups",
    "formation",
    "formats",
    "from_data",
    "get_language",
    "get_profile",
    "hold_meeting",
    "load",
    "load_profile",
    "load_report",
    "loads",
    "local_date",
    "paired_change",
    "plan_programme",
    "plan_schedule",
    "plan_starts",
    "profile_from_dict",
    "profile_names",
    "pseudonymise",
    "rank_slots",
    "read_applicants",
    "register_profile",
    "register_rule",
    "registered_rules",
    "remove_member",
    "reschedule_meeting",
    "research",
    "restore_meeting",
    "rule",
    "scheduling",
    "session_framework",
    "set_language",
    "simulate",
    "simulation",
    "sweep",
    "to_data",
    "unregister_rule",
    "validate",
    "with_agendas",
]


#: Every other public module and subpackage, imported on first attribute use.
_MODULES = frozenset(
    {"cli", "demo", "io", "method", "model", "plotting", "provenance", "rules", "testing"}
)


def __getattr__(name: str) -> Any:
    """Import the module of a public name on first use (PEP 562)."""
    if name in _SUBPACKAGES:
        value: Any = importlib.import_module(f"emessi.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _MODULES:
        # emessi.model, emessi.rules, emessi.demo, ...: reachable as
        # attributes as they were when `import emessi` imported them all
        value = importlib.import_module(f"emessi.{name}")
    else:
        raise AttributeError(f"module 'emessi' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
