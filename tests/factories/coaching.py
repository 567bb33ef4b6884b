"""Helpers for coaching tests."""

import datetime as dt

from django.utils import timezone

from protutor.people.models import Term


def school_slot(days: int = 2, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time in protected time (a weekday in term, in the school day) at least `days` from today: where a
    coaching session is booked with cover (coaching.services.session_time_problem)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    terms = Term.objects.all()
    for _ in range(400):
        in_term = terms.filter(starts_on__lte=day, ends_on__gte=day).exists()
        known = terms.filter(ends_on__gte=day).exists()
        if day.weekday() < 5 and (in_term or not known):
            break
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
