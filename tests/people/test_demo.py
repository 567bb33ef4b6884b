from django.core.management import call_command

from protutor.people.demo import INSTITUTION
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
from protutor.resources.models import Resource
from protutor.support.models import Interaction, Referral, SafeguardingConcern, SupportCase


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", "password", "email", "is_active")),
        "staff": sorted(
            StaffMember.objects.values_list(
                "staff_code",
                "forename",
                "surname",
                "email",
                "department__name",
                "line_manager__staff_code",
                "job_title",
            )
        ),
        "roles": sorted(RoleAssignment.objects.values_list("staff__staff_code", "role", "department__name")),
        "caseloads": sorted(
            Caseload.objects.values_list("tutor__staff_code", "remitted_hours", "full_time_hours")
        ),
        "links": sorted(
            CaseloadDepartment.objects.values_list("caseload__tutor__staff_code", "department__name")
        ),
        "terms": sorted(Term.objects.values_list("number", "starts_on", "ends_on")),
        "support": (
            SupportCase.objects.count(),
            Interaction.objects.count(),
            Referral.objects.count(),
            SafeguardingConcern.objects.count(),
            Resource.objects.count(),
        ),
    }


def test_demo_models_the_case_study_college(db):
    call_command("demo", stdout=open("/dev/null", "w"))
    college = Institution.objects.get(name=INSTITUTION)
    departments = Department.objects.filter(institution=college)
    assert Campus.objects.filter(institution=college).count() == 2
    assert 12 <= departments.count() <= 15
    assert 280 <= StaffMember.objects.filter(institution=college).count() <= 320
    assert Caseload.objects.count() == 5
    assert set(Caseload.objects.values_list("remitted_hours", flat=True)) == {150}
    assert AcademicYear.objects.current().filter(institution=college).count() == 1
    # this year and last (observations reach back to last summer)
    assert Term.objects.filter(academic_year__institution=college).count() == 6
    # Every department has a head and a tutor; everyone but the senior leaders has a line manager.
    heads = RoleAssignment.objects.filter(role=Role.HEAD_OF_DEPARTMENT, institution=college)
    assert heads.count() == departments.count()
    assert CaseloadDepartment.objects.count() == departments.count()
    assert (
        StaffMember.objects.filter(institution=college, line_manager__isnull=True).count() == 5
    )  # the programme lead, safeguarding lead, administrator, cover manager, vice principal
    for role in (Role.PROGRAMME_LEAD, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR):
        assert RoleAssignment.objects.filter(role=role, institution=college).count() == 1


def test_demo_school_hosts_eight_interns_from_two_providers_and_two_ects(db):
    from protutor.ite.demo import SCHOOL
    from protutor.ite.models import CauseForConcern, EctInduction, Intern, MentorMeeting, TimetableRun

    call_command("demo", stdout=open("/dev/null", "w"))
    school = Institution.objects.get(name=SCHOOL)
    interns = Intern.objects.filter(programme__provider__institution=school)
    assert interns.count() == 8
    assert interns.values("programme__provider").distinct().count() == 2
    assert interns.filter(mentor__isnull=True).count() == 0
    assert interns.values("mentor").distinct().count() == 8
    assert EctInduction.objects.filter(staff__institution=school).count() == 2
    assert RoleAssignment.objects.filter(role=Role.ITE_TUTOR, institution=school).count() == 1
    assert MentorMeeting.objects.filter(intern__in=interns).exists()
    assert CauseForConcern.objects.filter(intern__staff__user__username="ned.intern").count() == 1
    run = TimetableRun.objects.get(institution=school)
    assert (run.feasible, run.optimal) == (True, True)


def test_demo_twice_changes_nothing(db, capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first
    assert "Demo ready: 0 records created" in capsys.readouterr().out


def test_demo_prints_sign_ins(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "password for all: protutor-demo" in out
    for username in (
        "priya.lead",
        "tamsin.tutor",
        "tess.teacher",
        "alan.admin",
        "hannah.hod",
        "dee.safeguarding",
    ):
        assert username in out


def test_demo_has_support_cases_in_every_tutors_caseload(db):
    call_command("demo", stdout=open("/dev/null", "w"))
    assert SupportCase.objects.count() == 46
    assert set(SupportCase.objects.values_list("holdings__tutor__staff_code", flat=True)) == {
        "PT001",
        "PT002",
        "PT003",
        "PT004",
        "PT005",
    }
    assert (
        SupportCase.objects.filter(route="self").count()
        > SupportCase.objects.filter(route="line_manager").count()
    )
    assert Referral.objects.filter(status=Referral.Status.AWAITING_TEACHER).count() == 1
    assert SafeguardingConcern.objects.count() == 1
