"""Calendar files (RFC 5545): a feed of sessions, and a single invitation. Times are in Europe/London."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

LONDON = ZoneInfo("Europe/London")


def session_event(session) -> Event:
    event = Event()
    event.add("uid", f"{session.uid}@protutor")
    event.add("dtstamp", session.updated_at)
    event.add("dtstart", session.starts_at.astimezone(LONDON))
    event.add("dtend", session.ends_at.astimezone(LONDON))
    event.add("summary", f"{session.title} ({session.department.name})")
    if session.room:
        event.add("location", session.room)
    description = session.aims or session.get_format_display()
    event.add("description", description)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.status == session.Status.CANCELLED else "CONFIRMED")
    event.add("url", f"{settings.PROTUTOR_BASE_URL.rstrip('/')}{session.get_absolute_url()}")
    return event


def calendar_for(sessions, *, name: str, method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//protutor//CPD sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for session in sessions:
        calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()
