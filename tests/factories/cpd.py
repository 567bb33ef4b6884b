"""CPD sessions made through the services, so tests exercise the real paths (who may plan which department,
the term found from the date, SEQUENCE bumps, audit entries, emails after commit), and the term dates they
need: the `year` fixture is the academic year containing today, so helpers pick days from its terms."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from protutor.cpd import services
from protutor.cpd.models import Session
from tests.factories.people import AcademicYearFactory


def at(day: dt.date, hour: int = 16, minute: int = 0) -> dt.datetime:
    """`hour:minute` London time on `day` (GMT in winter, BST in summer)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def term_days(year) -> list[dt.date]:
    """Every day inside a term of `year`, in order."""
    days = []
    for term in year.terms.order_by("number"):
        day = term.starts_on
        while day <= term.ends_on:
            days.append(day)
            day += dt.timedelta(days=1)
    return days


def upcoming(year, hour: int = 16, skip: int = 0) -> dt.datetime:
    """`hour` o'clock on the first term day still to come (with `skip`, on the one `skip` term days later).
    At the very end of August, when `year` has no term time left, the next academic year is made for it."""
    now = timezone.now()
    future = [at(day, hour) for day in term_days(year) if at(day, hour) > now]
    if len(future) <= skip:
        following = AcademicYearFactory(
            institution=year.institution,
            starts_on=dt.date(year.ends_on.year, 9, 1),
            ends_on=dt.date(year.ends_on.year + 1, 8, 31),
        )
        future += [at(day, hour) for day in term_days(following)]
    return future[skip]


def started(year, hour: int = 9) -> dt.datetime:
    """The latest `hour` o'clock on a term day that has passed, so a register can be taken; before that
    hour on the first day of the year, its midnight."""
    now = timezone.now()
    days = term_days(year)
    for day in reversed(days):
        if at(day, hour) < now:
            return at(day, hour)
    if at(days[0], 0) < now:
        return at(days[0], 0)
    raise LookupError(f"no term time has passed by {now} in {year}")


def plan(
    planner,
    department,
    *,
    starts_at: dt.datetime,
    title: str = "Questioning that includes everyone",
    length_minutes: int = 30,
    format: str = Session.Format.MEETING,
    **fields,
) -> Session:
    """`planner` (the department's tutor or head, a StaffMember) plans a session."""
    return services.save_session(
        actor=planner.user,
        department=department,
        title=title,
        starts_at=starts_at,
        length_minutes=length_minutes,
        format=format,
        **fields,
    )


def change(planner, session: Session, **changes) -> Session:
    """`planner` saves the session again with `changes`; the rest stays as it was."""
    current = {
        "department": session.department,
        "title": session.title,
        "starts_at": session.starts_at,
        "length_minutes": session.length_minutes,
        "format": session.format,
        "aims": session.aims,
        "room": session.room,
        "focus_standards": list(session.focus_standards.all()),
        "requests": list(session.requests.all()),
        "resources": list(session.resources.all()),
    }
    return services.save_session(actor=planner.user, session=session, **{**current, **changes})


def deliver(session: Session, by, attendees) -> Session:
    """`by` takes the register: `attendees` came, and the session counts as delivered."""
    return services.record_attendance(actor=by.user, session=session, attendees=list(attendees))


def evaluate(session: Session, staff, usefulness: int, will_try: str = "") -> None:
    """`staff`, an attendee, sends their anonymous evaluation."""
    services.evaluate_session(actor=staff.user, session=session, usefulness=usefulness, will_try=will_try)
