"""Calendar files (issue 6, RFC 5545): the single-session invitation and the private feed, parsed back with
`icalendar` and checked field by field, and the feed's token: works without signing in for the right token,
404 for a wrong or revoked one, and lists only the sessions of the owner's department and those they plan."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from protutor.cpd import services
from protutor.cpd.models import CalendarToken
from protutor.people.models import Caseload, CaseloadDepartment
from tests.factories.cpd import at, change, plan, upcoming
from tests.factories.people import DepartmentFactory

LONDON = ZoneInfo("Europe/London")


def parse(response) -> Calendar:
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    return Calendar.from_ical(response.content)


def invitation(client, session) -> Calendar:
    return parse(client.get(reverse("cpd:session-ics", args=[session.pk])))


def only_event(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


def feed_url(token: CalendarToken) -> str:
    return reverse("cpd:calendar-feed", args=[token.pk, token.token])


def summaries(calendar: Calendar) -> list[str]:
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


# The single-session invitation


def test_session_ics_fields_in_winter(client_for, tutor, teacher, department, year):
    winter = dt.date(year.starts_on.year, 12, 1)
    session = plan(
        tutor,
        department,
        starts_at=at(winter, 16),
        length_minutes=45,
        title="Questioning that includes everyone",
        room="B12",
        aims="Everyone answers",
    )
    calendar = invitation(client_for(teacher), session)
    event = only_event(calendar)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (str(calendar["method"]), str(calendar["version"])) == ("PUBLISH", "2.0")
    assert str(event["uid"]) == f"{session.uid}@protutor"
    assert (start, start.tzinfo, start.utcoffset()) == (
        dt.datetime(winter.year, 12, 1, 16, 0, tzinfo=LONDON),
        LONDON,
        dt.timedelta(0),
    )
    assert (end, end.tzinfo) == (dt.datetime(winter.year, 12, 1, 16, 45, tzinfo=LONDON), LONDON)
    assert f"DTSTART;TZID=Europe/London:{winter:%Y%m%d}T160000" in calendar.to_ical().decode()
    assert (
        str(event["summary"]),
        str(event["location"]),
        str(event["description"]),
        event.decoded("sequence"),
        str(event["status"]),
        str(event["url"]),
    ) == (
        "Questioning that includes everyone (Mathematics)",
        "B12",
        "Everyone answers",
        0,
        "CONFIRMED",
        f"{settings.PROTUTOR_BASE_URL.rstrip('/')}/cpd/sessions/{session.pk}/",
    )
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_session_ics_summer_time_is_bst(client_for, tutor, teacher, department, year):
    summer = dt.date(year.ends_on.year, 6, 10)
    session = plan(tutor, department, starts_at=at(summer, 16), length_minutes=10, format="takeaway")
    calendar = invitation(client_for(teacher), session)
    event = only_event(calendar)
    start = event.decoded("dtstart")
    assert (start, start.tzinfo, start.utcoffset(), start.astimezone(dt.UTC).hour) == (
        dt.datetime(summer.year, 6, 10, 16, 0, tzinfo=LONDON),
        LONDON,
        dt.timedelta(hours=1),
        15,
    )
    # No room agreed yet: no LOCATION; no aims: the format describes it.
    assert ("location" in event, str(event["description"])) == (False, "10-minute takeaway")
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_session_ics_uid_stable_and_sequence_bumps_on_change_and_cancel(
    client_for, tutor, hod, teacher, department, year
):
    first = upcoming(year)
    session = plan(tutor, department, starts_at=first)
    client = client_for(teacher)
    seen = [only_event(invitation(client, session))]
    session = change(hod, session, room="B12")
    seen.append(only_event(invitation(client, session)))
    session = change(tutor, session, starts_at=first + dt.timedelta(hours=1), title="Questioning, again")
    seen.append(only_event(invitation(client, session)))
    services.cancel_session(actor=hod.user, session=session)
    seen.append(only_event(invitation(client, session)))
    assert [
        (str(e["uid"]), e.decoded("sequence"), str(e["status"]), str(e["summary"]), e.decoded("dtstart"))
        for e in seen
    ] == [
        (
            f"{session.uid}@protutor",
            0,
            "CONFIRMED",
            "Questioning that includes everyone (Mathematics)",
            first,
        ),
        (
            f"{session.uid}@protutor",
            1,
            "CONFIRMED",
            "Questioning that includes everyone (Mathematics)",
            first,
        ),
        (
            f"{session.uid}@protutor",
            2,
            "CONFIRMED",
            "Questioning, again (Mathematics)",
            first + dt.timedelta(hours=1),
        ),
        (
            f"{session.uid}@protutor",
            3,
            "CANCELLED",
            "Questioning, again (Mathematics)",
            first + dt.timedelta(hours=1),
        ),
    ]


def test_session_ics_404_for_other_department(client_for, other_tutor, teacher, other_department, year):
    session = plan(other_tutor, other_department, starts_at=upcoming(year))
    response = client_for(teacher).get(reverse("cpd:session-ics", args=[session.pk]))
    assert response.status_code == 404


# The private feed: the token


def test_calendar_feed_right_token_works_without_signing_in(client, tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    token = services.issue_calendar_token(actor=teacher.user)
    calendar = parse(client.get(feed_url(token)))
    event = only_event(calendar)
    assert (str(calendar["x-wr-calname"]), "method" in calendar) == ("protutor CPD", False)
    assert (str(event["uid"]), event.decoded("sequence"), event.decoded("dtstart").tzinfo) == (
        f"{session.uid}@protutor",
        0,
        LONDON,
    )
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_calendar_feed_404_for_wrong_token(client, teacher, year):
    token = services.issue_calendar_token(actor=teacher.user)
    wrong = reverse(
        "cpd:calendar-feed", args=[token.pk, token.token[:-1] + ("A" if token.token[-1] != "A" else "B")]
    )
    assert client.get(wrong).status_code == 404


def test_calendar_feed_404_for_another_users_pk(client, teacher, colleague, year):
    mine = services.issue_calendar_token(actor=teacher.user)
    theirs = services.issue_calendar_token(actor=colleague.user)
    url = reverse("cpd:calendar-feed", args=[theirs.pk, mine.token])
    assert client.get(url).status_code == 404


def test_calendar_feed_404_after_revoke(client, teacher, year):
    token = services.issue_calendar_token(actor=teacher.user)
    url = feed_url(token)
    services.revoke_calendar_token(actor=teacher.user)
    assert (client.get(url).status_code, CalendarToken.objects.filter(user=teacher.user).count()) == (404, 0)


def test_calendar_feed_reissue_changes_token_and_old_address_stops(client, teacher, year):
    old = services.issue_calendar_token(actor=teacher.user)
    old_url = feed_url(old)
    new = services.issue_calendar_token(actor=teacher.user)
    assert (new.token != old.token, feed_url(new) != old_url) == (True, True)
    assert (client.get(old_url).status_code, client.get(feed_url(new)).status_code) == (404, 200)


def test_calendar_feed_404_for_inactive_user(client, teacher, year):
    token = services.issue_calendar_token(actor=teacher.user)
    teacher.user.is_active = False
    teacher.user.save(update_fields=["is_active"])
    assert client.get(feed_url(token)).status_code == 404


def test_calendar_settings_issues_then_revokes(client_for, teacher, year):
    client = client_for(teacher)
    client.post(reverse("cpd:calendar-settings"))
    token = CalendarToken.objects.get(user=teacher.user)
    page = client.get(reverse("cpd:calendar-settings"))
    client.post(reverse("cpd:calendar-settings"), {"action": "revoke"})
    assert page.context["feed_url"] == f"http://testserver{feed_url(token)}"
    assert CalendarToken.objects.filter(user=teacher.user).exists() is False


# The private feed: whose sessions


@pytest.fixture
def science(college, tutor, year):
    """A third department, in the tutor's caseload too."""
    department = DepartmentFactory(institution=college, name="Science")
    CaseloadDepartment.objects.create(
        caseload=Caseload.objects.get(tutor=tutor), department=department, academic_year=year
    )
    return department


@pytest.fixture
def three_departments_sessions(tutor, other_tutor, department, other_department, science, year):
    when = upcoming(year)
    plan(tutor, department, starts_at=when, title="Maths session")
    cancelled = plan(tutor, department, starts_at=upcoming(year, skip=1), title="Maths cancelled")
    services.cancel_session(actor=tutor.user, session=cancelled)
    plan(other_tutor, other_department, starts_at=when, title="Art session")
    plan(tutor, science, starts_at=when, title="Science session")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("teacher", ["Maths cancelled (Mathematics)", "Maths session (Mathematics)"]),
        ("hod", ["Maths cancelled (Mathematics)", "Maths session (Mathematics)"]),
        (
            "tutor",
            ["Maths cancelled (Mathematics)", "Maths session (Mathematics)", "Science session (Science)"],
        ),
        ("other_tutor", ["Art session (Art and Design)"]),
        ("programme_lead", []),
        ("outsider", []),
    ],
)
def test_calendar_feed_lists_own_and_planned_departments_only(
    request, client, three_departments_sessions, persona, expected
):
    staff = request.getfixturevalue(persona)
    token = services.issue_calendar_token(actor=staff.user)
    assert summaries(parse(client.get(feed_url(token)))) == expected


def test_calendar_feed_cancelled_session_marked_cancelled(client, teacher, three_departments_sessions):
    token = services.issue_calendar_token(actor=teacher.user)
    calendar = parse(client.get(feed_url(token)))
    assert sorted(
        (str(e["summary"]), str(e["status"]), e.decoded("sequence")) for e in calendar.walk("VEVENT")
    ) == [
        ("Maths cancelled (Mathematics)", "CANCELLED", 1),
        ("Maths session (Mathematics)", "CONFIRMED", 0),
    ]
