"""Staff import pages: upload, preview, apply; administrators of the institution only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protutor.people import imports
from protutor.people.models import Role, StaffImport, StaffMember
from tests.factories.people import InstitutionFactory, RoleAssignmentFactory, StaffMemberFactory

START = reverse("people:import-start")
HEADER = "Staff code,Title,Forename,Surname,Email,Department,Job title,Line manager,FTE,Teaching hours"
ROWS = [
    "AB,Dr,Ann,Bell,ann@example.org,Physics,Lecturer,CD,0.8,760",
    "CD,Mr,Carl,Dent,carl@example.org,Physics,Head of Science,,1,400",
    "EF,,Eve,Ford,eve@example.org,Mathematics,Teacher,CD,,",
]


def upload(*rows: str, name: str = "staff.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\r\n".join([HEADER, *rows]).encode(), content_type="text/csv")


@pytest.fixture
def other_admin(db):
    staff = StaffMemberFactory(
        institution=InstitutionFactory(name="Another School"), user__username="other_admin"
    )
    RoleAssignmentFactory(staff=staff, role=Role.ADMINISTRATOR)
    return staff


@pytest.fixture
def previewed(college, admin):
    return imports.preview_import(
        institution=college, actor=admin.user, file_name="staff.csv", data=upload(*ROWS).read()
    )


def test_import_start_shows_the_upload_form_and_recent_imports(client_for, admin, previewed):
    response = client_for(admin).get(START)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Import staff – protutor</title>" in html
    assert '<label class="govuk-label govuk-label--s" for="id_file">CSV file of staff</label>' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="institution"' not in html
    assert f'href="{previewed.get_absolute_url()}">staff.csv</a>' in html


def test_admin_uploads_sees_the_preview_and_applies(client_for, admin, college):
    client = client_for(admin)

    response = client.post(START, {"file": upload(*ROWS)})

    staff_import = StaffImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import-preview", args=[staff_import.pk])
    assert (staff_import.institution, staff_import.uploaded_by, staff_import.status) == (
        college,
        admin.user,
        StaffImport.Status.PREVIEWED,
    )
    assert not StaffMember.objects.filter(staff_code__in=["AB", "CD", "EF"]).exists()

    page = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Import preview</h1>' in page
    assert (
        '<dt class="govuk-summary-list__key">New staff</dt><dd class="govuk-summary-list__value">3</dd>'
        in page
    )
    assert (
        '<dt class="govuk-summary-list__key">Staff updated</dt><dd class="govuk-summary-list__value">0</dd>'
        in page
    )
    assert (
        '<dt class="govuk-summary-list__key">Rows with errors</dt><dd class="govuk-summary-list__value">0</dd>'
        in page
    )
    assert '<dd class="govuk-summary-list__value">Mathematics, Physics</dd>' in page
    assert page.count('<strong class="govuk-tag govuk-tag--green">New</strong>') == 3
    assert ">Apply import</button>" in page

    response = client.post(reverse("people:import-apply", args=[staff_import.pk]))

    assert response.status_code == 302
    assert response["Location"] == staff_import.get_absolute_url()
    assert sorted(
        StaffMember.objects.filter(institution=college, staff_code__in=["AB", "CD", "EF"]).values_list(
            "staff_code", "line_manager__staff_code", "department__name"
        )
    ) == [("AB", "CD", "Physics"), ("CD", None, "Physics"), ("EF", "CD", "Mathematics")]
    page = client.get(response["Location"]).content.decode()
    assert "Import applied: 3 new, 0 updated, 0 unchanged" in page
    assert '<h1 class="govuk-heading-l">Import applied</h1>' in page
    assert ">Apply import</button>" not in page


def test_preview_with_errors_shows_them_by_row_and_column_and_no_apply_button(client_for, admin, college):
    client = client_for(admin)
    response = client.post(START, {"file": upload(ROWS[1], "GH,,Gus,Hale,gus@,,,ZZ,,")})

    page = client.get(response["Location"]).content.decode()

    assert (
        '<dt class="govuk-summary-list__key">Rows with errors</dt><dd class="govuk-summary-list__value">1</dd>'
        in page
    )
    assert (
        "<li><strong>Email</strong>: Enter an email address in the correct format, like name@example.com</li>"
        in page
    )
    assert (
        "<li><strong>Line manager</strong>: Line manager staff code ZZ does not match anyone in the file or the "
        "staff list</li>"
    ) in page
    assert "1 row has errors. Nothing can be imported until they are corrected" in page
    assert ">Apply import</button>" not in page
    assert f'href="{START}">Upload a corrected file</a>' in page


def test_preview_filters_rows_by_kind(client_for, admin, college):
    client = client_for(admin)
    response = client.post(START, {"file": upload(ROWS[1], "GH,,Gus,Hale,gus@,,,,,")})

    page = client.get(response["Location"], {"kind": "error"}).content.decode()

    assert '<td class="govuk-table__cell">GH</td>' in page
    assert '<td class="govuk-table__cell">CD</td>' not in page


def test_apply_with_errors_shows_a_message_and_writes_nothing(client_for, admin, college):
    client = client_for(admin)
    response = client.post(START, {"file": upload(ROWS[1], "GH,,Gus,Hale,gus@,,,,,")})
    staff_import = StaffImport.objects.get()
    before = StaffMember.objects.count()

    response = client.post(reverse("people:import-apply", args=[staff_import.pk]), follow=True)

    assert (
        "Nothing was imported: 1 row has errors. Correct the file and upload it again"
        in response.content.decode()
    )
    assert StaffMember.objects.count() == before


def test_failed_upload_without_a_file_shows_the_error_summary(client_for, admin):
    response = client_for(admin).post(START, {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Import staff – protutor</title>" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<li><a href="#id_file">Select a CSV file</a></li>' in html
    assert StaffImport.objects.count() == 0


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("staff.xlsx", b"PK\x03\x04"), "The selected file must be a CSV"),
        (SimpleUploadedFile("staff.csv", b"PK\x03\x04\x14\x00"), "The selected file is an Excel (.xlsx) or OpenDocument (.ods) workbook, not a CSV file: open it in Excel"),
        (SimpleUploadedFile("staff.csv", b"Forename,Surname\r\nAnn,Bell\r\n"), "The file has no column for staff code and email."),
        (SimpleUploadedFile("staff.csv", b"x" * (5 * 1024 * 1024 + 1)), "The selected file must be smaller than 5MB"),
    ],
)  # fmt: skip
def test_upload_of_an_unusable_file_shows_why(client_for, admin, file, message):
    response = client_for(admin).post(START, {"file": file})

    html = response.content.decode()
    assert "<title>Error: Import staff – protutor</title>" in html
    assert f'<li><a href="#id_file">{message}' in html
    assert StaffImport.objects.count() == 0


def test_admin_of_two_institutions_chooses_one(client_for, admin, college):
    second = InstitutionFactory(name="Second Sixth Form")
    RoleAssignmentFactory(staff=admin, role=Role.ADMINISTRATOR, institution=second)
    client = client_for(admin)

    assert 'name="institution"' in client.get(START).content.decode()
    response = client.post(START, {"file": upload(ROWS[1])})
    assert '<li><a href="#id_institution">Select the school or college to import staff into</a></li>' in (
        response.content.decode()
    )

    response = client.post(START, {"file": upload(ROWS[1]), "institution": second.pk})

    assert response.status_code == 302
    assert StaffImport.objects.get().institution == second


def test_admin_cannot_choose_an_institution_they_do_not_administer(client_for, admin, other_admin):
    second = InstitutionFactory(name="Second Sixth Form")
    RoleAssignmentFactory(staff=admin, role=Role.ADMINISTRATOR, institution=second)

    response = client_for(admin).post(
        START, {"file": upload(ROWS[1]), "institution": other_admin.institution.pk}
    )

    assert response.status_code == 200
    assert StaffImport.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["teacher", "line_manager", "hod", "tutor", "programme_lead", "dsl", "outsider"]
)
def test_import_pages_404_for_everyone_but_administrators(client_for, previewed, persona, request):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(START).status_code == 404
    assert client.post(START, {"file": upload(*ROWS)}).status_code == 404
    assert client.get(previewed.get_absolute_url()).status_code == 404
    assert client.post(reverse("people:import-apply", args=[previewed.pk])).status_code == 404
    previewed.refresh_from_db()
    assert previewed.status == StaffImport.Status.PREVIEWED
    assert StaffImport.objects.count() == 1


def test_import_preview_and_apply_404_for_an_administrator_of_another_institution(
    client_for, previewed, other_admin
):
    client = client_for(other_admin)

    assert client.get(START).status_code == 200
    assert client.get(previewed.get_absolute_url()).status_code == 404
    assert client.post(reverse("people:import-apply", args=[previewed.pk])).status_code == 404
    previewed.refresh_from_db()
    assert previewed.status == StaffImport.Status.PREVIEWED


def test_import_apply_refuses_get(client_for, admin, previewed):
    assert client_for(admin).get(reverse("people:import-apply", args=[previewed.pk])).status_code == 405


@pytest.mark.parametrize("rows", [ROWS[1:2], ROWS])
def test_import_preview_query_count_does_not_grow_with_rows(
    client_for, admin, college, rows, django_assert_num_queries
):
    staff_import = imports.preview_import(
        institution=college, actor=admin.user, file_name="staff.csv", data=upload(*rows).read()
    )
    client = client_for(admin)

    # 1 session, 2 user, 3 the import through its scope, 4-7 the menu's actor (staff record, roles in force,
    # this year's caseload, whether they line-manage anyone); the rows come from the stored summary
    with django_assert_num_queries(7):
        response = client.get(staff_import.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('<tr class="govuk-table__row">') == len(rows) + 1
