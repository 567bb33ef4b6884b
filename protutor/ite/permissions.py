"""Who sees what of Initial Teacher Education and induction: DESIGN.md section 2, the "trainee and
early-career records" row.

- An intern's record (placements, mentor meetings, judgements, reflections, causes for concern, timetable,
  lesson observations): the intern, their mentor, the institution's ITE tutor (the professional tutor who
  coordinates ITE and induction) and the programme lead.
- An early-career teacher's induction (reduced timetable, progress reviews, formal assessments,
  evidence): the ECT, their mentor, their induction tutor, the ITE tutor and the programme lead.
- A new member of staff's induction checklist: the person, their induction tutor, the ITE tutor and the
  programme lead.
- Mentoring quality assurance and mentor training: the mentor, the ITE tutor and the programme lead.
- Never: heads of department, other teachers, administrators (DESIGN.md: "other staff").

Providers, programmes, reference points and their descriptors, PDP topics and sessions and the school's
teaching groups say nothing confidential about anyone: the staff of the institution may read them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from protutor.core import permissions as registry
from protutor.ite.models import (
    CauseForConcern,
    ChecklistItem,
    ChecklistTemplate,
    DepartmentCapacity,
    Descriptor,
    EctInduction,
    InductionEvent,
    InductionEvidence,
    Intern,
    Judgement,
    MentorMeeting,
    MentorReview,
    MentorTraining,
    PdpAttendance,
    PdpSession,
    PdpTopic,
    Placement,
    Programme,
    Provider,
    ReducedTimetable,
    ReferencePoint,
    ReferencePointReview,
    StaffInduction,
    TeachingGroup,
    TimetableAllocation,
    TimetableRule,
    TimetableRun,
)
from protutor.people.models import Role, StaffMember
from protutor.people.permissions import roles_in_force


def ite_tutored_by(user):
    """Institutions where `user` is the professional tutor for ITE and induction."""
    return roles_in_force(user, Role.ITE_TUTOR).values("institution")


def _overseen_by(user):
    """Institutions whose ITE records `user` reads as their ITE tutor or programme lead."""
    return roles_in_force(user, Role.ITE_TUTOR, Role.PROGRAMME_LEAD).values("institution")


def _own_institution(user):
    return StaffMember.objects.filter(user=user).values("institution")


def is_ite_tutor(user, institution_id: int) -> bool:
    return user.is_authenticated and ite_tutored_by(user).filter(institution=institution_id).exists()


def oversees_ite(user, institution_id: int) -> bool:
    return user.is_authenticated and _overseen_by(user).filter(institution=institution_id).exists()


def interns_readable_by(user) -> QuerySet[Intern]:
    """An intern's record: the intern, their mentor, the ITE tutor and the programme lead."""
    if not user.is_authenticated:
        return Intern.objects.none()
    return Intern.objects.filter(
        Q(staff__user=user)
        | Q(mentor__user=user)
        | Q(programme__provider__institution__in=_overseen_by(user))
    )


def inductions_readable_by(user) -> QuerySet[EctInduction]:
    """An ECT's induction: the ECT, their mentor, their induction tutor, the ITE tutor, the programme lead."""
    if not user.is_authenticated:
        return EctInduction.objects.none()
    return EctInduction.objects.filter(
        Q(staff__user=user)
        | Q(mentor__user=user)
        | Q(induction_tutor__user=user)
        | Q(staff__institution__in=_overseen_by(user))
    )


def staff_inductions_readable_by(user) -> QuerySet[StaffInduction]:
    """A new member of staff's checklist: the person, their induction tutor, the ITE tutor, the lead."""
    if not user.is_authenticated:
        return StaffInduction.objects.none()
    return StaffInduction.objects.filter(
        Q(staff__user=user) | Q(induction_tutor__user=user) | Q(staff__institution__in=_overseen_by(user))
    )


LIVE_INDUCTION = (EctInduction.Status.IN_PROGRESS, EctInduction.Status.EXTENDED)


def inductions_held_by(user) -> QuerySet[EctInduction]:
    """The inductions `user` holds for someone else, as their induction tutor or their mentor: what the
    induction overview lists for them (the ITE tutor and the programme lead see the institution's)."""
    return inductions_readable_by(user).filter(Q(induction_tutor__user=user) | Q(mentor__user=user))


def staff_inductions_held_by(user) -> QuerySet[StaffInduction]:
    """The new-staff checklists `user` holds as the person's induction tutor."""
    return staff_inductions_readable_by(user).filter(induction_tutor__user=user)


def induction_overview_reach(user, institution_id: int) -> str | None:
    """What the induction overview lists for `user`: "institution" (every induction and checklist of the
    institution) for the ITE tutor and the programme lead; "held" (those they hold) for an induction tutor
    or ECT mentor with a live induction or a checklist; None, a 404, for anyone else. The ECT or new member
    of staff reads their own record from the ITE page."""
    if oversees_ite(user, institution_id):
        return "institution"
    if user.is_authenticated and (
        inductions_held_by(user).filter(status__in=LIVE_INDUCTION).exists()
        or staff_inductions_held_by(user).exists()
    ):
        return "held"
    return None


def can_open_induction_overview(user, institution_id: int) -> bool:
    return induction_overview_reach(user, institution_id) is not None


def trainees_readable_by(user) -> QuerySet[StaffMember]:
    """Staff who are trainees now (an active intern, or an ECT whose induction is in progress or extended)
    and whose record `user` may read: the people whose lessons `user` may observe as trainees, and whose
    PDP attendance they may read. A finished record gives nobody a view of the person's later work."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(
        Exists(interns_readable_by(user).filter(staff=OuterRef("pk"), status=Intern.Status.ACTIVE))
        | Exists(inductions_readable_by(user).filter(staff=OuterRef("pk"), status__in=LIVE_INDUCTION))
    )


def training_observations_of(user) -> Q:
    """Which trainees' lesson observations `user` may read beyond their own: those made while the trainee
    had a record `user` may read, an internship in that programme's year or an induction from its start.
    A mentor from an earlier year does not read the observations of the person's later years."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    in_internship = interns_readable_by(user).filter(
        staff=OuterRef("observee"),
        programme__academic_year__starts_on__lte=OuterRef("observed_on"),
        programme__academic_year__ends_on__gte=OuterRef("observed_on"),
    )
    in_induction = inductions_readable_by(user).filter(
        staff=OuterRef("observee"), starts_on__lte=OuterRef("observed_on")
    )
    return Q(Exists(in_internship)) | Q(Exists(in_induction))


def mentor_records_readable_by(user, model):
    """Mentor training and mentoring reviews: the mentor, the ITE tutor and the programme lead."""
    if not user.is_authenticated:
        return model.objects.none()
    return model.objects.filter(Q(mentor__user=user) | Q(mentor__institution__in=_overseen_by(user)))


def _institution_staff(model, path: str):
    """Records that say nothing confidential: readable by the staff of their institution."""

    def scope(user):
        if not user.is_authenticated:
            return model.objects.none()
        return model.objects.filter(**{f"{path}__in": _own_institution(user)})

    scope.__doc__ = f"{model.__name__}: the staff of its institution."
    return scope


def _overseers(model, path: str):
    def scope(user):
        if not user.is_authenticated:
            return model.objects.none()
        return model.objects.filter(**{f"{path}__in": _overseen_by(user)})

    scope.__doc__ = f"{model.__name__}: the institution's ITE tutor and programme lead."
    return scope


def pdp_attendance_readable_by(user) -> QuerySet[PdpAttendance]:
    """The attendee, the ITE tutor and programme lead, and the mentor or induction tutor of the attendee."""
    if not user.is_authenticated:
        return PdpAttendance.objects.none()
    return PdpAttendance.objects.filter(
        Q(staff__user=user)
        | Q(session__institution__in=_overseen_by(user))
        | Q(staff__in=trainees_readable_by(user))
    )


def capacities_readable_by(user) -> QuerySet[DepartmentCapacity]:
    """The ITE tutor and programme lead, and the department's head."""
    if not user.is_authenticated:
        return DepartmentCapacity.objects.none()
    return DepartmentCapacity.objects.filter(
        Q(department__institution__in=_overseen_by(user))
        | Q(department__in=roles_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department"))
    )


# Actions: predicates on objects already fetched through a scope.


def is_intern(user, intern: Intern) -> bool:
    return intern.staff.user_id == user.pk


def is_mentor(user, intern: Intern) -> bool:
    return intern.mentor is not None and intern.mentor.user_id == user.pk


def can_manage_intern(user, intern: Intern) -> bool:
    """Placement, mentor, timetable rules, moderation, outcomes: the ITE tutor."""
    return is_ite_tutor(user, intern.programme.provider.institution_id)


def can_log_meeting(user, intern: Intern) -> bool:
    return intern.status == Intern.Status.ACTIVE and (
        is_mentor(user, intern) or can_manage_intern(user, intern)
    )


can_judge = can_log_meeting
can_raise_concern = can_log_meeting


def can_manage_induction(user, induction: EctInduction) -> bool:
    return is_ite_tutor(user, induction.staff.institution_id)


def can_record_induction_event(user, induction: EctInduction) -> bool:
    """The induction tutor holds the reviews and assessments (the mentor does not assess)."""
    return induction.induction_tutor.user_id == user.pk or can_manage_induction(user, induction)


def can_add_evidence(user, induction: EctInduction) -> bool:
    return user.pk in (
        induction.staff.user_id,
        induction.mentor.user_id,
        induction.induction_tutor.user_id,
    ) or can_manage_induction(user, induction)


def can_tick_checklist(user, induction: StaffInduction) -> bool:
    tutor_user = induction.induction_tutor.user_id if induction.induction_tutor else None
    return user.pk in (induction.staff.user_id, tutor_user) or is_ite_tutor(
        user, induction.staff.institution_id
    )


def _child(model, parent_scope, field: str):
    def scope(user):
        return model.objects.filter(**{f"{field}__in": parent_scope(user)})

    scope.__doc__ = f"{model.__name__}: whoever may read its {field}."
    return scope


registry.register(Provider, _institution_staff(Provider, "institution"))
registry.register(Programme, _institution_staff(Programme, "provider__institution"))
registry.register(ReferencePoint, _institution_staff(ReferencePoint, "programme__provider__institution"))
registry.register(
    Descriptor, _institution_staff(Descriptor, "reference_point__programme__provider__institution")
)
registry.register(DepartmentCapacity, capacities_readable_by)
registry.register(Intern, interns_readable_by)
registry.register(Placement, _child(Placement, interns_readable_by, "intern"))
registry.register(MentorTraining, lambda user: mentor_records_readable_by(user, MentorTraining))
registry.register(MentorReview, lambda user: mentor_records_readable_by(user, MentorReview))
registry.register(MentorMeeting, _child(MentorMeeting, interns_readable_by, "intern"))
registry.register(Judgement, _child(Judgement, interns_readable_by, "intern"))
registry.register(ReferencePointReview, _child(ReferencePointReview, interns_readable_by, "intern"))
registry.register(CauseForConcern, _child(CauseForConcern, interns_readable_by, "intern"))
registry.register(TeachingGroup, _institution_staff(TeachingGroup, "institution"))
registry.register(TimetableRule, _child(TimetableRule, interns_readable_by, "intern"))
registry.register(TimetableRun, _overseers(TimetableRun, "institution"))
registry.register(TimetableAllocation, _child(TimetableAllocation, interns_readable_by, "intern"))
registry.register(PdpTopic, _institution_staff(PdpTopic, "institution"))
registry.register(PdpSession, _institution_staff(PdpSession, "institution"))
registry.register(PdpAttendance, pdp_attendance_readable_by)
registry.register(ChecklistTemplate, _overseers(ChecklistTemplate, "institution"))
registry.register(StaffInduction, staff_inductions_readable_by)
registry.register(ChecklistItem, _child(ChecklistItem, staff_inductions_readable_by, "induction"))
registry.register(EctInduction, inductions_readable_by)
registry.register(ReducedTimetable, _child(ReducedTimetable, inductions_readable_by, "induction"))
registry.register(InductionEvent, _child(InductionEvent, inductions_readable_by, "induction"))
registry.register(InductionEvidence, _child(InductionEvidence, inductions_readable_by, "induction"))
registry.register(
    Judgement.history.model,
    lambda user: Judgement.history.model.objects.filter(intern_id__in=interns_readable_by(user).values("pk")),
)
registry.register(
    ReferencePointReview.history.model,
    lambda user: ReferencePointReview.history.model.objects.filter(
        intern_id__in=interns_readable_by(user).values("pk")
    ),
)
registry.register(
    CauseForConcern.history.model,
    lambda user: CauseForConcern.history.model.objects.filter(
        intern_id__in=interns_readable_by(user).values("pk")
    ),
)
registry.register(
    EctInduction.history.model,
    lambda user: EctInduction.history.model.objects.filter(id__in=inductions_readable_by(user).values("pk")),
)
