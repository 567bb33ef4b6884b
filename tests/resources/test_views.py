"""Library pages: publishing with a file, new versions, retiring, browsing and filters, downloads,
"signposted to you", usage counts without names, collections and partner links; query counts that stay
the same as the library grows."""

import pytest
from django.urls import reverse

from protutor.resources import services
from protutor.resources.demo import simple_pdf
from protutor.resources.models import Resource, ResourceOpen
from protutor.team.models import Partner
from tests import pages
from tests.factories.people import StaffMemberFactory
from tests.factories.resources import PNG, publish, revise, upload
from tests.factories.support import log, open_case_for

pytestmark = pytest.mark.django_db
LIST = reverse("resources:resource-list")
CREATE = reverse("resources:resource-create")


def test_tutor_publishes_a_resource_with_a_file(client_for, tutor, department, standards):
    standard = standards.get(framework__code="ETF", number="14")
    client = client_for(tutor)
    assert standard in client.get(CREATE).context["form"].fields["standards"].queryset
    response = client.post(
        CREATE,
        {
            "title": "Hinge questions",
            "format": "session",
            "summary": "One question that shows who has understood.",
            "tags": "questioning, assessment for learning",
            "standards": [standard.pk],
            "departments": [department.pk],
            "file": upload("hinge.pdf"),
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == resource.get_absolute_url()
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "Download hinge.pdf" in body
    assert "ETF 14" in body
    assert "Mathematics" in body


def test_publish_errors_name_the_field(client_for, tutor):
    response = client_for(tutor).post(
        CREATE,
        {"title": "", "format": "guide", "summary": "", "file": upload("slides.pptx", b"PK\x03\x04no")},
    )
    assert pages.title(response).startswith("Error: Publish a resource")
    assert pages.error_summary(response) == [
        ("#id_title", "Enter a title"),
        ("#id_summary", "Enter a summary"),
        (
            "#id_file",
            "The selected file is not a real PowerPoint file: its content does not match its name. The file"
            " must be a PDF, Word, PowerPoint, Excel, OpenDocument text, PNG image, JPEG image, plain text or"
            " CSV file",
        ),
    ]
    assert not Resource.objects.exists()


def test_publish_without_link_or_file_is_an_error_on_the_link(client_for, tutor):
    response = client_for(tutor).post(CREATE, {"title": "T", "format": "guide", "summary": "S"})
    assert pages.error_summary(response) == [("#id_url", "Enter a link or choose a file")]


def test_new_version_keeps_the_old_one_downloadable(client_for, tutor):
    resource = publish(tutor, file=upload("first.pdf", simple_pdf("First")), url="")
    client = client_for(tutor)
    edit = reverse("resources:resource-edit", args=[resource.pk])
    assert client.get(edit).context["form"].initial["title"] == resource.title
    response = client.post(
        edit,
        {
            "title": "Questioning, second edition",
            "format": "guide",
            "summary": "Now with examples",
            "change_note": "Added examples",
            "file": upload("second.png", PNG),
        },
    )
    assert response.status_code == 302
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "Questioning, second edition" in body
    assert "Added examples" in body
    first = client.get(reverse("resources:version-download", args=[resource.pk, 1]))
    assert b"".join(first.streaming_content) == simple_pdf("First")
    second = client.get(reverse("resources:version-download", args=[resource.pk, 2]))
    assert b"".join(second.streaming_content) == PNG
    assert second["Content-Type"] == "image/png"


def test_new_version_needs_a_change_note(client_for, tutor):
    resource = publish(tutor)
    response = client_for(tutor).post(
        reverse("resources:resource-edit", args=[resource.pk]),
        {"title": "T", "format": "guide", "summary": "S", "url": "https://example.org/x"},
    )
    assert pages.error_summary(response) == [("#id_change_note", "Enter what changed in this version")]
    assert resource.versions.count() == 1


def test_download_headers(client_for, tutor, teacher):
    resource = publish(tutor, file=upload("notes.txt", b"Wait five seconds\n"))
    response = client_for(teacher).get(reverse("resources:version-download", args=[resource.pk, 1]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    pdf = publish(tutor, title="PDF", file=upload("guide.pdf"))
    response = client_for(teacher).get(reverse("resources:version-download", args=[pdf.pk, 1]))
    # Never inline: a file can be a PDF and an HTML page at once (issue 22).
    assert response["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_of_a_version_without_a_file_is_404(client_for, tutor, teacher):
    resource = publish(tutor)
    assert (
        client_for(teacher).get(reverse("resources:version-download", args=[resource.pk, 1])).status_code
        == 404
    )
    assert (
        client_for(teacher).get(reverse("resources:version-download", args=[resource.pk, 9])).status_code
        == 404
    )


def test_opening_and_downloading_count_without_names(client_for, tutor, teacher):
    resource = publish(tutor, file=upload("guide.pdf"))
    client = client_for(teacher)
    client.get(resource.get_absolute_url())
    client.get(reverse("resources:version-download", args=[resource.pk, 1]))
    assert ResourceOpen.objects.get(resource=resource).count == 2
    body = client.get(resource.get_absolute_url()).content.decode()
    assert (
        '<dt class="govuk-summary-list__key">Opened</dt><dd class="govuk-summary-list__value">3</dd>' in body
    )


def test_signposting_counts_are_suppressed_below_five_people(client_for, college, department, tutor, teacher):
    resource = publish(tutor)
    teachers = [teacher] + [StaffMemberFactory(institution=college, department=department) for _ in range(4)]
    for person in teachers[:4]:
        log(open_case_for(person, tutor), tutor).resources.add(resource)
    client = client_for(tutor)
    signposted = (
        '<dt class="govuk-summary-list__key">Signposted in support</dt><dd class="govuk-summary-list__value">'
    )
    body = client.get(resource.get_absolute_url()).content.decode()
    assert f"{signposted}fewer than 5</dd>" in body
    assert teacher.surname not in body
    log(open_case_for(teachers[4], tutor), tutor).resources.add(resource)
    body = client.get(resource.get_absolute_url()).content.decode()
    assert f"{signposted}5</dd>" in body
    ranking = client.get(reverse("resources:most-used"))
    assert [(r.title, str(u.signposted)) for r, u in ranking.context["rows"]] == [(resource.title, "5")]


def test_retired_resources_leave_the_list_but_still_open(client_for, tutor, teacher):
    kept = publish(tutor, title="Kept")
    gone = services.retire_resource(publish(tutor, title="Gone"), actor=tutor.user)
    client = client_for(teacher)
    assert [r.title for r in client.get(LIST).context["resources"]] == ["Kept"]
    assert [r.title for r in client.get(LIST, {"retired": "on"}).context["resources"]] == ["Gone", "Kept"]
    body = client.get(gone.get_absolute_url()).content.decode()
    assert "Retired" in body
    assert kept.title not in [r.title for r in client.get(LIST, {"q": "gone"}).context["resources"]]


def test_retire_button_then_return_it(client_for, tutor):
    resource = publish(tutor)
    client = client_for(tutor)
    client.post(reverse("resources:resource-retire", args=[resource.pk]))
    resource.refresh_from_db()
    assert resource.is_retired
    client.post(reverse("resources:resource-retire", args=[resource.pk]))
    resource.refresh_from_db()
    assert not resource.is_retired


def test_filters(client_for, tutor, teacher, department, standards):
    standard = standards.get(framework__code="ETF", number="14")
    a = publish(tutor, title="A", format="research", tags="feedback, questioning", standards=[standard])
    b = publish(tutor, title="B", format="guide", tags="questioning techniques", departments=[department])
    publish(tutor, title="C", format="guide", tags="feedback")
    client = client_for(teacher)

    def titles(**params):
        return [r.title for r in client.get(LIST, params).context["resources"]]

    assert titles(format="research") == [a.title]
    assert titles(standard=standard.pk) == [a.title]
    assert titles(department=department.pk) == [b.title]
    assert titles(tag="questioning") == [a.title]  # a whole tag, not part of "questioning techniques"
    assert titles(tag="Feedback") == ["A", "C"]
    assert titles(tag="feedback", q="C") == ["C"]


def test_unknown_filter_value_is_an_error_naming_the_field(client_for, teacher):
    response = client_for(teacher).get(LIST, {"standard": "999999"})
    assert pages.title(response).startswith("Error: Resources")
    assert pages.error_summary(response) == [("#id_standard", "Select a standard in the list")]


def test_list_paginates(client_for, tutor, teacher):
    for number in range(23):
        publish(tutor, title=f"Guide {number:02}")
    client = client_for(teacher)
    assert len(client.get(LIST).context["resources"]) == 20
    second = client.get(LIST, {"page": 2, "q": "guide"})
    assert [r.title for r in second.context["resources"]] == ["Guide 20", "Guide 21", "Guide 22"]
    assert "q=guide&amp;page=1" in second.content.decode()


def test_signposted_to_you_shows_resource_and_date_but_nothing_of_the_case(client_for, teacher, tutor):
    resource = publish(tutor, title="Cold calling")
    case = open_case_for(teacher, tutor, reason="Secret reason words")
    interaction = log(case, tutor, shared="Shared case words", private="Private case words")
    interaction.resources.add(resource)
    response = client_for(teacher).get(reverse("resources:signposted"))
    body = response.content.decode()
    assert [r.title for r in response.context["resources"]] == ["Cold calling"]
    assert interaction.occurred_on.strftime("%-d %B %Y") in body
    for secret in ("Secret reason words", "Shared case words", "Private case words", case.get_absolute_url()):
        assert secret not in body
    # The tutor who signposted it does not get the teacher's list on this page.
    assert client_for(tutor).get(reverse("resources:signposted")).context["resources"] == []


def test_collection_shared_with_another_institution(client_for, tutor, outsider):
    resource = publish(tutor, title="Shared guide", file=upload("guide.pdf"))
    client = client_for(tutor)
    response = client.post(
        reverse("resources:collection-create"),
        {"title": "Starter pack", "resources": [resource.pk], "shared_with": [outsider.institution.pk]},
    )
    collection = resource.collections.get()
    assert response["Location"] == collection.get_absolute_url()
    other = client_for(outsider)
    assert other.get(collection.get_absolute_url()).status_code == 200
    assert other.get(resource.get_absolute_url()).status_code == 200
    assert other.get(reverse("resources:version-download", args=[resource.pk, 1])).status_code == 200
    # The outsider may read it, not change it.
    assert other.get(reverse("resources:resource-edit", args=[resource.pk])).status_code == 404


def test_collection_needs_a_title(client_for, tutor):
    response = client_for(tutor).post(reverse("resources:collection-create"), {"title": ""})
    assert pages.error_summary(response) == [("#id_title", "Enter a title")]


def test_partner_link_shows_current_versions_and_stops_when_revoked(client_for, client, tutor, college):
    resource = publish(tutor, title="Guide", file=upload("v1.pdf", simple_pdf("one")), url="")
    retired = services.retire_resource(publish(tutor, title="Old guide"), actor=tutor.user)
    collection = services.save_collection(actor=tutor.user, title="Pack", resources=[resource, retired])
    partner = Partner.objects.create(institution=college, name="Ribble Valley")
    tutor_client = client_for(tutor)
    tutor_client.post(
        reverse("resources:collection-link-create", args=[collection.pk]), {"partner": partner.pk}
    )
    link = collection.links.get()
    page = tutor_client.get(collection.get_absolute_url()).content.decode()
    assert link.token in page
    revise(resource, tutor, file=upload("v2.pdf", simple_pdf("two")))
    client.logout()
    shared = client.get(link.get_absolute_url())
    assert [(r.title, v.number) for r, v in shared.context["items"]] == [("Guide", 2)]
    assert shared["Referrer-Policy"] == "no-referrer"
    old_version = resource.versions.get(number=1)
    new_version = resource.versions.get(number=2)
    assert (
        client.get(reverse("resources:shared-file", args=[link.pk, link.token, old_version.pk])).status_code
        == 404
    )
    download = client.get(reverse("resources:shared-file", args=[link.pk, link.token, new_version.pk]))
    assert b"".join(download.streaming_content) == simple_pdf("two")
    tutor_client.force_login(tutor.user)
    tutor_client.post(reverse("resources:collection-link-revoke", args=[collection.pk, link.pk]))
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_link_form_without_partner_is_refused(client_for, tutor):
    collection = services.save_collection(actor=tutor.user, title="Pack")
    response = client_for(tutor).post(
        reverse("resources:collection-link-create", args=[collection.pk]), {}, follow=True
    )
    assert "Select a partner" in response.content.decode()
    assert not collection.links.exists()


# At most: the sign-in policy and the session save (4 queries) happen on a process's first requests only.
@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_is_constant(client_for, django_assert_max_num_queries, tutor, teacher, n):
    for number in range(n):
        publish(tutor, title=f"Guide {number}", tags="questioning")
    client = client_for(teacher)
    # session, user, actor (staff, roles, caseload, reports), sign-in policy, frameworks in use, count,
    # page of resources, standards and departments for the filters, session save (3)
    with django_assert_max_num_queries(15):
        client.get(LIST, {"q": "guide", "tag": "questioning"})


@pytest.mark.parametrize("n", [1, 3])
def test_detail_query_count_is_constant(
    client_for, django_assert_max_num_queries, tutor, teacher, department, standards, n
):
    resource = publish(
        tutor, file=upload("guide.pdf"), standards=list(standards.filter(parent__isnull=True)[:n])
    )
    for _ in range(n):
        revise(resource, tutor)
        someone = StaffMemberFactory(institution=tutor.institution, department=department)
        log(open_case_for(someone, tutor), tutor).resources.add(resource)
    client = client_for(teacher)
    # session, user, actor (staff, roles, caseload, reports), sign-in policy, resource with its usage,
    # standards, departments, open counter (update, then the day's first row: 3), versions, session
    # save (3)
    with django_assert_max_num_queries(18):
        client.get(resource.get_absolute_url())


@pytest.mark.parametrize("n", [1, 3])
def test_most_used_query_count_is_constant(client_for, django_assert_max_num_queries, tutor, n):
    for number in range(n):
        publish(tutor, title=f"Guide {number}")
    client = client_for(tutor)
    # session, user, actor (staff, roles, caseload, reports), sign-in policy, ranked resources with their
    # usage, session save (3)
    with django_assert_max_num_queries(11):
        client.get(reverse("resources:most-used"))


@pytest.mark.parametrize("n", [1, 3])
def test_signposted_query_count_is_constant(client_for, django_assert_max_num_queries, tutor, teacher, n):
    case = open_case_for(teacher, tutor)
    for number in range(n):
        log(case, tutor).resources.add(publish(tutor, title=f"Guide {number}"))
    client = client_for(teacher)
    # session, user, actor (staff, roles, caseload, reports), sign-in policy, signposted resources,
    # session save (3)
    with django_assert_max_num_queries(11):
        client.get(reverse("resources:signposted"))


@pytest.mark.parametrize("n", [1, 3])
def test_collection_pages_query_count_is_constant(
    client_for, django_assert_max_num_queries, client, tutor, college, n
):
    resources = [publish(tutor, title=f"Guide {number}", file=upload("g.pdf")) for number in range(n)]
    collection = services.save_collection(actor=tutor.user, title="Pack", resources=resources)
    partner = Partner.objects.create(institution=college, name="Ribble Valley")
    links = [services.issue_collection_link(collection, actor=tutor.user, partner=partner) for _ in range(n)]
    tutor_client = client_for(tutor)
    # session, user, actor (staff, roles, caseload, reports), sign-in policy, collection, links,
    # resources, shared with, partners (is there one, then the options), session save (3)
    with django_assert_max_num_queries(16):
        tutor_client.get(collection.get_absolute_url())
    tutor_client.logout()
    # link (with its collection, institution and partner), resources, their versions
    with django_assert_max_num_queries(3):
        client.get(links[0].get_absolute_url())
