"""The sole entrepreneurs' own rule: groups meet in the morning."""

from zoneinfo import ZoneInfo

from emessi import Breach, Severity, rule


@rule("solo-morning-meetings", scope="meeting", severity=Severity.WARNING)
def morning_meetings(meeting, ctx):
    """A meeting starts before noon, local time: afternoons are for customers."""
    zone = ZoneInfo(ctx.group.timezone) if ctx.group else meeting.start.tzinfo
    if meeting.start.astimezone(zone).hour >= 12:
        yield Breach("start", "starts in the afternoon; entrepreneurs meet before noon")
