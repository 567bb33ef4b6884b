"""Publishing, versions, retiring, open counts and collections, through the services."""

import pytest
from django.core.files.storage import default_storage

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.resources import services
from protutor.resources.models import Collection, Resource, ResourceOpen, ResourceVersion
from protutor.team.models import Partner
from tests.factories.people import DepartmentFactory
from tests.factories.resources import PNG, publish, revise, upload


def test_publish_resource_makes_version_one_with_its_file(tutor, department, standards):
    standard = standards.get(framework__code="ETF", number="14")
    resource = publish(
        tutor,
        title=" Hinge questions ",
        tags="Questioning,  assessment for learning, questioning",
        format="session",
        audience="New teachers",
        standards=[standard],
        departments=[department],
        file=upload("hinge.pdf"),
        url="",
    )
    assert (resource.title, resource.tags, resource.format, resource.institution) == (
        "Hinge questions",
        "questioning, assessment for learning",
        "session",
        tutor.institution,
    )
    assert list(resource.standards.all()) == [standard]
    assert list(resource.departments.all()) == [department]
    [version] = resource.versions.all()
    assert (version.number, version.file_name, version.content_type, version.changed_by) == (
        1,
        "hinge.pdf",
        "application/pdf",
        tutor,
    )
    assert version.file.name.startswith("resources/")
    assert version.file.name.endswith("/hinge.pdf")
    assert len(version.file.name.split("/")[1]) == 32  # a random folder, not guessable
    assert default_storage.exists(version.file.name)
    assert AuditEvent.objects.filter(action="resources.resource_published").count() == 1


def test_publish_resource_ignores_departments_of_another_institution(tutor, outsider):
    elsewhere = DepartmentFactory(institution=outsider.institution)
    resource = publish(tutor, departments=[elsewhere])
    assert list(resource.departments.all()) == []


@pytest.mark.parametrize("persona", ["teacher", "hod", "line_manager", "dsl", "admin", "outsider"])
def test_publish_resource_refused_to_anyone_but_tutors_and_the_programme_lead(request, persona):
    with pytest.raises(ServiceError):
        publish(request.getfixturevalue(persona))
    assert Resource.objects.count() == 0


def test_programme_lead_publishes(programme_lead):
    assert publish(programme_lead).institution == programme_lead.institution


def test_publish_resource_needs_a_link_or_a_file(tutor):
    with pytest.raises(ServiceError) as caught:
        publish(tutor, url="")
    assert (caught.value.field, caught.value.message) == ("url", "Enter a link or choose a file")


def test_publish_video_needs_a_link(tutor):
    with pytest.raises(ServiceError) as caught:
        publish(tutor, url="", format="video", file=upload("clip.pdf"))
    assert caught.value.message == "Enter the link to the video"


def test_publish_resource_refuses_a_lying_file_and_writes_nothing(tutor):
    with pytest.raises(ServiceError) as caught:
        publish(tutor, file=upload("diagram.png", b"not a picture at all"))
    assert caught.value.field == "file"
    assert Resource.objects.count() == 0


def test_unwritable_storage_is_a_form_error_not_a_lost_record(tutor, settings, tmp_path):
    # A media folder that cannot be written (tests run as root, so a file stands where a folder must be).
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-folder" / "media"
    with pytest.raises(ServiceError) as caught:
        publish(tutor, file=upload("guide.pdf"))
    assert caught.value.field == "file"
    assert caught.value.message.startswith("The file could not be saved")
    assert Resource.objects.count() == 0
    assert ResourceVersion.objects.count() == 0


def test_revise_resource_keeps_every_version_and_file(tutor):
    resource = publish(tutor, file=upload("v1.pdf"), url="")
    first = resource.versions.get()
    second = revise(
        resource, tutor, title="Questioning, revised", summary="New summary", change_note="Rewritten"
    )
    resource.refresh_from_db()
    third = revise(resource, tutor, file=upload("v3.png", PNG), change_note="A diagram instead")
    resource.refresh_from_db()
    assert (resource.title, resource.description) == ("Questioning, revised", "New summary")
    assert list(resource.versions.values_list("number", "title", "change_note", "file_name")) == [
        (3, "Questioning, revised", "A diagram instead", "v3.png"),
        (2, "Questioning, revised", "Rewritten", "v1.pdf"),
        (1, "Questioning that makes everyone think", "First version", "v1.pdf"),
    ]
    # Without a new file the current one carries over; the old version's file is untouched.
    assert second.file.name == first.file.name
    assert third.file.name != first.file.name
    assert default_storage.exists(first.file.name)


def test_revise_resource_can_drop_the_file(tutor):
    resource = publish(tutor, file=upload("v1.pdf"))
    version = revise(resource, tutor, remove_file=True)
    assert (version.number, bool(version.file)) == (2, False)


def test_revise_resource_needs_a_change_note(tutor):
    resource = publish(tutor)
    with pytest.raises(ServiceError) as caught:
        revise(resource, tutor, change_note=" ")
    assert caught.value.message == "Enter what changed in this version"


@pytest.mark.parametrize("persona", ["teacher", "other_tutor", "programme_lead", "outsider"])
def test_revise_resource_by_persona(request, tutor, persona):
    resource = publish(tutor)
    staff = request.getfixturevalue(persona)
    if persona in {"other_tutor", "programme_lead"}:
        assert revise(resource, staff).number == 2
    else:
        with pytest.raises(ServiceError):
            revise(resource, staff)


def test_retire_and_reinstate(tutor):
    resource = publish(tutor)
    services.retire_resource(resource, actor=tutor.user)
    resource.refresh_from_db()
    assert resource.is_retired
    with pytest.raises(ServiceError):
        services.retire_resource(resource, actor=tutor.user)
    services.reinstate_resource(resource, actor=tutor.user)
    resource.refresh_from_db()
    assert not resource.is_retired
    with pytest.raises(ServiceError):
        services.reinstate_resource(resource, actor=tutor.user)


def test_retire_refused_to_a_teacher(tutor, teacher):
    with pytest.raises(ServiceError):
        services.retire_resource(publish(tutor), actor=teacher.user)


def test_record_open_counts_per_day_without_names(tutor):
    resource = publish(tutor)
    for _ in range(3):
        services.record_open(resource)
    assert list(ResourceOpen.objects.values_list("resource", "count")) == [(resource.pk, 3)]
    assert [f.name for f in ResourceOpen._meta.get_fields()] == ["id", "resource", "day", "count"]


def test_save_collection_keeps_only_own_resources_and_other_institutions(tutor, outsider, college):
    mine = publish(tutor)
    theirs = Resource.objects.create(institution=outsider.institution, title="Elsewhere")
    collection = services.save_collection(
        actor=tutor.user,
        title="Starter pack",
        resources=[mine, theirs],
        shared_with=[outsider.institution, college],
    )
    assert list(collection.resources.all()) == [mine]
    assert list(collection.shared_with.all()) == [outsider.institution]


def test_save_collection_refused_to_a_teacher_and_to_another_tutor_elsewhere(tutor, teacher):
    with pytest.raises(ServiceError):
        services.save_collection(actor=teacher.user, title="Mine")
    collection = services.save_collection(actor=tutor.user, title="Pack")
    with pytest.raises(ServiceError):
        services.save_collection(actor=teacher.user, title="Changed", collection=collection)
    assert Collection.objects.get().title == "Pack"


def test_collection_links_are_unguessable_and_revocable(tutor, college, outsider):
    collection = services.save_collection(actor=tutor.user, title="Pack")
    partner = Partner.objects.create(institution=college, name="Ribble Valley Sixth Form College")
    first = services.issue_collection_link(collection, actor=tutor.user, partner=partner)
    second = services.issue_collection_link(collection, actor=tutor.user, partner=partner)
    assert len(first.token) >= 40
    assert first.token != second.token
    services.revoke_collection_link(first, actor=tutor.user)
    first.refresh_from_db()
    assert first.revoked_at is not None
    with pytest.raises(ServiceError):
        services.revoke_collection_link(first, actor=tutor.user)
    elsewhere = Partner.objects.create(institution=outsider.institution, name="Not ours")
    with pytest.raises(ServiceError):
        services.issue_collection_link(collection, actor=tutor.user, partner=elsewhere)
