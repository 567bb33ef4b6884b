"""The Professional Development Programme for interns and new teachers: its topics (the job
description's list, tagged to the Teachers' Standards, and the school's own), the sessions the ITE tutor
schedules, their registers, and which topics each person has covered this year.

Who takes part in a year: that year's interns (on placement or completed, not withdrawn), early-career
teachers whose induction is in progress, and new staff whose induction started in the last 12 months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.ite.models import EctInduction, Intern, PdpAttendance, PdpSession, PdpTopic, StaffInduction
from protutor.ite.pdp_topics import STANDARDS_FRAMEWORK, TOPICS
from protutor.ite.permissions import LIVE_INDUCTION
from protutor.ite.services import require_ite_tutor
from protutor.observations.models import Standard
from protutor.observations.permissions import standards_in_use_for
from protutor.people.models import AcademicYear, Institution, StaffMember

NEW_STAFF_DAYS = 365
NOT_A_PARTICIPANT = "Select only interns and new teachers taking part in this year's programme"


@dataclass(frozen=True)
class Participant:
    staff: StaffMember
    kind: str

    @property
    def label(self) -> str:
        return f"{self.staff.full_name} ({self.kind})"


def current_year_for(institution_id: int) -> AcademicYear | None:
    return AcademicYear.objects.current().filter(institution_id=institution_id).first()


def _year_range(year: AcademicYear) -> str:
    return f"{year.name} ({year.starts_on.day} {year.starts_on:%B %Y} to {year.ends_on.day} {year.ends_on:%B %Y})"


def missing_seed_titles(existing_titles: Iterable[str]) -> list[str]:
    have = {title.casefold() for title in existing_titles}
    return [topic.title for topic in TOPICS if topic.title.casefold() not in have]


def participants(
    institution_id: int,
    academic_year: AcademicYear,
    today: dt.date,
    *,
    interns: QuerySet[Intern] | None = None,
    inductions: QuerySet[EctInduction] | None = None,
    staff_inductions: QuerySet[StaffInduction] | None = None,
) -> list[Participant]:
    """Who takes part in the year's programme, each once (as an intern first, then as an early-career
    teacher, then as new staff), by name. Three queries. Pass a reader's scopes to see only the people
    that reader may see; the defaults are everyone."""
    interns = (interns if interns is not None else Intern.objects.all()).filter(
        programme__academic_year=academic_year,
        programme__provider__institution=institution_id,
        status__in=[Intern.Status.ACTIVE, Intern.Status.COMPLETED],
    )
    inductions = (inductions if inductions is not None else EctInduction.objects.all()).filter(
        staff__institution=institution_id, status__in=LIVE_INDUCTION
    )
    staff_inductions = (
        staff_inductions if staff_inductions is not None else StaffInduction.objects.all()
    ).filter(
        staff__institution=institution_id,
        starts_on__gt=today - dt.timedelta(days=NEW_STAFF_DAYS),
        starts_on__lte=today,
    )
    found: dict[int, Participant] = {}
    for intern in interns.select_related("staff").order_by("pk"):
        found.setdefault(intern.staff_id, Participant(intern.staff, f"Intern, {intern.subject}"))
    for induction in inductions.select_related("staff"):
        found.setdefault(induction.staff_id, Participant(induction.staff, "Early-career teacher"))
    for checklist in staff_inductions.select_related("staff"):
        found.setdefault(checklist.staff_id, Participant(checklist.staff, "New staff"))
    return sorted(found.values(), key=lambda p: (p.staff.surname, p.staff.forename, p.staff.pk))


def coverage_for(
    staff_ids: Iterable[int],
    institution_id: int,
    academic_year: AcademicYear,
    *,
    attendance: QuerySet[PdpAttendance] | None = None,
) -> dict[int, dict[str, list[PdpTopic]]]:
    """For each person, the programme's topics they have covered (attended a session on that topic in the
    year) and those still missing, in programme order. Two queries whatever the number of people. Pass
    `attendance` as a reader's scope (permissions.pdp_attendance_readable_by) to count only what they may
    read; the default is every attendance row."""
    staff_ids = list(staff_ids)
    topics = list(PdpTopic.objects.filter(institution=institution_id, active=True))
    attended: set[tuple[int, int]] = set()
    if staff_ids:
        rows = (
            (attendance if attendance is not None else PdpAttendance.objects.all())
            .filter(
                staff_id__in=staff_ids,
                session__institution=institution_id,
                session__academic_year=academic_year,
            )
            .values_list("staff_id", "session__topic_id")
            .distinct()
        )
        attended = set(rows)
    return {
        staff_id: {
            "covered": [t for t in topics if (staff_id, t.pk) in attended],
            "missing": [t for t in topics if (staff_id, t.pk) not in attended],
        }
        for staff_id in staff_ids
    }


def _next_position(institution_id: int) -> int:
    """The school's own topics come after the standard ones, whichever was added first."""
    last = PdpTopic.objects.filter(institution=institution_id).aggregate(m=Max("position"))["m"] or 0
    return max(last, len(TOPICS)) + 1


@transaction.atomic
def seed_topics(*, actor, institution_id: int) -> list[PdpTopic]:
    """Add the standard topics the institution's programme does not have yet, each at its place in the
    job description's list and tagged to its Teachers' Standards. Topics already there (even retired or
    renamed in case only) are left as they are, so seeding twice adds nothing."""
    require_ite_tutor(actor, institution_id)
    # Two clicks at once must not both add the list: the second waits, then finds nothing missing.
    Institution.objects.select_for_update(of=("self",)).get(pk=institution_id)
    existing = PdpTopic.objects.filter(institution=institution_id).values_list("title", flat=True)
    missing = set(missing_seed_titles(existing))
    if not missing:
        return []
    standards = {
        s.number: s
        for s in Standard.objects.filter(
            framework__code=STANDARDS_FRAMEWORK,
            framework__institution__isnull=True,
            number__in={n for topic in TOPICS for n in topic.standards},
        )
    }
    added = []
    links = []
    for position, seed in enumerate(TOPICS, start=1):
        if seed.title not in missing:
            continue
        topic = PdpTopic.objects.create(institution_id=institution_id, title=seed.title, position=position)
        added.append(topic)
        links += [
            PdpTopic.standards.through(pdptopic_id=topic.pk, standard_id=standards[n].pk)
            for n in seed.standards
            if n in standards
        ]
    PdpTopic.standards.through.objects.bulk_create(links)
    audit.record(actor=actor, action="ite.pdp_topics_seeded", added=len(added))
    return added


@transaction.atomic
def add_topic(*, actor, institution_id: int, title: str, standards: Iterable[Standard]) -> PdpTopic:
    """Add one of the school's own topics, tagged to at least one standard, after the others."""
    require_ite_tutor(actor, institution_id)
    title = (title or "").strip()
    if not title:
        raise ServiceError("Enter the topic", field="title")
    standards = list(standards)
    if not standards:
        raise ServiceError("Select at least one standard", field="standards")
    usable = set(standards_in_use_for(institution_id).values_list("pk", flat=True))
    if any(s.pk not in usable for s in standards):
        raise ServiceError("Select standards your institution uses", field="standards")
    if PdpTopic.objects.filter(institution=institution_id, title__iexact=title).exists():
        raise ServiceError("The programme already has a topic with that title", field="title")
    try:
        with transaction.atomic():
            topic = PdpTopic.objects.create(
                institution_id=institution_id, title=title, position=_next_position(institution_id)
            )
    except IntegrityError as exc:
        raise ServiceError("The programme already has a topic with that title", field="title") from exc
    topic.standards.set(standards)
    audit.record(actor=actor, action="ite.pdp_topic_added", target=topic)
    return topic


@transaction.atomic
def schedule_session(
    *,
    actor,
    institution_id: int,
    topic: PdpTopic,
    speaker: str,
    starts_at: dt.datetime,
    length_minutes: int,
    room: str = "",
) -> PdpSession:
    """Schedule a session of this year's programme on one topic."""
    require_ite_tutor(actor, institution_id)
    if topic.institution_id != institution_id or not topic.active:
        raise ServiceError("Select a topic of the programme", field="topic")
    speaker = (speaker or "").strip()
    if not speaker:
        raise ServiceError("Enter the speaker's name", field="speaker")
    year = current_year_for(institution_id)
    if year is None:
        raise ServiceError("There is no current academic year. The programme lead sets the years up.")
    day = timezone.localtime(starts_at).date()
    if not year.starts_on <= day <= year.ends_on:
        raise ServiceError(f"The date must be in {_year_range(year)}", field="starts_at")
    if not 5 <= length_minutes <= 480:
        raise ServiceError("The length must be from 5 to 480 minutes", field="length_minutes")
    session = PdpSession.objects.create(
        institution_id=institution_id,
        academic_year=year,
        topic=topic,
        speaker=speaker,
        starts_at=starts_at,
        length_minutes=length_minutes,
        room=(room or "").strip(),
    )
    audit.record(actor=actor, action="ite.pdp_session_scheduled", target=session)
    return session


def register_choices(session: PdpSession, today: dt.date) -> list[Participant]:
    """Who can be on a session's register: the year's participants, and anyone already recorded as
    attending (someone who has since left the programme stays on a register taken earlier)."""
    people = participants(session.institution_id, session.academic_year, today)
    known = {p.staff.pk for p in people}
    earlier = StaffMember.objects.filter(pdp_attendance__session=session).exclude(pk__in=known)
    return people + [Participant(staff, "No longer on the programme") for staff in earlier]


@transaction.atomic
def take_register(*, actor, session: PdpSession, attendee_ids: Iterable[int]) -> PdpSession:
    """Record who attended, replacing the register as a whole, and mark it taken. Only participants can
    be on it."""
    session = PdpSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    require_ite_tutor(actor, session.institution_id)
    if session.starts_at > timezone.now():
        raise ServiceError("Take the register once the session has started", field="attendees")
    wanted = set(attendee_ids)
    allowed = {p.staff.pk for p in register_choices(session, timezone.localdate())}
    if wanted - allowed:
        raise ServiceError(NOT_A_PARTICIPANT, field="attendees")
    PdpAttendance.objects.filter(session=session).exclude(staff_id__in=wanted).delete()
    existing = set(PdpAttendance.objects.filter(session=session).values_list("staff_id", flat=True))
    PdpAttendance.objects.bulk_create(
        [PdpAttendance(session=session, staff_id=pk) for pk in sorted(wanted - existing)]
    )
    session.register_taken = True
    session.save(update_fields=["register_taken"])
    audit.record(actor=actor, action="ite.pdp_register_taken", target=session, attendees=len(wanted))
    return session
