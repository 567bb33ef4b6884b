"""The weekly tutor meeting: the team is the current tutors and the programme lead, nobody else; only the
chair schedules and minutes it; the standing practice item names nobody; actions are carried forward from
meeting to meeting until they are done."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.team import permissions, services
from protutor.team.models import AgendaItem, MeetingAction, TeamMeeting
from tests.conftest import PERSONAS
from tests.factories.people import (
    AcademicYearFactory,
    CaseloadFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

TEAM = {"tutor", "other_tutor", "programme_lead"}
NOT_TEAM = [name for name in PERSONAS if name not in TEAM]
MEETINGS = reverse("team:meeting-list")


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def meeting(college, programme_lead, tutor, other_tutor):
    return services.schedule_meeting(actor=programme_lead.user, institution=college, held_on=today())


@pytest.fixture
def earlier(college, programme_lead, tutor, other_tutor):
    """Last week's meeting."""
    return services.schedule_meeting(
        actor=programme_lead.user, institution=college, held_on=today() - dt.timedelta(days=7)
    )


def detail_url(meeting) -> str:
    return reverse("team:meeting-detail", args=[meeting.pk])


def done_url(meeting, action) -> str:
    return reverse("team:action-done", args=[meeting.pk, action.pk])


def trail() -> list[tuple]:
    return [(e.action, e.target_type, e.target_id, e.actor_id) for e in AuditEvent.objects.order_by("pk")]


def summary_links(body: str) -> list[str]:
    """The hrefs in the error summary, in order."""
    start = body.index('class="govuk-error-summary"')
    end = body.index("</ul>", start)
    return [part.split('"', 1)[0] for part in body[start:end].split('<a href="')[1:]]


def add(meeting, by, description, owner, due_in_days=7) -> MeetingAction:
    return services.add_action(
        actor=by.user,
        meeting=meeting,
        description=description,
        owner=owner,
        due_on=today() + dt.timedelta(days=due_in_days),
    )


# Who is in the team


def test_meetings_readable_by_exactly_tutors_and_programme_lead(everyone, meeting):
    readers = {
        name
        for name, staff in everyone.items()
        if permissions.meetings_readable_by(staff.user).filter(pk=meeting.pk).exists()
    }
    assert readers == TEAM


def test_team_institutions_of_exactly_tutors_and_programme_lead(everyone, college):
    members = {
        name
        for name, staff in everyone.items()
        if list(permissions.team_institutions_of(staff.user)) == [college]
    }
    assert members == TEAM


def test_meetings_readable_by_excludes_last_years_tutor(college, year, meeting):
    former = StaffMemberFactory(institution=college, department=None)
    last_year = AcademicYearFactory(
        institution=college,
        starts_on=dt.date(year.starts_on.year - 1, 9, 1),
        ends_on=dt.date(year.starts_on.year, 8, 31),
    )
    CaseloadFactory(tutor=former, academic_year=last_year)
    assert list(permissions.meetings_readable_by(former.user)) == []


def test_meetings_readable_by_excludes_another_schools_team(meeting):
    far_lead = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=far_lead)
    assert list(permissions.meetings_readable_by(far_lead.user)) == []


def test_meetings_readable_by_anonymous_sees_none(meeting):
    assert list(permissions.meetings_readable_by(AnonymousUser())) == []


@pytest.mark.parametrize("viewer", sorted(TEAM))
def test_meeting_pages_open_to_team(request, client_for, meeting, viewer):
    client = client_for(request.getfixturevalue(viewer))
    assert (client.get(MEETINGS).status_code, client.get(detail_url(meeting)).status_code) == (200, 200)


@pytest.mark.parametrize("viewer", NOT_TEAM)
def test_meeting_pages_404_for_everyone_outside_team(request, client_for, meeting, tutor, viewer):
    action = add(meeting, tutor, "Share the questioning booklet", tutor)
    client = client_for(request.getfixturevalue(viewer))
    statuses = (
        client.get(MEETINGS).status_code,
        client.post(MEETINGS, {"held_on": "2026-01-05"}).status_code,
        client.get(detail_url(meeting)).status_code,
        client.post(detail_url(meeting), {"form": "agenda", "agenda-title": "Mine"}).status_code,
        client.post(done_url(meeting, action)).status_code,
    )
    assert statuses == (404, 404, 404, 404, 404)
    assert (AgendaItem.objects.count(), MeetingAction.objects.get().done_on) == (0, None)


def test_meeting_detail_404_for_another_schools_lead(client_for, meeting):
    far_lead = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=far_lead)
    assert client_for(far_lead).get(detail_url(meeting)).status_code == 404


# Scheduling: the programme lead, one meeting a day


def test_schedule_meeting_by_programme_lead(college, programme_lead):
    meeting = services.schedule_meeting(actor=programme_lead.user, institution=college, held_on=today())
    assert list(TeamMeeting.objects.values_list("pk", "institution", "held_on")) == [
        (meeting.pk, college.pk, today())
    ]
    assert trail() == [
        ("team.meeting_scheduled", "team.teammeeting", str(meeting.pk), programme_lead.user.pk)
    ]


@pytest.mark.parametrize("actor", ["tutor", "other_tutor", "admin", "hod"])
def test_schedule_meeting_refused_for_anyone_but_programme_lead(request, college, tutor, actor):
    with pytest.raises(ServiceError) as error:
        services.schedule_meeting(
            actor=request.getfixturevalue(actor).user, institution=college, held_on=today()
        )
    assert (error.value.message, TeamMeeting.objects.count(), trail()) == (
        "Only the programme lead can do that.",
        0,
        [],
    )


def test_schedule_meeting_refuses_second_on_same_day(college, programme_lead, meeting):
    with pytest.raises(ServiceError) as error:
        services.schedule_meeting(actor=programme_lead.user, institution=college, held_on=today())
    assert (error.value.message, error.value.field) == ("There is already a meeting on that day", "held_on")
    assert list(TeamMeeting.objects.all()) == [meeting]


def test_schedule_meeting_allows_next_day(college, programme_lead, meeting):
    tomorrow = services.schedule_meeting(
        actor=programme_lead.user, institution=college, held_on=today() + dt.timedelta(days=1)
    )
    assert list(TeamMeeting.objects.all()) == [tomorrow, meeting]


def test_meeting_list_post_schedules_and_redirects(client_for, programme_lead, tutor):
    response = client_for(programme_lead).post(MEETINGS, {"held_on": today().isoformat()})
    meeting = TeamMeeting.objects.get()
    assert (response.status_code, response.url, meeting.held_on) == (302, detail_url(meeting), today())


def test_meeting_list_post_same_day_rerenders_with_error(client_for, programme_lead, meeting):
    response = client_for(programme_lead).post(MEETINGS, {"held_on": today().isoformat()})
    body = response.content.decode()
    assert (response.status_code, TeamMeeting.objects.count()) == (200, 1)
    assert "<title>Error: Tutor meetings – protutor</title>" in body
    assert summary_links(body) == ["#id_held_on"]
    assert response.context["form"].errors == {"held_on": ["There is already a meeting on that day"]}


def test_meeting_list_post_without_date_rerenders_with_error(client_for, programme_lead):
    response = client_for(programme_lead).post(MEETINGS, {"held_on": ""})
    body = response.content.decode()
    assert (response.status_code, TeamMeeting.objects.count(), summary_links(body)) == (
        200,
        0,
        ["#id_held_on"],
    )
    assert response.context["form"].errors == {"held_on": ["Enter the date of the meeting"]}
    assert "<title>Error: Tutor meetings – protutor</title>" in body


def test_meeting_list_post_by_tutor_schedules_nothing(client_for, tutor):
    client_for(tutor).post(MEETINGS, {"held_on": today().isoformat()})
    assert (TeamMeeting.objects.count(), trail()) == (0, [])


def test_meeting_list_shows_schedule_form_to_programme_lead_only(client_for, programme_lead, tutor):
    lead_form = client_for(programme_lead).get(MEETINGS).context["form"]
    tutor_form = client_for(tutor).get(MEETINGS).context["form"]
    assert (lead_form is not None, tutor_form) == (True, None)


def test_meeting_list_lists_own_institutions_meetings(client_for, tutor, meeting, earlier):
    far_lead = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=far_lead)
    services.schedule_meeting(actor=far_lead.user, institution=far_lead.institution, held_on=today())
    assert client_for(tutor).get(MEETINGS).context["meetings"] == [meeting, earlier]


# Agenda: anyone in the team


@pytest.mark.parametrize("actor", sorted(TEAM))
def test_add_agenda_item_by_anyone_in_team(request, meeting, actor):
    staff = request.getfixturevalue(actor)
    item = services.add_agenda_item(actor=staff.user, meeting=meeting, title="  Consistency in feedback  ")
    assert list(meeting.agenda.values_list("pk", "title", "added_by")) == [
        (item.pk, "Consistency in feedback", staff.pk)
    ]
    assert trail()[-1] == ("team.agenda_item_added", "team.teammeeting", str(meeting.pk), staff.user.pk)


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_add_agenda_item_refused_outside_team(request, meeting, actor):
    with pytest.raises(ServiceError) as error:
        services.add_agenda_item(actor=request.getfixturevalue(actor).user, meeting=meeting, title="Mine")
    assert (error.value.message, AgendaItem.objects.count()) == ("You do not have permission to do that.", 0)


def test_add_agenda_item_refuses_blank_title(tutor, meeting):
    with pytest.raises(ServiceError) as error:
        services.add_agenda_item(actor=tutor.user, meeting=meeting, title="   ")
    assert (error.value.message, error.value.field, AgendaItem.objects.count()) == (
        "Enter the agenda item",
        "title",
        0,
    )


def test_meeting_detail_post_agenda_adds_item(client_for, other_tutor, meeting):
    response = client_for(other_tutor).post(
        detail_url(meeting), {"form": "agenda", "agenda-title": "Peer coaching pairs"}
    )
    assert (response.status_code, response.url) == (302, detail_url(meeting))
    assert list(meeting.agenda.values_list("title", "added_by")) == [("Peer coaching pairs", other_tutor.pk)]
    page = client_for(other_tutor).get(detail_url(meeting))
    assert [item.title for item in page.context["agenda"]] == ["Peer coaching pairs"]


def test_meeting_detail_post_empty_agenda_item_rerenders_with_error(client_for, tutor, meeting):
    response = client_for(tutor).post(detail_url(meeting), {"form": "agenda", "agenda-title": ""})
    body = response.content.decode()
    assert (response.status_code, AgendaItem.objects.count()) == (200, 0)
    assert f"<title>Error: {meeting} – protutor</title>" in body
    assert summary_links(body) == ["#id_agenda-title"]
    assert response.context["agenda_form"].errors == {"title": ["Enter the agenda item"]}


def test_meeting_detail_post_unknown_form_404(client_for, programme_lead, meeting):
    response = client_for(programme_lead).post(detail_url(meeting), {"form": "something"})
    assert response.status_code == 404


# Minutes and the practice item: the chair only, and no staff names


def test_record_minutes_by_programme_lead(programme_lead, meeting):
    services.record_minutes(
        actor=programme_lead.user,
        meeting=meeting,
        minutes="  Discussed consistency.  ",
        practice_seen="  Cold-calling with thinking time in a Year 10 lesson.  ",
    )
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.practice_seen) == (
        "Discussed consistency.",
        "Cold-calling with thinking time in a Year 10 lesson.",
    )
    assert trail()[-1] == (
        "team.minutes_recorded",
        "team.teammeeting",
        str(meeting.pk),
        programme_lead.user.pk,
    )


@pytest.mark.parametrize("actor", ["tutor", "other_tutor", "admin"])
def test_record_minutes_refused_for_anyone_but_programme_lead(request, meeting, actor):
    with pytest.raises(ServiceError) as error:
        services.record_minutes(
            actor=request.getfixturevalue(actor).user, meeting=meeting, minutes="Mine", practice_seen=""
        )
    meeting.refresh_from_db()
    assert (error.value.message, meeting.minutes) == ("Only the programme lead can do that.", "")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Tess Teacher used mini whiteboards well.", "Tess Teacher"),
        ("mini whiteboards in tess teacher's lesson", "Tess Teacher"),
        ("Questioning from TESS TEACHER, again.", "Tess Teacher"),
        ("Hari Head and Tess Teacher co-planned.", "Hari Head, Tess Teacher"),
        ("Tamsin Tutor modelled a starter.", "Tamsin Tutor"),
        ("A starter from Tess\r\nTeacher.", "Tess Teacher"),
    ],
)
def test_record_minutes_refuses_practice_naming_staff(
    programme_lead, teacher, hod, tutor, meeting, text, named
):
    with pytest.raises(ServiceError) as error:
        services.record_minutes(
            actor=programme_lead.user, meeting=meeting, minutes="Notes", practice_seen=text
        )
    meeting.refresh_from_db()
    assert (error.value.message, error.value.field) == (
        f"Take the names out of “the practice we saw this week”: {named}",
        "practice_seen",
    )
    assert (meeting.minutes, meeting.practice_seen, trail()[-1][0]) == ("", "", "team.meeting_scheduled")


@pytest.mark.parametrize(
    "text",
    [
        "Mini whiteboards used well in a maths lesson.",
        "Tess modelled a starter; the teacher circulated.",
        "Teacher-led questioning with a Head of Department watching.",
        "Tess Teachers' forum",
        "",
    ],
)
def test_record_minutes_accepts_practice_without_full_names(programme_lead, teacher, hod, meeting, text):
    services.record_minutes(actor=programme_lead.user, meeting=meeting, minutes="Notes", practice_seen=text)
    meeting.refresh_from_db()
    assert meeting.practice_seen == text


def test_names_in_whole_words_only(teacher, college):
    assert (
        services.names_in("Atess Teacher and Tess Teacherly", college.pk),
        services.names_in("TESS TEACHER", college.pk),
        services.names_in("   ", college.pk),
    ) == ([], ["Tess Teacher"], [])


@pytest.mark.parametrize("text", ["tess  teacher", "Tess\nTeacher", "Tess\r\n Teacher", "Tess\tTeacher"])
def test_names_in_finds_name_split_by_other_whitespace(teacher, college, text):
    """A double space or a line break between forename and surname still names the person."""
    assert services.names_in(text, college.pk) == ["Tess Teacher"]


def test_meeting_detail_post_minutes_naming_staff_rerenders_with_error(
    client_for, programme_lead, teacher, meeting
):
    response = client_for(programme_lead).post(
        detail_url(meeting),
        {"form": "minutes", "minutes-minutes": "Notes", "minutes-practice_seen": "Tess Teacher's plenary"},
    )
    body = response.content.decode()
    meeting.refresh_from_db()
    assert (response.status_code, meeting.practice_seen, meeting.minutes) == (200, "", "")
    assert f"<title>Error: {meeting} – protutor</title>" in body
    assert summary_links(body) == ["#id_minutes-practice_seen"]
    assert response.context["minutes_form"].errors == {
        "practice_seen": ["Take the names out of “the practice we saw this week”: Tess Teacher"]
    }


def test_meeting_detail_post_minutes_saves(client_for, programme_lead, teacher, meeting):
    response = client_for(programme_lead).post(
        detail_url(meeting),
        {"form": "minutes", "minutes-minutes": "Agreed a focus", "minutes-practice_seen": "A strong plenary"},
    )
    meeting.refresh_from_db()
    assert (response.status_code, meeting.minutes, meeting.practice_seen) == (
        302,
        "Agreed a focus",
        "A strong plenary",
    )


def test_meeting_detail_post_minutes_by_tutor_404(client_for, tutor, meeting):
    response = client_for(tutor).post(
        detail_url(meeting), {"form": "minutes", "minutes-minutes": "Mine", "minutes-practice_seen": ""}
    )
    meeting.refresh_from_db()
    assert (response.status_code, meeting.minutes) == (404, "")


def test_meeting_detail_minutes_form_for_programme_lead_only(client_for, programme_lead, tutor, meeting):
    lead_form = client_for(programme_lead).get(detail_url(meeting)).context["minutes_form"]
    tutor_form = client_for(tutor).get(detail_url(meeting)).context["minutes_form"]
    assert (lead_form is not None, tutor_form) == (True, None)


# Actions: anyone in the team adds them; the owner is in the team


@pytest.mark.parametrize("actor", sorted(TEAM))
def test_add_action_by_anyone_in_team(request, meeting, other_tutor, actor):
    staff = request.getfixturevalue(actor)
    action = add(meeting, staff, "  Draft the observation rota  ", other_tutor, due_in_days=14)
    assert list(meeting.actions.values_list("pk", "description", "owner", "due_on", "done_on")) == [
        (action.pk, "Draft the observation rota", other_tutor.pk, today() + dt.timedelta(days=14), None)
    ]
    assert trail()[-1] == ("team.action_added", "team.teammeeting", str(meeting.pk), staff.user.pk)


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_add_action_refused_outside_team(request, meeting, tutor, actor):
    with pytest.raises(ServiceError) as error:
        add(meeting, request.getfixturevalue(actor), "Mine", tutor)
    assert (error.value.message, MeetingAction.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


@pytest.mark.parametrize("owner", NOT_TEAM)
def test_add_action_refuses_owner_outside_team(request, programme_lead, meeting, owner):
    with pytest.raises(ServiceError) as error:
        add(meeting, programme_lead, "Share the booklet", request.getfixturevalue(owner))
    assert (error.value.message, error.value.field, MeetingAction.objects.count()) == (
        "Select someone in the tutor team",
        "owner",
        0,
    )


def test_add_action_refuses_blank_description(programme_lead, tutor, meeting):
    with pytest.raises(ServiceError) as error:
        add(meeting, programme_lead, "  ", tutor)
    assert (error.value.message, error.value.field, MeetingAction.objects.count()) == (
        "Enter the action",
        "description",
        0,
    )


def test_meeting_detail_owner_choices_are_the_team(
    client_for, tutor, other_tutor, programme_lead, teacher, admin, meeting
):
    form = client_for(tutor).get(detail_url(meeting)).context["action_form"]
    assert list(form.fields["owner"].queryset) == [programme_lead, other_tutor, tutor]


def test_meeting_detail_post_action_adds_it(client_for, tutor, programme_lead, meeting):
    due = today() + dt.timedelta(days=3)
    response = client_for(tutor).post(
        detail_url(meeting),
        {
            "form": "action",
            "action-description": "Book the hall",
            "action-owner": programme_lead.pk,
            "action-due_on": due.isoformat(),
        },
    )
    assert (response.status_code, response.url) == (302, detail_url(meeting))
    assert list(meeting.actions.values_list("description", "owner", "due_on")) == [
        ("Book the hall", programme_lead.pk, due)
    ]


def test_meeting_detail_post_empty_action_rerenders_with_errors(client_for, tutor, meeting):
    response = client_for(tutor).post(
        detail_url(meeting),
        {"form": "action", "action-description": "", "action-owner": "", "action-due_on": ""},
    )
    body = response.content.decode()
    assert (response.status_code, MeetingAction.objects.count()) == (200, 0)
    assert f"<title>Error: {meeting} – protutor</title>" in body
    assert summary_links(body) == ["#id_action-description", "#id_action-owner", "#id_action-due_on"]
    assert response.context["action_form"].errors == {
        "description": ["Enter the action"],
        "owner": ["Select who owns the action"],
        "due_on": ["Enter the due date"],
    }


def test_meeting_detail_post_action_owner_outside_team_refused(client_for, tutor, teacher, meeting):
    response = client_for(tutor).post(
        detail_url(meeting),
        {
            "form": "action",
            "action-description": "Book the hall",
            "action-owner": teacher.pk,
            "action-due_on": today().isoformat(),
        },
    )
    assert (
        response.status_code,
        MeetingAction.objects.count(),
        list(response.context["action_form"].errors),
    ) == (
        200,
        0,
        ["owner"],
    )


# Actions carried forward until done


def test_open_actions_for_carries_open_action_forward(tutor, other_tutor, earlier, meeting):
    old = add(earlier, tutor, "Share the booklet", tutor, due_in_days=1)
    new = add(meeting, other_tutor, "Book the hall", other_tutor, due_in_days=2)
    assert (list(services.open_actions_for(meeting)), list(services.open_actions_for(earlier))) == (
        [old, new],
        [old],
    )


def test_open_actions_for_drops_done_action_from_later_meetings_only(tutor, earlier, meeting):
    old = add(earlier, tutor, "Share the booklet", tutor)
    services.complete_action(actor=tutor.user, action=old)
    old.refresh_from_db()
    assert (
        list(services.open_actions_for(meeting)),
        list(services.open_actions_for(earlier)),
        old.done_on,
    ) == (
        [],
        [old],
        today(),
    )


def test_open_actions_for_ignores_other_institutions(college, tutor, meeting):
    far_lead = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=far_lead)
    far_meeting = services.schedule_meeting(
        actor=far_lead.user, institution=far_lead.institution, held_on=today() - dt.timedelta(days=7)
    )
    add(far_meeting, far_lead, "Their action", far_lead)
    assert list(services.open_actions_for(meeting)) == []


def test_meeting_detail_shows_carried_action_until_done(client_for, tutor, other_tutor, earlier, meeting):
    old = add(earlier, tutor, "Share the questioning booklet", other_tutor)
    client = client_for(tutor)
    before = client.get(detail_url(meeting))
    before_body = before.content.decode()
    assert (before.context["actions"], "Share the questioning booklet" in before_body) == ([old], True)
    assert f"(from {earlier.held_on:%-d %b})" in before_body
    assert done_url(meeting, old) in before_body

    response = client.post(done_url(meeting, old))
    old.refresh_from_db()
    assert (response.status_code, response.url, old.done_on) == (302, detail_url(meeting), today())

    later = client.get(detail_url(meeting))
    own = client.get(detail_url(earlier))
    own_body = own.content.decode()
    assert (later.context["actions"], "Share the questioning booklet" in later.content.decode()) == (
        [],
        False,
    )
    assert (own.context["actions"], "Share the questioning booklet" in own_body) == ([old], True)
    assert (done_url(earlier, old) in own_body, ">Done<" in own_body) == (False, True)


def test_action_done_from_own_meeting(client_for, programme_lead, tutor, meeting):
    action = add(meeting, tutor, "Book the hall", tutor)
    response = client_for(programme_lead).post(done_url(meeting, action))
    action.refresh_from_db()
    assert (response.status_code, action.done_on) == (302, today())
    assert trail()[-1] == ("team.action_done", "team.teammeeting", str(meeting.pk), programme_lead.user.pk)


def test_action_done_404_from_earlier_meeting(client_for, tutor, earlier, meeting):
    """An action is only shown on its own meeting and later ones, so an earlier meeting cannot reach it."""
    action = add(meeting, tutor, "Book the hall", tutor)
    response = client_for(tutor).post(done_url(earlier, action))
    action.refresh_from_db()
    assert (response.status_code, action.done_on) == (404, None)


def test_action_done_404_once_done_from_later_meeting(client_for, tutor, earlier, meeting):
    action = add(earlier, tutor, "Book the hall", tutor)
    services.complete_action(actor=tutor.user, action=action)
    assert client_for(tutor).post(done_url(meeting, action)).status_code == 404


def test_action_done_get_not_allowed(client_for, tutor, meeting):
    action = add(meeting, tutor, "Book the hall", tutor)
    assert client_for(tutor).get(done_url(meeting, action)).status_code == 405


def test_complete_action_twice_audits_once(tutor, other_tutor, meeting):
    action = add(meeting, tutor, "Book the hall", tutor)
    services.complete_action(actor=tutor.user, action=action)
    services.complete_action(actor=other_tutor.user, action=action)
    assert [row[0] for row in trail()] == ["team.meeting_scheduled", "team.action_added", "team.action_done"]


@pytest.mark.parametrize("actor", NOT_TEAM)
def test_complete_action_refused_outside_team(request, tutor, meeting, actor):
    action = add(meeting, tutor, "Book the hall", tutor)
    with pytest.raises(ServiceError) as error:
        services.complete_action(actor=request.getfixturevalue(actor).user, action=action)
    action.refresh_from_db()
    assert (error.value.message, action.done_on) == ("You do not have permission to do that.", None)


# The audit trail of a whole meeting


def test_meeting_writes_each_audited(college, programme_lead, tutor, other_tutor):
    lead, first, second = programme_lead.user.pk, tutor.user.pk, other_tutor.user.pk
    meeting = services.schedule_meeting(actor=programme_lead.user, institution=college, held_on=today())
    services.add_agenda_item(actor=tutor.user, meeting=meeting, title="Feedback")
    action = add(meeting, other_tutor, "Book the hall", tutor)
    services.record_minutes(actor=programme_lead.user, meeting=meeting, minutes="Notes", practice_seen="")
    services.complete_action(actor=tutor.user, action=action)
    target = ("team.teammeeting", str(meeting.pk))
    assert trail() == [
        ("team.meeting_scheduled", *target, lead),
        ("team.agenda_item_added", *target, first),
        ("team.action_added", *target, second),
        ("team.minutes_recorded", *target, lead),
        ("team.action_done", *target, first),
    ]
