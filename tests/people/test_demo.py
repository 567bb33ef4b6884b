from django.core.management import call_command

from protutor.people.models import (
    AcademicYear,
    Campus,
    Caseload,
    CaseloadDepartment,
    Department,
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
    assert Campus.objects.count() == 2
    assert 12 <= Department.objects.count() <= 15
    assert 280 <= StaffMember.objects.count() <= 320
    assert Caseload.objects.count() == 5
    assert set(Caseload.objects.values_list("remitted_hours", flat=True)) == {150}
    assert AcademicYear.objects.current().count() == 1
    assert Term.objects.count() == 6  # this year and last (observations reach back to last summer)
    # Every department has a head and a tutor; everyone but the senior leaders has a line manager.
    assert RoleAssignment.objects.filter(role=Role.HEAD_OF_DEPARTMENT).count() == Department.objects.count()
    assert CaseloadDepartment.objects.count() == Department.objects.count()
    assert (
        StaffMember.objects.filter(line_manager__isnull=True).count() == 5
    )  # the programme lead, safeguarding lead, administrator, cover manager, vice principal
    for role in (Role.PROGRAMME_LEAD, Role.SAFEGUARDING_LEAD, Role.ADMINISTRATOR):
        assert RoleAssignment.objects.filter(role=role).count() == 1


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
