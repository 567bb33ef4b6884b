"""Who may see what of one-to-one support: DESIGN.md section 2, first two rows.

- A case's content: the teacher and the tutor(s) currently holding it. Never the line manager, the head
  of department, the programme lead or an administrator.
- A tutor's private notes: that tutor alone.
- A referral: its content to the teacher and to the tutors it is addressed to (or who took it on);
  its existence and status, and nothing else, to the line manager who encouraged it.
- A safeguarding concern: the designated safeguarding leads of the institution and the person who
  raised it; the concern text and the teacher's name only, never the rest of the case.
- Aggregates: the programme lead (institution) and heads of department (their department), through
  suppression only.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from protutor.audit import permissions as audit_permissions
from protutor.core import permissions as registry
from protutor.people.models import CaseloadDepartment, Role, RoleAssignment, StaffMember
from protutor.people.permissions import caseload_links_now
from protutor.support.models import (
    CaseTutor,
    Interaction,
    PrivateNote,
    Referral,
    SafeguardingConcern,
    SupportCase,
)


def cases_readable_by(user) -> QuerySet[SupportCase]:
    """Cases whose content `user` may read: the teacher and the tutors currently holding the case."""
    if not user.is_authenticated:
        return SupportCase.objects.none()
    # Two IN-subqueries on indexed columns (the teacher, the case), so the database looks up the user's few
    # cases instead of testing every case in the trust (bench/run: docs/performance.md).
    own = StaffMember.objects.filter(user=user).values("pk")
    held = CaseTutor.objects.filter(tutor__user=user, ended_at__isnull=True).values("case")
    return SupportCase.objects.filter(Q(teacher__in=own) | Q(pk__in=held))


def interactions_readable_by(user) -> QuerySet[Interaction]:
    """An interaction's shared notes and next steps go with its case."""
    return Interaction.objects.filter(case__in=cases_readable_by(user))


def private_notes_readable_by(user) -> QuerySet[PrivateNote]:
    """A tutor's private note: its author alone."""
    if not user.is_authenticated:
        return PrivateNote.objects.none()
    return PrivateNote.objects.filter(author__user=user)


def _caseload_departments(user) -> QuerySet[CaseloadDepartment]:
    return caseload_links_now(user)


def requests_for(user) -> QuerySet[Referral]:
    """Referrals waiting for a tutor that `user` may take: those naming them, and those from their caseload's
    departments that name nobody; never a referral about themself (a tutor whose own department is in
    their caseload)."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return (
        Referral.objects.filter(status=Referral.Status.RECEIVED)
        .filter(
            Q(preferred_tutor__user=user)
            | Q(preferred_tutor__isnull=True, department__in=_caseload_departments(user).values("department"))
        )
        .exclude(teacher__user=user)
    )


def referrals_readable_by(user) -> QuerySet[Referral]:
    """A referral's content (what help is wanted, when the teacher is free): the teacher, the tutors it is
    addressed to while it waits, and the tutors holding the case it became."""
    if not user.is_authenticated:
        return Referral.objects.none()
    holding = CaseTutor.objects.filter(case__referral=OuterRef("pk"), tutor__user=user, ended_at__isnull=True)
    return Referral.objects.filter(
        Q(teacher__user=user) | Q(pk__in=requests_for(user).values("pk")) | Exists(holding)
    )


def referrals_known_to(user) -> QuerySet[Referral]:
    """Referrals whose existence and status `user` may know: those they may read, and those they made
    (a line manager sees waiting for the teacher, accepted, declined or closed; never the content)."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(pk__in=referrals_readable_by(user).values("pk")) | Q(referred_by__user=user)
    )


def _safeguarding_institutions(user):
    return (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.SAFEGUARDING_LEAD)
        .values("institution")
    )


def concerns_readable_by(user) -> QuerySet[SafeguardingConcern]:
    """A concern: the safeguarding leads of its institution and the person who raised it."""
    if not user.is_authenticated:
        return SafeguardingConcern.objects.none()
    return SafeguardingConcern.objects.filter(
        Q(raised_by__user=user) | Q(institution__in=_safeguarding_institutions(user))
    )


def safeguarding_work_about(reader, subject) -> Exists:
    """A safeguarding lead is doing safeguarding work about a member of staff once a concern about them
    has been raised with that lead: whatever else of theirs the lead opens is for safeguarding, so the
    access log never shows it to them (DESIGN.md section 2)."""
    return Exists(
        SafeguardingConcern.objects.filter(
            teacher=subject, institution__in=_safeguarding_institutions(reader)
        )
    )


def case_tutors_readable_by(user) -> QuerySet[CaseTutor]:
    return CaseTutor.objects.filter(case__in=cases_readable_by(user))


def cases_countable_by(user) -> QuerySet[SupportCase]:
    """Cases that may be counted, never listed, for `user`: the programme lead's institution and a head's
    department. Only protutor.core.aggregates may turn this into a figure on a page."""
    if not user.is_authenticated:
        return SupportCase.objects.none()
    in_force = RoleAssignment.objects.in_force().filter(staff__user=user)
    return SupportCase.objects.filter(
        Q(institution__in=in_force.filter(role=Role.PROGRAMME_LEAD).values("institution"))
        | Q(department__in=in_force.filter(role=Role.HEAD_OF_DEPARTMENT).values("department"))
    )


# Predicates on records already fetched through a scope.


def is_current_tutor(user, case: SupportCase) -> bool:
    return case.holdings.filter(tutor__user=user, ended_at__isnull=True).exists()


def can_work_on_case(user, case: SupportCase) -> bool:
    """Log an interaction, hand over, close, raise a concern: a current tutor of an open case."""
    return case.status == SupportCase.Status.OPEN and is_current_tutor(user, case)


def cases_worked_on_by(user) -> QuerySet[SupportCase]:
    """The open cases `user` currently holds: `can_work_on_case` as a queryset, for one query over many."""
    if not user.is_authenticated:
        return SupportCase.objects.none()
    held = CaseTutor.objects.filter(tutor__user=user, ended_at__isnull=True).values("case")
    return SupportCase.objects.filter(status=SupportCase.Status.OPEN, pk__in=held)


def can_accept_referral(user, referral: Referral) -> bool:
    return requests_for(user).filter(pk=referral.pk).exists()


def can_respond_to_referral(user, referral: Referral) -> bool:
    """The teacher answers a referral their line manager encouraged."""
    return referral.status == Referral.Status.AWAITING_TEACHER and referral.teacher.user_id == user.pk


def can_encourage_referral(user, staff: StaffMember) -> bool:
    return staff.line_manager is not None and staff.line_manager.user_id == user.pk


def staff_supportable_by(user) -> QuerySet[StaffMember]:
    """Staff a tutor may open a case for proactively: the departments of their caseload this year."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(
        department__in=_caseload_departments(user).values("department"), is_active=True
    ).exclude(user=user)


registry.register(SupportCase, cases_readable_by)
registry.register(Interaction, interactions_readable_by)
registry.register(PrivateNote, private_notes_readable_by)
registry.register(Referral, referrals_readable_by)
registry.register(SafeguardingConcern, concerns_readable_by)
registry.register(CaseTutor, case_tutors_readable_by)
audit_permissions.register_safeguarding(SafeguardingConcern, work=safeguarding_work_about)


def can_acknowledge_concern(user, concern: SafeguardingConcern) -> bool:
    """Only a safeguarding lead of the concern's institution acknowledges it."""
    return _safeguarding_institutions(user).filter(institution=concern.institution_id).exists()
