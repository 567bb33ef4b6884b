import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from protutor.people.models import (
    AcademicYear,
    Campus,
    Caseload,
    CaseloadDepartment,
    Department,
    Institution,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
    User,
)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"College {n}")


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Campus {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


def current_year_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


class AcademicYearFactory(factory.django.DjangoModelFactory):
    """The academic year containing today, with its three terms."""

    class Meta:
        model = AcademicYear
        django_get_or_create = ("institution", "name")
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    starts_on = factory.LazyFunction(lambda: current_year_bounds()[0])
    ends_on = factory.LazyFunction(lambda: current_year_bounds()[1])
    name = factory.LazyAttribute(lambda o: f"{o.starts_on.year}/{str(o.starts_on.year + 1)[-2:]}")

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        if not create or self.terms.exists():
            return
        y = self.starts_on.year
        Term.objects.bulk_create(
            [
                Term(
                    academic_year=self,
                    number=1,
                    name=Term.Name.AUTUMN,
                    starts_on=self.starts_on,
                    ends_on=dt.date(y, 12, 19),
                ),
                Term(
                    academic_year=self,
                    number=2,
                    name=Term.Name.SPRING,
                    starts_on=dt.date(y + 1, 1, 5),
                    ends_on=dt.date(y + 1, 3, 31),
                ),
                Term(
                    academic_year=self,
                    number=3,
                    name=Term.Name.SUMMER,
                    starts_on=dt.date(y + 1, 4, 14),
                    ends_on=self.ends_on,
                ),
            ]
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(UserFactory)
    staff_code = factory.Sequence(lambda n: f"S{n:04d}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: o.user.email)
    department = factory.SubFactory(DepartmentFactory, institution=factory.SelfAttribute("..institution"))
    job_title = "Lecturer"


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    staff = factory.SubFactory(StaffMemberFactory)
    role = Role.PROGRAMME_LEAD
    institution = factory.LazyAttribute(lambda o: o.staff.institution)


class CaseloadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caseload
        skip_postgeneration_save = True

    tutor = factory.SubFactory(StaffMemberFactory)
    academic_year = factory.SubFactory(
        AcademicYearFactory, institution=factory.SelfAttribute("..tutor.institution")
    )
    remitted_hours = Decimal("150")
    full_time_hours = Decimal("773")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            for department in extracted:
                CaseloadDepartment.objects.create(
                    caseload=self, department=department, academic_year=self.academic_year
                )
