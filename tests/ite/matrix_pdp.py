"""The Professional Development Programme's part of the ITE access matrix.

`build(world)` seeds the standard topics, schedules one session (started an hour ago, inside the current
academic year) on the first topic and records `world.intern` as its only attendee, all through the
services as the ITE tutor.

Who gets each page (GET), in the merged world (tests/ite/test_access_matrix.py, where induction's build
makes `world.ect_mentor` the ECT's mentor and gives `world.colleague` a new-staff checklist that starts
today):
- the programme and a session's page: everyone of the institution (topics and sessions say nothing
  confidential; who attended shows only to the ITE tutor and programme lead);
- scheduling a session: the ITE tutor;
- coverage: the ITE tutor and programme lead (everyone), a mentor (their intern: `mentor`, and
  `other_mentor` for the Art intern), the ECT's induction tutor (the ECT), and the people taking part
  themselves, each seeing their own row: the intern, the ECT and the colleague (new staff). The head of
  department and the administrator work with nobody on the programme: a 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from protutor.ite import services_pdp

EVERYONE = {
    "intern",
    "mentor",
    "other_mentor",
    "ite_tutor",
    "induction_tutor",
    "ect",
    "programme_lead",
    "hod",
    "colleague",
    "admin",
}

# PDP topics and sessions hold no confidential text, and attendance is a link between a person and a
# session, not text: `build` writes `world.sentinel` into nothing, and no PDP page shows it.
SENTINEL_FIELDS: dict = {}
SENTINEL_VISIBLE: dict = {}


def session_start(year) -> dt.datetime:
    """An hour ago, or the first minute of the academic year if that is later: a session that has
    started, so its register can be taken, and that falls in the year."""
    start = timezone.make_aware(dt.datetime.combine(year.starts_on, dt.time(0, 1)))
    return max(timezone.now() - dt.timedelta(hours=1), start)


def build(world) -> None:
    actor = world.ite_tutor.user
    institution_id = world.ite_tutor.institution_id
    world.pdp_topics = services_pdp.seed_topics(actor=actor, institution_id=institution_id)
    year = services_pdp.current_year_for(institution_id)
    world.pdp_session = services_pdp.schedule_session(
        actor=actor,
        institution_id=institution_id,
        topic=world.pdp_topics[0],
        speaker="Dee Safeguard",
        starts_at=session_start(year),
        length_minutes=60,
        room="Library",
    )
    services_pdp.take_register(actor=actor, session=world.pdp_session, attendee_ids=[world.intern.pk])


ROUTES = {
    "ite:pdp": (lambda world: [], EVERYONE),
    "ite:pdp-seed": (lambda world: [], None),
    "ite:pdp-topic-add": (lambda world: [], None),
    "ite:pdp-session-create": (lambda world: [], {"ite_tutor"}),
    "ite:pdp-session": (lambda world: [world.pdp_session.pk], EVERYONE),
    "ite:pdp-coverage": (
        lambda world: [],
        {
            "intern",
            "mentor",
            "other_mentor",
            "ite_tutor",
            "induction_tutor",
            "ect",
            "programme_lead",
            "colleague",
        },
    ),
}

POST_ALLOWED = {
    "ite:pdp-seed": {"ite_tutor"},
    "ite:pdp-topic-add": {"ite_tutor"},
}
