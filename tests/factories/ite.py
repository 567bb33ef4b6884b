import datetime as dt

import factory
from django.utils import timezone

from protutor.ite.models import (
    EctInduction,
    Intern,
    MentorMeeting,
    Placement,
    Programme,
    Provider,
    ReferencePoint,
)
from tests.factories.people import AcademicYearFactory, DepartmentFactory, StaffMemberFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    institution = factory.SubFactory("tests.factories.people.InstitutionFactory")
    name = factory.Sequence(lambda n: f"University {n}")
    kind = Provider.Kind.UNIVERSITY
    link_tutor_name = "Gail General"
    link_tutor_email = "gail.general@example.ac.uk"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    provider = factory.SubFactory(ProviderFactory)
    academic_year = factory.SubFactory(
        AcademicYearFactory, institution=factory.SelfAttribute("..provider.institution")
    )
    name = factory.Sequence(lambda n: f"Secondary PGCE {n}")
    route = Programme.Route.PGCE


class ReferencePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferencePoint

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Assessment Reference Point {o.number}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class InternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intern

    programme = factory.SubFactory(ProgrammeFactory)
    staff = factory.SubFactory(
        StaffMemberFactory,
        institution=factory.SelfAttribute("..programme.provider.institution"),
        job_title="Intern",
    )
    subject = "Mathematics"
    department = factory.SubFactory(
        DepartmentFactory, institution=factory.SelfAttribute("..programme.provider.institution")
    )
    mentor = None
    target_periods = 12


def placement_window(year, today=None):
    """Four weeks back to eight weeks ahead, within the academic year."""
    today = today or timezone.localdate()
    return max(year.starts_on, today - dt.timedelta(days=28)), min(
        year.ends_on, today + dt.timedelta(days=56)
    )


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    intern = factory.SubFactory(InternFactory)
    name = "Main placement"
    starts_on = factory.LazyAttribute(lambda o: placement_window(o.intern.programme.academic_year)[0])
    ends_on = factory.LazyAttribute(lambda o: placement_window(o.intern.programme.academic_year)[1])


class MentorMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorMeeting

    intern = factory.SubFactory(InternFactory)
    mentor = factory.LazyAttribute(lambda o: o.intern.mentor)
    held_on = factory.LazyFunction(timezone.localdate)
    targets_set = "Use cold calling in every lesson"


class EctInductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EctInduction
        skip_postgeneration_save = True

    staff = factory.SubFactory(StaffMemberFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    induction_tutor = factory.SubFactory(
        StaffMemberFactory, institution=factory.SelfAttribute("..staff.institution")
    )
    mentor = factory.SubFactory(StaffMemberFactory, institution=factory.SelfAttribute("..staff.institution"))
