"""What a signed-in person is, worked out once per request: the roles behind their home page and menu.

This answers "which parts of the app does this person use", not "may they see this record": that is
always a scope in a permissions module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from protutor.people.models import Caseload, Role, RoleAssignment, StaffMember

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass
class Actor:
    staff: StaffMember | None
    caseload: Caseload | None = None
    headed_department_ids: list[int] = field(default_factory=list)
    led_institution_ids: list[int] = field(default_factory=list)
    administered_institution_ids: list[int] = field(default_factory=list)
    is_safeguarding_lead: bool = False
    is_cover_manager: bool = False
    ite_tutor_institution_ids: list[int] = field(default_factory=list)
    has_reports: bool = False
    in_ite: bool = False

    @property
    def is_ite_tutor(self) -> bool:
        return bool(self.ite_tutor_institution_ids)

    @property
    def is_tutor(self) -> bool:
        return self.caseload is not None

    @property
    def is_head_of_department(self) -> bool:
        return bool(self.headed_department_ids)

    @property
    def is_programme_lead(self) -> bool:
        return bool(self.led_institution_ids)

    @property
    def is_administrator(self) -> bool:
        return bool(self.administered_institution_ids)

    @property
    def sees_other_staff(self) -> bool:
        return (
            self.has_reports
            or self.is_tutor
            or self.is_head_of_department
            or self.is_programme_lead
            or self.is_administrator
        )

    @property
    def role_names(self) -> list[str]:
        names = ["Teacher"] if self.staff else []
        if self.has_reports:
            names.append("Line manager")
        if self.is_head_of_department:
            names.append(Role.HEAD_OF_DEPARTMENT.label)
        if self.is_tutor:
            names.append("Professional tutor")
        if self.is_programme_lead:
            names.append(Role.PROGRAMME_LEAD.label)
        if self.is_ite_tutor:
            names.append(Role.ITE_TUTOR.label)
        if self.is_safeguarding_lead:
            names.append(Role.SAFEGUARDING_LEAD.label)
        if self.is_administrator:
            names.append(Role.ADMINISTRATOR.label)
        return names


class _IteLinks(TypedDict):
    ite_intern: bool
    ite_induction: bool


def _ite_links() -> dict:
    """Whether the person is an intern or mentor, or an ECT, their mentor or induction tutor, or has an
    induction checklist: worked out in the staff query itself, so the menu costs no extra query. The ITE
    models are looked up by name because people is the foundation the other apps build on."""
    intern = apps.get_model("ite", "Intern")
    ect = apps.get_model("ite", "EctInduction")
    checklist = apps.get_model("ite", "StaffInduction")
    me = OuterRef("pk")
    return {
        # A completed intern still reads their record; a withdrawn one is not in ITE any more.
        "ite_intern": Exists(intern.objects.filter(Q(staff=me) | Q(mentor=me)).exclude(status="withdrawn")),
        "ite_induction": Exists(
            ect.objects.filter(
                Q(staff=me) | Q(mentor=me) | Q(induction_tutor=me), status__in=["in_progress", "extended"]
            )
        )
        | Exists(checklist.objects.filter(Q(staff=me) | Q(induction_tutor=me))),
    }


def actor_for(user) -> Actor:
    """Three queries: the staff record, its role assignments in force, and this year's caseload."""
    cached = getattr(user, "_protutor_actor", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return Actor(staff=None)
    # The checker cannot see names annotated from a dict: _IteLinks names them.
    staff = cast(
        "WithAnnotations[StaffMember, _IteLinks] | None",
        StaffMember.objects.select_related("institution", "department", "line_manager")
        .annotate(**_ite_links())
        .filter(user=user)
        .first(),
    )
    actor = Actor(staff=staff, in_ite=bool(staff and (staff.ite_intern or staff.ite_induction)))
    if staff is not None:
        for assignment in RoleAssignment.objects.in_force().filter(staff=staff):
            if assignment.role == Role.HEAD_OF_DEPARTMENT:
                actor.headed_department_ids.append(assignment.department_id)
            elif assignment.role == Role.PROGRAMME_LEAD:
                actor.led_institution_ids.append(assignment.institution_id)
            elif assignment.role == Role.ADMINISTRATOR:
                actor.administered_institution_ids.append(assignment.institution_id)
            elif assignment.role == Role.SAFEGUARDING_LEAD:
                actor.is_safeguarding_lead = True
            elif assignment.role == Role.COVER_MANAGER:
                actor.is_cover_manager = True
            elif assignment.role == Role.ITE_TUTOR:
                actor.ite_tutor_institution_ids.append(assignment.institution_id)
        today = timezone.localdate()
        actor.caseload = (
            Caseload.objects.select_related("academic_year")
            .filter(tutor=staff, academic_year__starts_on__lte=today, academic_year__ends_on__gte=today)
            .first()
        )
        actor.has_reports = staff.reports.exists()
    user._protutor_actor = actor
    return actor
