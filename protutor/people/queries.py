"""Read functions built on the people scopes, for pages that show who a department's tutor is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from protutor.people.models import AcademicYear, Department, StaffMember
from protutor.people.permissions import caseload_links_readable_by


@dataclass(frozen=True)
class DepartmentTutor:
    """A department's professional tutor as staff may know them: who, and their specialisms. The caseload
    behind it (remitted hours, the other departments) is not here, so no page can show it by accident."""

    department_id: int
    tutor: StaffMember
    specialisms: str

    def __str__(self) -> str:
        return str(self.tutor)


@dataclass(frozen=True)
class YourTutor:
    """A person's own professional tutor. `tutor` is None when their department has none this year, or
    when its tutor is the person themself (`is_you`): nobody is their own tutor."""

    tutor: DepartmentTutor | None
    is_you: bool = False


def department_tutors(
    user, departments: Iterable[Department | int], academic_year: AcademicYear | None
) -> dict[int, DepartmentTutor]:
    """The tutor of each of `departments` in `academic_year`, as far as `user` may know it. One query."""
    if academic_year is None:
        return {}
    ids = [d if isinstance(d, int) else d.pk for d in departments]
    links = (
        caseload_links_readable_by(user)
        .filter(department_id__in=ids, academic_year=academic_year)
        .select_related("caseload__tutor")
    )
    return {
        link.department_id: DepartmentTutor(
            department_id=link.department_id, tutor=link.caseload.tutor, specialisms=link.caseload.specialisms
        )
        for link in links
    }


def your_tutor(user, staff: StaffMember, academic_year: AcademicYear | None) -> YourTutor:
    """`staff`'s own professional tutor: their department's tutor this year, unless that is themself."""
    if staff.department_id is None:
        return YourTutor(tutor=None)
    found = department_tutors(user, [staff.department_id], academic_year).get(staff.department_id)
    if found is not None and found.tutor.pk == staff.pk:
        return YourTutor(tutor=None, is_you=True)
    return YourTutor(tutor=found)


def tutors_this_year(institution_id: int) -> QuerySet[StaffMember]:
    """The professional tutors of an institution in the academic year containing today. Any of its staff
    may know who the tutors are (to ask one for support, or share an observation with one); nothing of
    their caseloads comes with it."""
    today = timezone.localdate()
    return StaffMember.objects.filter(
        institution_id=institution_id,
        is_active=True,
        caseloads__academic_year__starts_on__lte=today,
        caseloads__academic_year__ends_on__gte=today,
    ).distinct()
