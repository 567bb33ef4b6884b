"""Writes for providers, programmes, reference points, department capacity and intern placements.

Each write is one transaction with its audit entry; emails go after commit and carry no confidential
text. The other areas of ITE have their own modules (services_mentoring, services_assessment,
services_timetable, services_pdp, services_induction) built on the helpers here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from protutor.audit import services as audit
from protutor.core.confirm import ConfirmationNeeded
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.ite import permissions
from protutor.ite.models import (
    DEFAULT_SCALE,
    DepartmentCapacity,
    Descriptor,
    Intern,
    Placement,
    Programme,
    Provider,
    ReferencePoint,
    TeachingGroup,
)
from protutor.observations.models import Standard
from protutor.observations.permissions import standards_in_use_for
from protutor.people.models import AcademicYear, Department, StaffMember, User

DENIED = "You do not have permission to do that."


def staff_of(actor) -> StaffMember:
    staff = StaffMember.objects.filter(user=actor).first()
    if staff is None:
        raise ServiceError("Your account is not linked to a member of staff.")
    return staff


def require_ite_tutor(actor, institution_id: int) -> StaffMember:
    """The acting ITE tutor's staff record, or a refusal."""
    staff = staff_of(actor)
    if not permissions.is_ite_tutor(actor, institution_id):
        raise ServiceError(DENIED)
    return staff


def _clean(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(message, field=field)
    return text


@transaction.atomic
def save_provider(*, actor, provider: Provider | None = None, **fields) -> Provider:
    """Record a provider (or change one) for the ITE tutor's institution."""
    staff = staff_of(actor)
    institution_id = provider.institution_id if provider else staff.institution_id
    require_ite_tutor(actor, institution_id)
    fields["name"] = _clean(fields.get("name", ""), "name", "Enter the provider's name")
    created = provider is None
    provider = provider or Provider(institution_id=institution_id)
    for name, value in fields.items():
        setattr(provider, name, value.strip() if isinstance(value, str) else value)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as exc:
        raise ServiceError("A provider with that name is already recorded", field="name") from exc
    audit.record(
        actor=actor, action="ite.provider_saved" if not created else "ite.provider_added", target=provider
    )
    return provider


def parse_scale(text: str) -> list[dict]:
    """One judgement per line, lowest first: "Not yet meeting", "Meeting". Codes come from the labels."""
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not labels:
        return list(DEFAULT_SCALE)
    if len(labels) < 2:
        raise ServiceError("Enter at least two judgements, one on each line", field="scale")
    if len({label.lower() for label in labels}) < len(labels):
        raise ServiceError("Each judgement on the scale must be different", field="scale")
    return [{"code": f"j{n}", "label": label[:60]} for n, label in enumerate(labels, start=1)]


@transaction.atomic
def add_programme(
    *, actor, provider: Provider, academic_year: AcademicYear, name: str, route: str, scale_text: str = ""
) -> Programme:
    require_ite_tutor(actor, provider.institution_id)
    if academic_year.institution_id != provider.institution_id:
        raise ServiceError("Select an academic year of your institution", field="academic_year")
    if route not in Programme.Route.values:
        raise ServiceError("Select the route", field="route")
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                provider=provider,
                academic_year=academic_year,
                name=_clean(name, "name", "Enter the programme's name, like Secondary PGCE"),
                route=route,
                scale=parse_scale(scale_text),
            )
    except IntegrityError as exc:
        raise ServiceError("That programme is already recorded for this year", field="name") from exc
    audit.record(actor=actor, action="ite.programme_added", target=programme)
    return programme


@transaction.atomic
def save_reference_point(
    *,
    actor,
    programme: Programme,
    name: str,
    due_on: dt.date,
    descriptors: dict[int, str],
    reference_point: ReferencePoint | None = None,
) -> ReferencePoint:
    """Add (or change) an Assessment Reference Point with the provider's descriptor for each standard."""
    require_ite_tutor(actor, programme.provider.institution_id)
    name = _clean(name, "name", "Enter the reference point's name, like Assessment Reference Point 1")
    year = programme.academic_year
    if not year.starts_on <= due_on <= year.ends_on:
        raise ServiceError(
            f"The due date must be in {year.name} ({year.starts_on:%d %B %Y} to {year.ends_on:%d %B %Y})",
            field="due_on",
        )
    if reference_point is None:
        last = programme.reference_points.order_by("-number").first()
        reference_point = ReferencePoint(programme=programme, number=(last.number + 1) if last else 1)
    reference_point.name = name
    reference_point.due_on = due_on
    reference_point.save()
    wanted = {pk: text.strip() for pk, text in descriptors.items() if text and text.strip()}
    valid = set(Standard.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    reference_point.descriptors.exclude(standard_id__in=wanted).delete()
    for standard_id, text in wanted.items():
        if standard_id in valid:
            Descriptor.objects.update_or_create(
                reference_point=reference_point, standard_id=standard_id, defaults={"text": text}
            )
    audit.record(actor=actor, action="ite.reference_point_saved", target=reference_point)
    return reference_point


@transaction.atomic
def set_capacity(*, actor, academic_year: AcademicYear, places: dict[int, int | None]) -> None:
    """Each department's intern places for a year (the head of department's answer, recorded by the tutor).
    None clears a department's places: it has stated none."""
    require_ite_tutor(actor, academic_year.institution_id)
    departments = set(
        Department.objects.filter(institution_id=academic_year.institution_id, pk__in=places).values_list(
            "pk", flat=True
        )
    )
    for department_id, count in places.items():
        if department_id not in departments:
            raise ServiceError("Select departments of your institution")
        if count is None:
            DepartmentCapacity.objects.filter(
                department_id=department_id, academic_year=academic_year
            ).delete()
            continue
        if count < 0 or count > 20:
            raise ServiceError("Enter intern places from 0 to 20 for each department")
        DepartmentCapacity.objects.update_or_create(
            department_id=department_id, academic_year=academic_year, defaults={"places": count}
        )
    audit.record(actor=actor, action="ite.capacity_set", year=academic_year.name)


def _new_person(institution_id: int, forename: str, surname: str, email: str) -> StaffMember:
    forename = _clean(forename, "forename", "Enter the intern's first name")
    surname = _clean(surname, "surname", "Enter the intern's last name")
    email = _clean(email, "email", "Enter the intern's email address").lower()
    in_use = StaffMember.objects.annotate(e=Lower("email")).filter(e=email)
    if in_use.filter(institution_id=institution_id).exists():
        raise ServiceError(
            "Someone with that email address is already on the staff list: select them instead", field="email"
        )
    if in_use.exists() or User.objects.annotate(e=Lower("email")).filter(e=email).exists():
        raise ServiceError(
            "That email address is already used by another account: enter another", field="email"
        )
    base = (
        "".join(ch for ch in f"{forename}.{surname}".lower() if ch.isalnum() or ch == ".")[:120] or "intern"
    )
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    # Interns sign in through the school's single sign-on or a password reset; no password is made here.
    user = User.objects.create(
        username=username,
        email=email,
        first_name=forename,
        last_name=surname,
        password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2),
    )
    code, n = f"ITE-{user.pk}", 0
    while StaffMember.objects.filter(institution_id=institution_id, staff_code=code).exists():
        n += 1
        code = f"ITE-{user.pk}-{n}"
    return StaffMember.objects.create(
        institution_id=institution_id,
        user=user,
        staff_code=code,
        forename=forename,
        surname=surname,
        email=email,
        job_title="Intern",
    )


def _check_mentor(
    mentor: StaffMember | None, *, institution_id: int, intern_staff: StaffMember | None
) -> None:
    if mentor is None:
        return
    if mentor.institution_id != institution_id or not mentor.is_active:
        raise ServiceError("Select a mentor from your institution's staff", field="mentor")
    if intern_staff is not None and mentor.pk == intern_staff.pk:
        raise ServiceError("An intern cannot be their own mentor", field="mentor")
    if mentor.internships.filter(status=Intern.Status.ACTIVE).exists():
        raise ServiceError("Select a qualified teacher as mentor, not an intern", field="mentor")


def _subject_key(subject: str) -> str:
    return " ".join(subject.split()).casefold()


_JOINING_WORDS = {"and", "&", "with", "of", "studies"}


def same_subject(one: str, other: str) -> bool:
    """Whether two names are the same subject, ignoring case and spacing, or one names part of the
    other: "Art" and "Art and Design", "Design and Technology" and "Design & Technology"."""
    words = [set(_subject_key(name).replace(",", " ").split()) - _JOINING_WORDS for name in (one, other)]
    return bool(words[0] and words[1]) and (words[0] <= words[1] or words[1] <= words[0])


def mentor_subjects(mentors: Iterable[StaffMember], year_id: int) -> dict[int, tuple[list[str], str]]:
    """What each mentor teaches as the school records it, and where that comes from: the subjects of their
    classes in the year's timetable import ("timetable"), else their department's name ("department"), else
    nothing known (([], "")). One query; each mentor's department should be selected with it."""
    mentors = list(mentors)
    taught: dict[int, set[str]] = {}
    for teacher_id, subject in TeachingGroup.objects.filter(
        teacher__in=[m.pk for m in mentors], academic_year=year_id
    ).values_list("teacher", "subject"):
        taught.setdefault(teacher_id, set()).add(subject.strip())
    known: dict[int, tuple[list[str], str]] = {}
    for mentor in mentors:
        if mentor.pk in taught:
            known[mentor.pk] = (sorted(taught[mentor.pk], key=str.casefold), "timetable")
        elif mentor.department_id is not None and mentor.department is not None:
            known[mentor.pk] = ([mentor.department.name], "department")
        else:
            known[mentor.pk] = ([], "")
    return known


def subject_mismatch(intern_subject: str, mentor: StaffMember, known: tuple[list[str], str]) -> str:
    """The sentence saying that `mentor` does not teach the intern's subject, or "" when they do or it is
    not known. Subjects are compared by `same_subject`. The one rule for placing an intern (warn
    and ask to confirm) and for mentor quality assurance (shown, never "All in place")."""
    subjects, source = known
    if not subjects or any(same_subject(intern_subject, subject) for subject in subjects):
        return ""
    wanted = intern_subject.strip()
    if source == "timetable":
        return f"{mentor.full_name} teaches {', '.join(subjects)}, not {wanted}"
    return f"{mentor.full_name} is in the {subjects[0]} department, not {wanted}"


MENTOR_SUBJECT_CONFIRM = "Yes, this mentor is right for this intern"


def _confirm_mentor_subject(
    subject: str, mentor: StaffMember | None, year_id: int, *, confirmed: bool
) -> None:
    """An intern is mentored by a teacher of their subject: another subject is unusual, so it is placed
    only once confirmed."""
    if mentor is None or confirmed:
        return
    mismatch = subject_mismatch(subject, mentor, mentor_subjects([mentor], year_id)[mentor.pk])
    if mismatch:
        raise ConfirmationNeeded(
            f"{mismatch}: an intern is normally mentored by a teacher of their subject. Select another "
            "mentor, or confirm this one",
            confirm_label=MENTOR_SUBJECT_CONFIRM,
            field="mentor",
        )


def _check_phase(starts_on: dt.date | None, ends_on: dt.date | None, programme: Programme) -> None:
    if starts_on is None or ends_on is None:
        raise ServiceError("Enter the placement's start and end dates", field="starts_on")
    if ends_on < starts_on:
        raise ServiceError("The placement's end date must be on or after its start date", field="ends_on")
    year = programme.academic_year
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise ServiceError(
            f"The placement must fall within {year.name} ({year.starts_on:%d %B %Y} to {year.ends_on:%d %B %Y})",
            field="starts_on",
        )


@transaction.atomic
def place_intern(
    *,
    actor,
    programme: Programme,
    subject: str,
    department: Department,
    mentor: StaffMember | None,
    phase_name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    staff: StaffMember | None = None,
    forename: str = "",
    surname: str = "",
    email: str = "",
    tutor_group: str = "",
    target_periods: int = 12,
    confirmed: bool = False,
) -> Intern:
    """Place an intern on a programme in a department with a mentor and a first placement phase. The
    intern is someone already on the staff list, or a new person given an account without a password.
    A mentor who does not teach the intern's subject is placed only once `confirmed`.
    Side effects: audit entry; the intern and mentor are emailed after commit."""
    institution_id = programme.provider.institution_id
    require_ite_tutor(actor, institution_id)
    if department.institution_id != institution_id:
        raise ServiceError("Select a department of your institution", field="department")
    subject = _clean(subject, "subject", "Enter the intern's subject, like Mathematics")
    if staff is not None and staff.institution_id != institution_id:
        raise ServiceError("Select someone from your institution's staff", field="staff")
    _check_mentor(mentor, institution_id=institution_id, intern_staff=staff)
    _check_phase(starts_on, ends_on, programme)
    _confirm_mentor_subject(subject, mentor, programme.academic_year_id, confirmed=confirmed)
    if staff is None:
        staff = _new_person(institution_id, forename, surname, email)
        staff.department = department
        staff.save(update_fields=["department"])
    else:
        placed = (
            Intern.objects.filter(staff=staff, programme__academic_year=programme.academic_year)
            .exclude(status=Intern.Status.WITHDRAWN)
            .select_related("programme")
            .first()
        )
        if placed is not None:
            raise ServiceError(
                f"{staff.full_name} is already placed this year on {placed.programme.name}: change that "
                "placement instead",
                field="staff",
            )
    intern = Intern.objects.create(
        staff=staff,
        programme=programme,
        subject=subject,
        department=department,
        mentor=mentor,
        tutor_group=tutor_group.strip(),
        target_periods=target_periods,
    )
    Placement.objects.create(
        intern=intern,
        name=_clean(phase_name, "phase_name", "Enter a name for the placement phase"),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit.record(actor=actor, action="ite.intern_placed", target=intern)
    notify_after_commit(
        [staff.user, mentor.user if mentor else None],
        subject="An internship placement",
        message="An intern placement that involves you has been recorded.",
        path=intern.get_absolute_url(),
    )
    return intern


@transaction.atomic
def update_intern(
    *,
    actor,
    intern: Intern,
    subject: str,
    department: Department,
    mentor: StaffMember | None,
    tutor_group: str,
    target_periods: int,
    status: str,
    confirmed: bool = False,
) -> Intern:
    """Change an intern's placement details. A new mentor, or a new subject, where the mentor does not
    teach the subject is saved only once `confirmed`."""
    institution_id = intern.programme.provider.institution_id
    require_ite_tutor(actor, institution_id)
    intern = Intern.objects.select_for_update(of=("self",)).get(pk=intern.pk)
    if department.institution_id != institution_id:
        raise ServiceError("Select a department of your institution", field="department")
    _check_mentor(mentor, institution_id=institution_id, intern_staff=intern.staff)
    if status not in Intern.Status.values:
        raise ServiceError("Select the intern's status", field="status")
    mentor_changed = mentor is not None and mentor.pk != intern.mentor_id
    if mentor_changed or _subject_key(subject) != _subject_key(intern.subject):
        _confirm_mentor_subject(subject, mentor, intern.programme.academic_year_id, confirmed=confirmed)
    intern.subject = _clean(subject, "subject", "Enter the intern's subject, like Mathematics")
    intern.department = department
    intern.mentor = mentor
    intern.tutor_group = tutor_group.strip()
    intern.target_periods = target_periods
    intern.status = status
    intern.save()
    audit.record(actor=actor, action="ite.intern_updated", target=intern)
    if mentor_changed:
        assert mentor is not None  # a changed mentor is never None
        notify_after_commit(
            [mentor.user],
            subject="You are an intern's mentor",
            message="You have been appointed as an intern's mentor.",
            path=intern.get_absolute_url(),
        )
    return intern


@transaction.atomic
def add_placement(*, actor, intern: Intern, name: str, starts_on: dt.date, ends_on: dt.date) -> Placement:
    require_ite_tutor(actor, intern.programme.provider.institution_id)
    _check_phase(starts_on, ends_on, intern.programme)
    overlapping = intern.placements.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ServiceError(f"The dates overlap the placement phase {overlapping.name}", field="starts_on")
    placement = Placement.objects.create(
        intern=intern,
        name=_clean(name, "name", "Enter a name for the placement phase"),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit.record(actor=actor, action="ite.placement_added", target=placement)
    return placement


def weeks_of(placements: Iterable[Placement], until: dt.date, terms: Iterable | None = None) -> list[dt.date]:
    """The Mondays of every school week of the placements up to `until` (a week counts once begun). With
    `terms` (the year's Term rows), a week with no school day in a term (a holiday) is not a school week."""
    spans = [(t.starts_on, t.ends_on) for t in terms] if terms is not None else None
    mondays: set[dt.date] = set()
    for placement in placements:
        day = placement.starts_on - dt.timedelta(days=placement.starts_on.weekday())
        while day <= min(placement.ends_on, until):
            friday = day + dt.timedelta(days=4)
            if spans is None or any(start <= friday and day <= end for start, end in spans):
                mondays.add(day)
            day += dt.timedelta(days=7)
    return sorted(mondays)


def meeting_gaps(
    placements: Iterable[Placement],
    meeting_dates: Iterable[dt.date],
    today: dt.date,
    terms: Iterable | None = None,
) -> list[dt.date]:
    """Placement weeks in term time now over with no mentor meeting logged: the Monday of each such week.
    The current week is not a gap yet."""
    met = {day - dt.timedelta(days=day.weekday()) for day in meeting_dates}
    this_week = today - dt.timedelta(days=today.weekday())
    return [
        monday for monday in weeks_of(placements, today, terms) if monday < this_week and monday not in met
    ]


def teachers_standards(institution_id: int):
    """The Teachers' Standards headings the ITE records use: Part One's 1 to 8 and Part Two's statements,
    in order. Descriptors, judgements, meeting targets and evidence are all written against these."""
    return (
        standards_in_use_for(institution_id)
        .filter(parent__isnull=True, framework__code="TS")
        .select_related("framework")
        .order_by("position")
    )


def current_reference_point(programme: Programme, today: dt.date, points=None) -> ReferencePoint | None:
    """The next reference point due (or the last one, once all are past)."""
    points = list(points if points is not None else programme.reference_points.all())
    upcoming = [p for p in points if p.due_on >= today]
    if upcoming:
        return min(upcoming, key=lambda p: p.due_on)
    return max(points, key=lambda p: p.due_on) if points else None
