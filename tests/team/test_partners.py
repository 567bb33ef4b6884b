"""The partner network: partner institutions, network meetings and visits, kept by the tutor team and seen
by nobody else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core import permissions as registry
from protutor.core.errors import ServiceError
from protutor.team import permissions, services
from protutor.team.models import Partner, PartnerMeeting, PartnerVisit
from tests.conftest import PERSONAS
from tests.factories.people import InstitutionFactory, RoleAssignmentFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

TEAM = {"tutor", "other_tutor", "programme_lead"}
NOT_TEAM = [name for name in PERSONAS if name not in TEAM]
PARTNERS = reverse("team:partners")


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def partner(college, tutor, other_tutor, programme_lead):
    return services.add_partner(
        actor=tutor.user, institution=college, name="Preston College", contacts="Pat Partner, head of CPD"
    )


@pytest.fixture
def far_lead(db):
    """The programme lead of another school, with its own network."""
    staff = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=staff)
    return staff


@pytest.fixture
def far_partner(far_lead):
    return services.add_partner(actor=far_lead.user, institution=far_lead.institution, name="Far Partner")


def trail() -> list[tuple]:
    return [(e.action, e.target_type, e.target_id, e.actor_id) for e in AuditEvent.objects.order_by("pk")]


def summary_links(body: str) -> list[str]:
    start = body.index('class="govuk-error-summary"')
    end = body.index("</ul>", start)
    return [part.split('"', 1)[0] for part in body[start:end].split('<a href="')[1:]]


def visit(partner, by, purpose="Shared our coaching model", direction=PartnerVisit.Direction.OUT):
    return services.record_visit(
        actor=by.user, partner=partner, direction=direction, visited_on=today(), purpose=purpose
    )


# add_partner


@pytest.mark.parametrize("actor", sorted(TEAM))
def test_add_partner_by_anyone_in_team(request, college, actor):
    staff = request.getfixturevalue(actor)
    partner = services.add_partner(
        actor=staff.user, institution=college, name="  Preston College ", contacts=" Pat Partner "
    )
    assert list(Partner.objects.values_list("pk", "institution", "name", "contacts")) == [
        (partner.pk, college.pk, "Preston College", "Pat Partner")
    ]
    assert trail() == [("team.partner_added", "team.partner", str(partner.pk), staff.user.pk)]


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_add_partner_refused_outside_team(request, college, tutor, actor):
    with pytest.raises(ServiceError) as error:
        services.add_partner(actor=request.getfixturevalue(actor).user, institution=college, name="Preston")
    assert (error.value.message, Partner.objects.count(), trail()) == (
        "You do not have permission to do that.",
        0,
        [],
    )


@pytest.mark.parametrize("name", ["Preston College", "  Preston College  "])
def test_add_partner_refuses_duplicate_name(college, programme_lead, partner, name):
    with pytest.raises(ServiceError) as error:
        services.add_partner(actor=programme_lead.user, institution=college, name=name)
    assert (error.value.message, error.value.field, list(Partner.objects.all())) == (
        "That partner is already in the network",
        "name",
        [partner],
    )
    assert [row[0] for row in trail()] == ["team.partner_added"]


def test_add_partner_same_name_in_another_network_allowed(partner, far_lead):
    theirs = services.add_partner(
        actor=far_lead.user, institution=far_lead.institution, name="Preston College"
    )
    assert set(Partner.objects.filter(name="Preston College")) == {partner, theirs}


def test_add_partner_refuses_blank_name(college, tutor):
    with pytest.raises(ServiceError) as error:
        services.add_partner(actor=tutor.user, institution=college, name="   ")
    assert (error.value.message, error.value.field, Partner.objects.count()) == (
        "Enter the partner's name",
        "name",
        0,
    )


# record_partner_meeting


def test_record_partner_meeting_with_partners(college, programme_lead, partner):
    second = services.add_partner(actor=programme_lead.user, institution=college, name="Blackburn College")
    meeting = services.record_partner_meeting(
        actor=programme_lead.user,
        institution=college,
        held_on=today(),
        partners=[partner, second],
        agenda=" Coaching models ",
        notes=" Agreed to share resources ",
    )
    assert (set(meeting.partners.all()), meeting.agenda, meeting.notes, meeting.held_on) == (
        {partner, second},
        "Coaching models",
        "Agreed to share resources",
        today(),
    )
    assert trail()[-1] == (
        "team.partner_meeting_recorded",
        "team.partnermeeting",
        str(meeting.pk),
        programme_lead.user.pk,
    )


def test_record_partner_meeting_ignores_other_institutions_partners(college, tutor, partner, far_partner):
    meeting = services.record_partner_meeting(
        actor=tutor.user, institution=college, held_on=today(), partners=[partner, far_partner]
    )
    assert (list(meeting.partners.all()), list(far_partner.meetings.all())) == ([partner], [])


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_record_partner_meeting_refused_outside_team(request, college, partner, actor):
    with pytest.raises(ServiceError) as error:
        services.record_partner_meeting(
            actor=request.getfixturevalue(actor).user,
            institution=college,
            held_on=today(),
            partners=[partner],
        )
    assert (error.value.message, PartnerMeeting.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


# record_visit


def test_record_visit_by_team(other_tutor, partner):
    saved = services.record_visit(
        actor=other_tutor.user,
        partner=partner,
        direction=PartnerVisit.Direction.IN,
        visited_on=today(),
        purpose="  Learning walk with their tutors ",
        notes=" Useful ",
    )
    assert list(
        PartnerVisit.objects.values_list("pk", "partner", "direction", "visited_on", "purpose", "notes")
    ) == [(saved.pk, partner.pk, "in", today(), "Learning walk with their tutors", "Useful")]
    assert trail()[-1] == (
        "team.partner_visit_recorded",
        "team.partner",
        str(partner.pk),
        other_tutor.user.pk,
    )


@pytest.mark.parametrize("purpose", ["", "   "])
def test_record_visit_refuses_missing_purpose(tutor, partner, purpose):
    with pytest.raises(ServiceError) as error:
        visit(partner, tutor, purpose=purpose)
    assert (error.value.message, error.value.field, PartnerVisit.objects.count()) == (
        "Enter the purpose of the visit",
        "purpose",
        0,
    )


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_record_visit_refused_outside_team(request, partner, actor):
    with pytest.raises(ServiceError) as error:
        visit(partner, request.getfixturevalue(actor))
    assert (error.value.message, PartnerVisit.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


def test_record_visit_refused_for_another_schools_partner(tutor, far_partner):
    with pytest.raises(ServiceError) as error:
        visit(far_partner, tutor)
    assert (error.value.message, PartnerVisit.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


# Visibility: the team only


def test_partners_readable_by_exactly_the_team(everyone, college, partner, far_partner):
    readers = {
        name
        for name, staff in everyone.items()
        if list(permissions.partners_readable_by(staff.user)) == [partner]
    }
    assert readers == TEAM


def test_partner_meetings_and_visits_readable_by_exactly_the_team(everyone, college, tutor, partner):
    meeting = services.record_partner_meeting(
        actor=tutor.user, institution=college, held_on=today(), partners=[partner]
    )
    saved = visit(partner, tutor)
    meeting_scope = registry.registration(PartnerMeeting).scope
    visit_scope = registry.registration(PartnerVisit).scope
    readers = {
        name
        for name, staff in everyone.items()
        if (list(meeting_scope(staff.user)), list(visit_scope(staff.user))) == ([meeting], [saved])
    }
    blind = {
        name
        for name, staff in everyone.items()
        if (list(meeting_scope(staff.user)), list(visit_scope(staff.user))) == ([], [])
    }
    assert (readers, blind) == (TEAM, set(PERSONAS) - TEAM)


# team:partners


@pytest.mark.parametrize("viewer", sorted(TEAM))
def test_partners_page_lists_network_for_team(
    request, client_for, college, tutor, partner, far_partner, viewer
):
    services.record_partner_meeting(
        actor=tutor.user, institution=college, held_on=today(), partners=[partner], agenda="Coaching"
    )
    visit(partner, tutor, purpose="Shared our coaching model")
    response = client_for(request.getfixturevalue(viewer)).get(PARTNERS)
    body = response.content.decode()
    assert (response.status_code, response.context["partners"], len(response.context["meetings"])) == (
        200,
        [partner],
        1,
    )
    assert [text in body for text in ("Preston College", "Shared our coaching model", "Far Partner")] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("viewer", NOT_TEAM)
def test_partners_page_404_outside_team(request, client_for, partner, viewer):
    client = client_for(request.getfixturevalue(viewer))
    statuses = (
        client.get(PARTNERS).status_code,
        client.post(PARTNERS, {"form": "partner", "partner-name": "Mine"}).status_code,
    )
    assert (statuses, list(Partner.objects.all())) == ((404, 404), [partner])


def test_partners_post_partner_adds_it(client_for, tutor, college):
    response = client_for(tutor).post(
        PARTNERS, {"form": "partner", "partner-name": "Preston College", "partner-contacts": "Pat"}
    )
    assert (response.status_code, response.url) == (302, PARTNERS)
    assert list(Partner.objects.values_list("institution", "name", "contacts")) == [
        (college.pk, "Preston College", "Pat")
    ]


def test_partners_post_duplicate_partner_rerenders_with_error(client_for, tutor, partner):
    response = client_for(tutor).post(PARTNERS, {"form": "partner", "partner-name": "Preston College"})
    body = response.content.decode()
    assert (response.status_code, Partner.objects.count()) == (200, 1)
    assert "<title>Error: Partner network – protutor</title>" in body
    assert summary_links(body) == ["#id_partner-name"]
    assert response.context["partner_form"].errors == {"name": ["That partner is already in the network"]}


def test_partners_post_meeting_records_it(client_for, programme_lead, college, partner):
    response = client_for(programme_lead).post(
        PARTNERS,
        {
            "form": "meeting",
            "meeting-held_on": today().isoformat(),
            "meeting-partners": [partner.pk],
            "meeting-agenda": "Coaching",
            "meeting-notes": "Good",
        },
    )
    meeting = PartnerMeeting.objects.get()
    assert (response.status_code, meeting.institution, list(meeting.partners.all())) == (
        302,
        college,
        [partner],
    )
    assert (meeting.held_on, meeting.agenda, meeting.notes) == (today(), "Coaching", "Good")


def test_partners_post_meeting_with_other_schools_partner_refused(client_for, tutor, partner, far_partner):
    response = client_for(tutor).post(
        PARTNERS,
        {"form": "meeting", "meeting-held_on": today().isoformat(), "meeting-partners": [far_partner.pk]},
    )
    body = response.content.decode()
    assert (response.status_code, PartnerMeeting.objects.count(), summary_links(body)) == (
        200,
        0,
        ["#id_meeting-partners_0"],
    )
    assert "<title>Error: Partner network – protutor</title>" in body


def test_partners_post_meeting_without_date_rerenders_with_error(client_for, tutor, partner):
    response = client_for(tutor).post(PARTNERS, {"form": "meeting", "meeting-held_on": ""})
    assert (response.status_code, PartnerMeeting.objects.count()) == (200, 0)
    assert response.context["meeting_form"].errors == {"held_on": ["Enter the date of the meeting"]}
    assert summary_links(response.content.decode()) == ["#id_meeting-held_on"]


def test_partners_post_visit_records_it(client_for, other_tutor, partner):
    response = client_for(other_tutor).post(
        PARTNERS,
        {
            "form": "visit",
            "visit-partner": partner.pk,
            "visit-direction": "out",
            "visit-visited_on": today().isoformat(),
            "visit-purpose": "Joint learning walk",
        },
    )
    assert response.status_code == 302
    assert list(PartnerVisit.objects.values_list("partner", "direction", "visited_on", "purpose")) == [
        (partner.pk, "out", today(), "Joint learning walk")
    ]


def test_partners_post_visit_without_purpose_rerenders_with_error(client_for, tutor, partner):
    response = client_for(tutor).post(
        PARTNERS,
        {
            "form": "visit",
            "visit-partner": partner.pk,
            "visit-direction": "in",
            "visit-visited_on": today().isoformat(),
            "visit-purpose": "",
        },
    )
    body = response.content.decode()
    assert (response.status_code, PartnerVisit.objects.count()) == (200, 0)
    assert "<title>Error: Partner network – protutor</title>" in body
    assert summary_links(body) == ["#id_visit-purpose"]
    assert response.context["visit_form"].errors == {"purpose": ["Enter the purpose of the visit"]}


def test_partners_post_empty_visit_lists_every_error(client_for, tutor, partner):
    response = client_for(tutor).post(PARTNERS, {"form": "visit"})
    assert summary_links(response.content.decode()) == [
        "#id_visit-partner",
        "#id_visit-direction_0",
        "#id_visit-visited_on",
        "#id_visit-purpose",
    ]
    assert response.context["visit_form"].errors == {
        "partner": ["Select the partner"],
        "direction": ["Select who visited"],
        "visited_on": ["Enter the date of the visit"],
        "purpose": ["Enter the purpose of the visit"],
    }


def test_partners_post_visit_to_other_schools_partner_refused(client_for, tutor, partner, far_partner):
    response = client_for(tutor).post(
        PARTNERS,
        {
            "form": "visit",
            "visit-partner": far_partner.pk,
            "visit-direction": "out",
            "visit-visited_on": today().isoformat(),
            "visit-purpose": "Nosing",
        },
    )
    assert (
        response.status_code,
        PartnerVisit.objects.count(),
        list(response.context["visit_form"].errors),
    ) == (
        200,
        0,
        ["partner"],
    )


def test_partners_post_unknown_form_404(client_for, tutor):
    assert client_for(tutor).post(PARTNERS, {"form": "resource"}).status_code == 404
