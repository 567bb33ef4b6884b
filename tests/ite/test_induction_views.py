"""Induction pages: the overview, checklist templates and checklists, an early-career teacher's induction
with its schedule, reduced timetable, evidence and events; who gets each page and who gets a 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from protutor.audit.models import AccessRecord
from protutor.ite import services_induction as services
from protutor.ite.models import (
    ChecklistTemplate,
    EctInduction,
    InductionEvent,
    InductionEvidence,
    StaffInduction,
)
from tests.factories.people import StaffMemberFactory

pytestmark = pytest.mark.django_db

PR = InductionEvent.Kind.PROGRESS_REVIEW
FA = InductionEvent.Kind.FORMAL_ASSESSMENT


@pytest.fixture
def ect_record(ect_record, ite_tutor, year):
    """The conftest's induction, with its events computed as the ITE tutor's page would."""
    return services.reschedule(actor=ite_tutor.user, induction=ect_record)


@pytest.fixture
def template(ite_tutor):
    return services.save_checklist_template(
        actor=ite_tutor.user, name="New staff", items_text="Safeguarding training\nBehaviour policy"
    )


@pytest.fixture
def checklist(ite_tutor, template, newcomer, induction_tutor, year):
    return services.start_checklist(
        actor=ite_tutor.user,
        staff=newcomer,
        template=template,
        starts_on=year.starts_on,
        induction_tutor=induction_tutor,
    )


def ect_detail(record) -> str:
    return reverse("ite:ect-detail", args=[record.pk])


# The overview


def test_induction_list_shows_ects_and_checklists(client_for, ite_tutor, ect_record, checklist, newcomer):
    services.record_reduced_timetable(
        actor=ite_tutor.user,
        induction=ect_record,
        induction_year=1,
        standard_periods=Decimal("20"),
        taught_periods=Decimal("19"),
    )
    services.tick_checklist_item(actor=newcomer.user, item=checklist.checklist.first())
    overdue = ect_record.events.get(kind=PR, number=1)
    InductionEvent.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(ite_tutor).get(reverse("ite:induction-list"))
    body = response.content.decode()
    row = response.context["ects"][0]
    assert (row["induction"], row["next_event"].pk, row["overdue"]) == (ect_record, overdue.pk, 1)
    assert [c.check.met for c in row["checks"]] == [False]
    assert "Evan Earlycareer" in body
    assert "Ida Inductiontutor" in body
    assert "Mentor: Esme Ectmentor" in body
    assert "1 overdue" in body
    assert "Year 1: not met" in body
    assert "1 of 2 done" in body
    assert reverse("ite:ect-create") in body
    assert reverse("ite:checklist-create") in body
    assert reverse("ite:checklist-template") in body


def test_induction_list_leaves_out_finished_inductions(client_for, ite_tutor, ect_record):
    EctInduction.objects.filter(pk=ect_record.pk).update(status=EctInduction.Status.PASSED)
    response = client_for(ite_tutor).get(reverse("ite:induction-list"))
    assert response.context["ects"] == []


def test_programme_lead_reads_the_list_without_the_links_to_create(
    client_for, programme_lead, ect_record, checklist
):
    response = client_for(programme_lead).get(reverse("ite:induction-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Evan Earlycareer" in body
    assert "Nell Newstarter" in body
    assert reverse("ite:ect-create") not in body


@pytest.mark.parametrize("who", ["ect", "hod", "colleague", "admin", "intern"])
def test_induction_list_is_404_for_others(request, client_for, ect_record, who):
    person = request.getfixturevalue(who)
    assert client_for(person).get(reverse("ite:induction-list")).status_code == 404


@pytest.mark.parametrize("who", ["induction_tutor", "ect_mentor"])
def test_induction_tutor_and_mentor_see_what_they_hold_on_the_list(
    request, client_for, college, ite_tutor, ect_record, checklist, year, who
):
    """Issue 22: the induction tutor got a 404 on the overview. They, and the ECT's mentor, see the
    inductions they hold (the tutor their checklists too), not the rest of the institution's."""
    other = StaffMemberFactory(institution=college, department=None, forename="Olga", surname="Otherect")
    services.start_ect_induction(
        actor=ite_tutor.user,
        staff=other,
        starts_on=year.starts_on,
        fte=Decimal("1"),
        induction_tutor=StaffMemberFactory(institution=college, department=None),
        mentor=StaffMemberFactory(institution=college, department=None),
    )
    person = request.getfixturevalue(who)
    response = client_for(person).get(reverse("ite:induction-list"))
    assert response.status_code == 200
    assert [row["induction"] for row in response.context["ects"]] == [ect_record]
    expected = [checklist] if who == "induction_tutor" else []
    assert list(response.context["checklists"]) == expected
    assert "Otherect" not in response.content.decode()
    assert reverse("ite:ect-create") not in response.content.decode()
    index = client_for(person).get(reverse("ite:index")).content.decode()
    assert reverse("ite:induction-list") in index


def test_induction_list_is_404_once_the_induction_has_ended(client_for, ect_record, ect_mentor):
    EctInduction.objects.filter(pk=ect_record.pk).update(status=EctInduction.Status.PASSED)
    assert client_for(ect_mentor).get(reverse("ite:induction-list")).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_induction_list_query_count_is_constant(
    client_for, django_assert_num_queries, college, ite_tutor, induction_tutor, ect_mentor, template, year, n
):
    for _ in range(n):
        ect = StaffMemberFactory(institution=college, department=None)
        services.start_ect_induction(
            actor=ite_tutor.user,
            staff=ect,
            starts_on=year.starts_on,
            fte=Decimal("1"),
            induction_tutor=induction_tutor,
            mentor=ect_mentor,
        )
        induction = ect.ect_induction
        services.record_reduced_timetable(
            actor=ite_tutor.user,
            induction=induction,
            induction_year=1,
            standard_periods=Decimal("20"),
            taught_periods=Decimal("18"),
        )
        services.start_checklist(
            actor=ite_tutor.user,
            staff=StaffMemberFactory(institution=college, department=None),
            template=template,
            starts_on=year.starts_on,
        )
    client = client_for(ite_tutor)
    # session, user, actor (staff, roles, caseload, reports), the overseer check, inductions with ECT,
    # tutor and mentor, their events, their timetables, checklists with counts, the ITE tutor check
    with django_assert_num_queries(14):
        response = client.get(reverse("ite:induction-list"))
    assert (len(response.context["ects"]), len(response.context["checklists"])) == (n, n)


# Checklist templates


def test_template_page_offers_the_default_when_there_is_none(client_for, ite_tutor):
    response = client_for(ite_tutor).get(reverse("ite:checklist-template"))
    form = response.context["form"]
    assert form.initial["name"] == "New staff"
    assert form.initial["items_text"].splitlines() == services.DEFAULT_TEMPLATE_ITEMS
    assert "Keeping children safe in education part one read" in response.content.decode()


def test_ite_tutor_saves_the_default_then_changes_it(client_for, ite_tutor):
    client = client_for(ite_tutor)
    response = client.post(
        reverse("ite:checklist-template"),
        {"name": "New staff", "items_text": "Safeguarding training\nLanyard and ID badge"},
    )
    assert response["Location"] == reverse("ite:checklist-template")
    template = ChecklistTemplate.objects.get()
    assert template.items == ["Safeguarding training", "Lanyard and ID badge"]
    url = reverse("ite:checklist-template") + f"?template={template.pk}"
    assert client.get(url).context["form"].initial == {
        "name": "New staff",
        "items_text": "Safeguarding training\nLanyard and ID badge",
    }
    client.post(url, {"name": "Support staff", "items_text": "Fire safety"})
    template.refresh_from_db()
    assert (template.name, template.items, ChecklistTemplate.objects.count()) == (
        "Support staff",
        ["Fire safety"],
        1,
    )


def test_template_form_names_the_missing_fields(client_for, ite_tutor):
    response = client_for(ite_tutor).post(reverse("ite:checklist-template"), {"name": "", "items_text": ""})
    body = response.content.decode()
    assert "<title>Error: Checklist templates" in body
    assert "Enter the template&#x27;s name, like New staff" in body
    assert "Enter at least one item, one on each line" in body
    assert ChecklistTemplate.objects.count() == 0


def test_template_duplicate_items_are_refused_on_the_field(client_for, ite_tutor):
    response = client_for(ite_tutor).post(
        reverse("ite:checklist-template"), {"name": "New staff", "items_text": "Badge\nbadge"}
    )
    assert response.context["form"].errors == {"items_text": ["Each item on the checklist must be different"]}


@pytest.mark.parametrize("who", ["programme_lead", "induction_tutor", "hod", "admin"])
def test_template_page_is_the_ite_tutors(request, client_for, template, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("ite:checklist-template")).status_code == 404
    assert client.post(reverse("ite:checklist-template"), {"name": "X", "items_text": "Y"}).status_code == 404


def test_template_page_with_templates_offers_an_empty_form(client_for, ite_tutor, template):
    response = client_for(ite_tutor).get(reverse("ite:checklist-template"))
    assert (response.context["form"].initial, response.context["templates"]) == ({}, [template])
    assert "Add a template" in response.content.decode()


def test_template_page_with_an_unknown_template_is_404(client_for, ite_tutor, template):
    client = client_for(ite_tutor)
    assert client.get(reverse("ite:checklist-template") + "?template=x").status_code == 404
    assert client.get(reverse("ite:checklist-template") + f"?template={template.pk + 1}").status_code == 404


# Starting a checklist


def test_ite_tutor_starts_a_checklist(client_for, ite_tutor, template, newcomer, induction_tutor, year):
    response = client_for(ite_tutor).post(
        reverse("ite:checklist-create"),
        {
            "staff": newcomer.pk,
            "template": template.pk,
            "starts_on": year.starts_on.isoformat(),
            "induction_tutor": induction_tutor.pk,
        },
    )
    induction = StaffInduction.objects.get()
    assert response["Location"] == induction.get_absolute_url()
    assert (induction.staff, induction.induction_tutor) == (newcomer, induction_tutor)
    assert [i.title for i in induction.checklist.all()] == ["Safeguarding training", "Behaviour policy"]


def test_checklist_form_names_the_missing_fields(client_for, ite_tutor, template, newcomer):
    response = client_for(ite_tutor).post(
        reverse("ite:checklist-create"), {"induction_tutor": newcomer.pk, "starts_on": "31/02/2026"}
    )
    assert response.context["form"].errors == {
        "staff": ["Select the new member of staff"],
        "template": ["Select a checklist template"],
        "starts_on": ["Enter the start date as a real date, like 2026-09-01"],
    }
    assert "<title>Error: Start an induction checklist" in response.content.decode()


def test_checklist_form_refuses_their_own_tutor(client_for, ite_tutor, template, newcomer, year):
    response = client_for(ite_tutor).post(
        reverse("ite:checklist-create"),
        {
            "staff": newcomer.pk,
            "template": template.pk,
            "starts_on": year.starts_on.isoformat(),
            "induction_tutor": newcomer.pk,
        },
    )
    assert response.context["form"].errors == {
        "induction_tutor": ["A new member of staff cannot be their own induction tutor"]
    }
    assert StaffInduction.objects.count() == 0


def test_checklist_twice_from_a_template_is_refused_on_the_field(
    client_for, ite_tutor, checklist, newcomer, year
):
    response = client_for(ite_tutor).post(
        reverse("ite:checklist-create"),
        {"staff": newcomer.pk, "template": checklist.template_id, "starts_on": year.starts_on.isoformat()},
    )
    assert response.context["form"].errors == {"staff": ["Nell Newstarter already has a New staff checklist"]}
    assert StaffInduction.objects.count() == 1


def test_checklist_form_without_templates_points_to_them(client_for, ite_tutor):
    body = client_for(ite_tutor).get(reverse("ite:checklist-create")).content.decode()
    assert "There are no checklist templates yet." in body


@pytest.mark.parametrize("who", ["programme_lead", "induction_tutor", "colleague"])
def test_checklist_create_is_the_ite_tutors(request, client_for, template, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("ite:checklist-create")).status_code == 404


# A checklist


@pytest.mark.parametrize("who", ["newcomer", "induction_tutor", "ite_tutor"])
def test_who_may_tick_does(request, client_for, checklist, who):
    person = request.getfixturevalue(who)
    item = checklist.checklist.get(position=2)
    client = client_for(person)
    assert "Mark as done" in client.get(checklist.get_absolute_url()).content.decode()
    response = client.post(checklist.get_absolute_url(), {"item": item.pk})
    assert response["Location"] == checklist.get_absolute_url()
    item.refresh_from_db()
    assert (item.done_on, item.done_by) == (timezone.localdate(), person)
    body = client.get(checklist.get_absolute_url()).content.decode()
    assert f"by {person.full_name}" in body
    assert "1 of 2 done" in body


def test_untick_an_item(client_for, checklist, newcomer):
    item = checklist.checklist.get(position=1)
    client = client_for(newcomer)
    client.post(checklist.get_absolute_url(), {"item": item.pk})
    client.post(checklist.get_absolute_url(), {"item": item.pk, "undo": "1"})
    item.refresh_from_db()
    assert item.done_on is None


def test_ticking_twice_says_so(client_for, checklist, newcomer):
    item = checklist.checklist.get(position=1)
    client = client_for(newcomer)
    client.post(checklist.get_absolute_url(), {"item": item.pk})
    response = client.post(checklist.get_absolute_url(), {"item": item.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Nell Newstarter: induction checklist" in body
    assert "Safeguarding training is already done" in body


def test_programme_lead_reads_a_checklist_but_cannot_tick(client_for, checklist, programme_lead):
    client = client_for(programme_lead)
    response = client.get(checklist.get_absolute_url())
    assert response.status_code == 200
    assert "Mark as done" not in response.content.decode()
    item = checklist.checklist.first()
    assert client.post(checklist.get_absolute_url(), {"item": item.pk}).status_code == 404
    item.refresh_from_db()
    assert item.done_on is None


@pytest.mark.parametrize("who", ["hod", "colleague", "admin", "mentor", "ect"])
def test_checklist_is_404_for_others(request, client_for, checklist, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(checklist.get_absolute_url()).status_code == 404
    assert (
        client.post(checklist.get_absolute_url(), {"item": checklist.checklist.first().pk}).status_code == 404
    )


def test_an_item_of_another_checklist_is_404(client_for, checklist, template, ite_tutor, college, year):
    other = services.start_checklist(
        actor=ite_tutor.user,
        staff=StaffMemberFactory(institution=college, department=None),
        template=template,
        starts_on=year.starts_on,
    )
    response = client_for(ite_tutor).post(checklist.get_absolute_url(), {"item": other.checklist.first().pk})
    assert response.status_code == 404


def test_reading_someone_elses_checklist_is_logged(client_for, checklist, newcomer, induction_tutor):
    client_for(newcomer).get(checklist.get_absolute_url())
    client_for(induction_tutor).get(checklist.get_absolute_url())
    assert [(a.reader, a.subject) for a in AccessRecord.objects.all()] == [(induction_tutor.user, newcomer)]


@pytest.mark.parametrize("n", [1, 3])
def test_checklist_detail_query_count_is_constant(
    client_for, django_assert_num_queries, ite_tutor, newcomer, induction_tutor, year, n
):
    template = services.save_checklist_template(
        actor=ite_tutor.user, name="New staff", items_text="\n".join(f"Item {i}" for i in range(n))
    )
    induction = services.start_checklist(
        actor=ite_tutor.user,
        staff=newcomer,
        template=template,
        starts_on=year.starts_on,
        induction_tutor=induction_tutor,
    )
    for item in induction.checklist.all():
        services.tick_checklist_item(actor=newcomer.user, item=item)
    client = client_for(induction_tutor)
    # session, user, the checklist with person, template and tutor, the access log (reader's name,
    # insert), items with who did them, actor (staff, roles, caseload, reports) for the menu
    with django_assert_num_queries(10):
        response = client.get(induction.get_absolute_url())
    assert response.context["done"] == n


# Starting and changing an ECT's induction


@pytest.fixture
def new_ect(college, department):
    return StaffMemberFactory(
        institution=college, department=department, forename="Nia", surname="Newect", user__username="new_ect"
    )


def test_ite_tutor_starts_an_induction(client_for, ite_tutor, new_ect, induction_tutor, ect_mentor, year):
    y = year.starts_on.year
    response = client_for(ite_tutor).post(
        reverse("ite:ect-create"),
        {
            "staff": new_ect.pk,
            "starts_on": dt.date(y, 9, 1).isoformat(),
            "fte": "0.5",
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_mentor.pk,
            "appropriate_body": "North Teaching School Hub",
        },
    )
    induction = new_ect.ect_induction
    assert response["Location"] == induction.get_absolute_url()
    assert (induction.fte, induction.appropriate_body, induction.legacy_nqt) == (
        Decimal("0.5"),
        "North Teaching School Hub",
        False,
    )
    assert list(induction.events.filter(kind=FA).values_list("due_on", flat=True)) == [
        dt.date(y + 2, 8, 31),
        dt.date(y + 4, 8, 31),
    ]
    assert induction.events.count() == 12


def test_ect_form_names_the_missing_fields(client_for, ite_tutor):
    response = client_for(ite_tutor).post(reverse("ite:ect-create"), {"fte": ""})
    assert response.context["form"].errors == {
        "staff": ["Select the early-career teacher"],
        "starts_on": ["Enter the induction start date"],
        "fte": ["Enter the FTE, like 1 for full time or 0.6"],
        "induction_tutor": ["Select the induction tutor"],
        "mentor": ["Select the mentor"],
    }
    assert "<title>Error: Start an early-career teacher" in response.content.decode()


@pytest.mark.parametrize(
    ("fte", "message"),
    [
        ("1.5", "The FTE must be 1 (full time) or less"),
        ("0.05", "The FTE must be 0.1 or more"),
        ("half", "Enter the FTE as a number from 0.1 to 1, like 0.6"),
        ("0.1234", "Enter the FTE to 3 decimal places at most, like 0.6"),
    ],
)
def test_ect_form_checks_the_fte(
    client_for, ite_tutor, new_ect, induction_tutor, ect_mentor, year, fte, message
):
    response = client_for(ite_tutor).post(
        reverse("ite:ect-create"),
        {
            "staff": new_ect.pk,
            "starts_on": year.starts_on.isoformat(),
            "fte": fte,
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_mentor.pk,
        },
    )
    assert response.context["form"].errors == {"fte": [message]}


@pytest.mark.parametrize(
    ("tutor", "mentor", "errors"),
    [
        (
            "new_ect",
            "ect_mentor",
            {"induction_tutor": ["An early-career teacher cannot be their own induction tutor"]},
        ),
        ("induction_tutor", "new_ect", {"mentor": ["An early-career teacher cannot be their own mentor"]}),
        (
            "induction_tutor",
            "induction_tutor",
            {
                "mentor": [
                    "Select a mentor who is not the induction tutor: the induction tutor assesses, the mentor does "
                    "not"
                ]
            },
        ),
    ],
)
def test_ect_form_refuses_the_wrong_people(
    request, client_for, ite_tutor, new_ect, induction_tutor, ect_mentor, year, tutor, mentor, errors
):
    response = client_for(ite_tutor).post(
        reverse("ite:ect-create"),
        {
            "staff": new_ect.pk,
            "starts_on": year.starts_on.isoformat(),
            "fte": "1",
            "induction_tutor": request.getfixturevalue(tutor).pk,
            "mentor": request.getfixturevalue(mentor).pk,
        },
    )
    assert response.context["form"].errors == errors
    assert EctInduction.objects.count() == 0


def test_ect_form_shows_a_service_refusal_on_its_field(
    client_for, ite_tutor, new_ect, induction_tutor, ect_mentor, year
):
    response = client_for(ite_tutor).post(
        reverse("ite:ect-create"),
        {
            "staff": new_ect.pk,
            "starts_on": year.starts_on.isoformat(),
            "fte": "1",
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_mentor.pk,
            "legacy_nqt": "on",
        },
    )
    assert response.context["form"].errors == {
        "legacy_nqt": [
            "The one-year NQT pattern applies only to inductions that started before 1 September 2021"
        ]
    }


@pytest.mark.parametrize("who", ["programme_lead", "induction_tutor", "hod"])
def test_ect_create_is_the_ite_tutors(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("ite:ect-create")).status_code == 404


def test_ite_tutor_changes_the_fte_and_held_events_stay(client_for, ite_tutor, ect_record, induction_tutor):
    review = ect_record.events.get(kind=PR, number=1)
    services.record_event(
        actor=induction_tutor.user, event=review, held_on=timezone.localdate(), outcome="on_track"
    )
    client = client_for(ite_tutor)
    url = reverse("ite:ect-edit", args=[ect_record.pk])
    assert client.get(url).context["form"].initial["fte"] == ect_record.fte
    response = client.post(
        url,
        {
            "starts_on": ect_record.starts_on.isoformat(),
            "fte": "0.5",
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_record.mentor_id,
            "status": "in_progress",
        },
    )
    assert response["Location"] == ect_record.get_absolute_url()
    schedule = services.induction_schedule(
        ect_record.starts_on, Decimal("0.5"), services.term_dates(ect_record.staff.institution_id)
    )
    stored = [(e.kind, e.number, e.due_on) for e in ect_record.events.exclude(pk=review.pk)]
    assert stored == [(e.kind, e.number, e.due_on) for e in schedule.events if (e.kind, e.number) != (PR, 1)]
    review.refresh_from_db()
    assert (review.held_on, review.outcome) == (timezone.localdate(), "on_track")


def test_ect_edit_shows_a_service_refusal_on_its_field(client_for, ite_tutor, ect_record, induction_tutor):
    response = client_for(ite_tutor).post(
        reverse("ite:ect-edit", args=[ect_record.pk]),
        {
            "starts_on": ect_record.starts_on.isoformat(),
            "fte": "1",
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_record.mentor_id,
            "legacy_nqt": "on",
            "status": "in_progress",
        },
    )
    assert response.context["form"].errors == {
        "legacy_nqt": [
            "The one-year NQT pattern applies only to inductions that started before 1 September 2021"
        ]
    }
    assert "<title>Error: Change Evan Earlycareer" in response.content.decode()
    ect_record.refresh_from_db()
    assert ect_record.legacy_nqt is False


def test_ect_edit_refuses_the_ect_as_their_own_mentor(client_for, ite_tutor, ect_record, induction_tutor):
    response = client_for(ite_tutor).post(
        reverse("ite:ect-edit", args=[ect_record.pk]),
        {
            "starts_on": ect_record.starts_on.isoformat(),
            "fte": "1",
            "induction_tutor": induction_tutor.pk,
            "mentor": ect_record.staff_id,
            "status": "in_progress",
        },
    )
    # The ECT is not offered as a mentor at all.
    assert response.context["form"].errors == {"mentor": ["Select the mentor from the list of staff"]}


@pytest.mark.parametrize("who", ["programme_lead", "induction_tutor", "ect", "ect_mentor", "hod"])
def test_ect_edit_is_the_ite_tutors(request, client_for, ect_record, who):
    url = reverse("ite:ect-edit", args=[ect_record.pk])
    assert client_for(request.getfixturevalue(who)).get(url).status_code == 404


# The induction's page


@pytest.mark.parametrize("who", ["ect", "ect_mentor", "induction_tutor", "ite_tutor", "programme_lead"])
def test_readers_see_the_induction(request, client_for, ect_record, who):
    response = client_for(request.getfixturevalue(who)).get(ect_detail(ect_record))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ida Inductiontutor" in body
    assert "Esme Ectmentor" in body
    assert "Estimated from this year's term dates" in body


@pytest.mark.parametrize("who", ["hod", "colleague", "admin", "other_mentor", "intern", "mentor"])
def test_induction_is_404_for_others(request, client_for, ect_record, who):
    assert client_for(request.getfixturevalue(who)).get(ect_detail(ect_record)).status_code == 404


def test_induction_page_shows_the_schedule_and_time_served(
    client_for, ite_tutor, new_ect, induction_tutor, ect_mentor, year
):
    y = year.starts_on.year
    induction = services.start_ect_induction(
        actor=ite_tutor.user,
        staff=new_ect,
        starts_on=dt.date(y, 9, 1),
        fte=Decimal("1"),
        induction_tutor=induction_tutor,
        mentor=ect_mentor,
    )
    response = client_for(ite_tutor).get(ect_detail(induction))
    events = response.context["events"]
    assert [(e.kind, e.number, e.due_on, e.estimated) for e in events] == [
        (PR, 1, dt.date(y, 12, 19), False),
        (PR, 2, dt.date(y + 1, 3, 31), False),
        (FA, 1, dt.date(y + 1, 8, 31), False),
        (PR, 3, dt.date(y + 1, 12, 19), True),
        (PR, 4, dt.date(y + 2, 3, 31), True),
        (FA, 2, dt.date(y + 2, 8, 31), True),
    ]
    served = services.time_served(
        dt.date(y, 9, 1), Decimal("1"), services.term_dates(year.institution_id), timezone.localdate()
    )
    assert response.context["served"] == Decimal(int(served * 10)) / 10
    assert f"{response.context['served']} of 6 full-time terms" in response.content.decode()


def test_overdue_event_is_flagged(client_for, ect, ect_record):
    event = ect_record.events.get(kind=PR, number=1)
    InductionEvent.objects.filter(pk=event.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(ect).get(ect_detail(ect_record))
    assert [e.pk for e in response.context["events"] if e.overdue] == [event.pk]
    assert "Overdue" in response.content.decode()


def test_reduction_check_is_shown(client_for, ite_tutor, ect_record):
    for year, taught in ((1, "18"), (2, "21.5")):
        services.record_reduced_timetable(
            actor=ite_tutor.user,
            induction=ect_record,
            induction_year=year,
            standard_periods=Decimal("20") if year == 1 else Decimal("22"),
            taught_periods=Decimal(taught),
        )
    body = client_for(ite_tutor).get(ect_detail(ect_record)).content.decode()
    assert "Year 1: teaching 90% of a standard timetable: reduction met" in body
    assert (
        '<strong class="govuk-tag govuk-tag--red">Not met</strong> <span class="govuk-error-message '
        'govuk-!-display-inline">Year 2: teaching 97.73% of a standard timetable: reduction not met</span>'
    ) in body
    assert "teaching 21.5 is a reduction of only 2.27%, so 0.6 more must come off." in body


def test_timetable_not_recorded_says_so(client_for, ect, ect_record):
    body = client_for(ect).get(ect_detail(ect_record)).content.decode()
    assert "Year 1: not recorded yet" in body
    assert "Year 2: not recorded yet" in body


def test_evidence_is_listed_by_standard(client_for, ect, ect_mentor, ect_record, standards):
    ts1, ts7 = (
        standards.get(framework__code="TS", number="1"),
        standards.get(framework__code="TS", number="7"),
    )
    today = timezone.localdate()
    services.add_evidence(
        actor=ect.user, induction=ect_record, standard=ts7, recorded_on=today, text="Calm room"
    )
    services.add_evidence(
        actor=ect_mentor.user, induction=ect_record, standard=ts1, recorded_on=today, text="High bar"
    )
    rows = client_for(ect).get(ect_detail(ect_record)).context["by_standard"]
    assert [(s.number, [e.text for e in items]) for s, items in rows if items] == [
        ("1", ["High bar"]),
        ("7", ["Calm room"]),
    ]
    assert [s.number for s, _ in rows][:8] == ["1", "2", "3", "4", "5", "6", "7", "8"]


def test_what_each_reader_may_do_on_the_page(
    client_for, ect_record, ect, ect_mentor, induction_tutor, programme_lead
):
    record_link = reverse("ite:ect-event", args=[ect_record.pk, ect_record.events.first().pk])
    pages = {
        name: client_for(person).get(ect_detail(ect_record)).content.decode()
        for name, person in (
            ("ect", ect),
            ("mentor", ect_mentor),
            ("tutor", induction_tutor),
            ("lead", programme_lead),
        )
    }
    assert {name for name, body in pages.items() if "Add evidence" in body} == {"ect", "mentor", "tutor"}
    assert {name for name, body in pages.items() if record_link in body} == {"tutor"}
    assert {name for name, body in pages.items() if "Record a year's timetable" in body} == {"tutor"}


def test_reading_is_logged_except_by_the_ect(client_for, ect, ect_mentor, ect_record):
    client_for(ect).get(ect_detail(ect_record))
    client_for(ect_mentor).get(ect_detail(ect_record))
    assert [(a.reader, a.subject, a.record_id) for a in AccessRecord.objects.all()] == [
        (ect_mentor.user, ect, str(ect_record.pk))
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_induction_detail_query_count_is_constant(
    client_for, django_assert_num_queries, ect_record, ect, induction_tutor, standards, n
):
    today = timezone.localdate()
    for i, event in enumerate(ect_record.events.all()[:n]):
        InductionEvent.objects.filter(pk=event.pk).update(
            held_on=today, outcome="on_track", notes=f"Note {i}"
        )
        services.add_evidence(
            actor=ect.user,
            induction=ect_record,
            standard=standards.get(framework__code="TS", number=str(i + 1)),
            recorded_on=today,
            text=f"Evidence {i}",
        )
    for year in range(1, min(n, 2) + 1):
        services.record_reduced_timetable(
            actor=induction_tutor.user,
            induction=ect_record,
            induction_year=year,
            standard_periods=Decimal("20"),
            taught_periods=Decimal("17"),
        )
    client = client_for(induction_tutor)
    # session, user, the induction with ECT, tutor and mentor, the access log (reader's name, insert),
    # term dates, events, timetables, evidence with standards and who, the standards listed, the ITE tutor
    # check (may they change it), actor (staff, roles, caseload, reports) for the menu, the standards in
    # the evidence form
    with django_assert_num_queries(16):
        response = client.get(ect_detail(ect_record))
    assert response.context["evidence_count"] == n


# Evidence, timetable and events


@pytest.mark.parametrize("who", ["ect", "ect_mentor", "induction_tutor", "ite_tutor"])
def test_add_evidence_from_the_page(request, client_for, ect_record, standards, who):
    person = request.getfixturevalue(who)
    ts4 = standards.get(framework__code="TS", number="4")
    response = client_for(person).post(
        reverse("ite:ect-evidence", args=[ect_record.pk]),
        {
            "standard": ts4.pk,
            "recorded_on": timezone.localdate().isoformat(),
            "text": "Well-sequenced lessons",
        },
    )
    assert response["Location"] == ect_detail(ect_record) + "#evidence"
    evidence = InductionEvidence.objects.get()
    assert (evidence.standard, evidence.text, evidence.recorded_by) == (ts4, "Well-sequenced lessons", person)


def test_evidence_form_errors_are_named(client_for, ect, ect_record, standards):
    sub_point = standards.get(framework__code="TS", number="4a")
    response = client_for(ect).post(
        reverse("ite:ect-evidence", args=[ect_record.pk]),
        {"standard": sub_point.pk, "recorded_on": "", "text": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["evidence_form"].errors == {
        "standard": ["Select a Teachers' Standard"],
        "recorded_on": ["Enter the date of the evidence"],
        "text": ["Enter the evidence"],
    }
    assert "<title>Error: Evan Earlycareer: induction" in body
    assert InductionEvidence.objects.count() == 0


def test_evidence_in_the_future_is_refused_on_its_field(client_for, ect, ect_record, standards):
    response = client_for(ect).post(
        reverse("ite:ect-evidence", args=[ect_record.pk]),
        {
            "standard": standards.get(framework__code="TS", number="4").pk,
            "recorded_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "text": "Later",
        },
    )
    assert response.context["evidence_form"].errors == {"recorded_on": ["The date cannot be in the future"]}


@pytest.mark.parametrize("who", ["programme_lead", "hod", "colleague"])
def test_evidence_is_404_for_who_may_not_add(request, client_for, ect_record, standards, who):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("ite:ect-evidence", args=[ect_record.pk]),
        {"standard": standards.get(framework__code="TS", number="4").pk, "recorded_on": "", "text": "X"},
    )
    assert response.status_code == 404


def test_evidence_url_takes_only_post(client_for, ect, ect_record):
    assert client_for(ect).get(reverse("ite:ect-evidence", args=[ect_record.pk])).status_code == 405


@pytest.mark.parametrize("who", ["induction_tutor", "ite_tutor"])
def test_record_timetable_from_the_page(request, client_for, ect_record, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("ite:ect-timetable", args=[ect_record.pk])
    client.post(url, {"induction_year": "1", "standard_periods": "20", "taught_periods": "19"})
    response = client.post(
        url, {"induction_year": "1", "standard_periods": "20", "taught_periods": "18"}, follow=True
    )
    timetable = ect_record.timetables.get()
    assert (timetable.standard_periods, timetable.taught_periods) == (Decimal("20"), Decimal("18"))
    assert [str(m) for m in response.context["messages"]] == [
        "Year 1: teaching 95% of a standard timetable: reduction not met",
        "Year 1: teaching 90% of a standard timetable: reduction met",
    ]


def test_timetable_form_errors_are_named(client_for, induction_tutor, ect_record):
    response = client_for(induction_tutor).post(
        reverse("ite:ect-timetable", args=[ect_record.pk]),
        {"induction_year": "3", "standard_periods": "0", "taught_periods": "many"},
    )
    assert response.context["timetable_form"].errors == {
        "induction_year": ["Select year 1 or year 2"],
        "standard_periods": ["The standard timetable must be more than 0 periods"],
        "taught_periods": ["Enter the periods taught a week as a number, like 18 or 18.5"],
    }
    assert "<title>Error: Evan Earlycareer: induction" in response.content.decode()


def test_legacy_nqt_records_year_1_only(client_for, ite_tutor, ect_record):
    EctInduction.objects.filter(pk=ect_record.pk).update(legacy_nqt=True)
    response = client_for(ite_tutor).post(
        reverse("ite:ect-timetable", args=[ect_record.pk]),
        {"induction_year": "2", "standard_periods": "20", "taught_periods": "18"},
    )
    assert response.context["timetable_form"].errors == {"induction_year": ["Select year 1"]}
    assert "Year 2: not recorded yet" not in response.content.decode()


@pytest.mark.parametrize("who", ["ect_mentor", "ect", "programme_lead", "hod"])
def test_timetable_is_404_for_others(request, client_for, ect_record, who):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("ite:ect-timetable", args=[ect_record.pk]),
        {"induction_year": "1", "standard_periods": "20", "taught_periods": "18"},
    )
    assert response.status_code == 404
    assert ect_record.timetables.count() == 0


def event_url(record, event) -> str:
    return reverse("ite:ect-event", args=[record.pk, event.pk])


@pytest.mark.parametrize("who", ["induction_tutor", "ite_tutor"])
def test_record_a_review_as_held(request, client_for, ect_record, who):
    person = request.getfixturevalue(who)
    event = ect_record.events.get(kind=PR, number=1)
    client = client_for(person)
    assert client.get(event_url(ect_record, event)).status_code == 200
    response = client.post(
        event_url(ect_record, event),
        {"held_on": timezone.localdate().isoformat(), "outcome": "on_track", "notes": "Routines secure"},
    )
    assert response["Location"] == ect_record.get_absolute_url()
    event.refresh_from_db()
    assert (event.held_on, event.outcome, event.notes, event.recorded_by) == (
        timezone.localdate(),
        "on_track",
        "Routines secure",
        person,
    )


def test_formal_assessment_not_on_track_tells_the_appropriate_body(client_for, induction_tutor, ect_record):
    event = ect_record.events.get(kind=FA, number=1)
    client = client_for(induction_tutor)
    response = client.post(
        event_url(ect_record, event),
        {"held_on": timezone.localdate().isoformat(), "outcome": "not_on_track"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Formal assessment 1 recorded. The appropriate body must be told and a support plan agreed."
    ]
    assert "The appropriate body must be told and a support plan agreed." in response.content.decode()
    body = client.get(event_url(ect_record, event)).content.decode()
    assert "Warning</span>The appropriate body must be told and a support plan agreed." in body


def test_event_form_errors_are_named(client_for, induction_tutor, ect_record):
    event = ect_record.events.get(kind=PR, number=1)
    client = client_for(induction_tutor)
    response = client.post(event_url(ect_record, event), {"held_on": ""})
    assert response.context["form"].errors == {
        "held_on": ["Enter the date held"],
        "outcome": ["Select whether the early-career teacher is making satisfactory progress"],
    }
    assert "<title>Error: Progress review 1" in response.content.decode()
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(event_url(ect_record, event), {"held_on": future, "outcome": "on_track"})
    assert response.context["form"].errors == {"held_on": ["The date it was held cannot be in the future"]}
    event.refresh_from_db()
    assert event.held_on is None


@pytest.mark.parametrize("who", ["ect_mentor", "ect", "programme_lead", "hod", "mentor"])
def test_event_is_404_for_others(request, client_for, ect_record, who):
    event = ect_record.events.first()
    client = client_for(request.getfixturevalue(who))
    assert client.get(event_url(ect_record, event)).status_code == 404
    assert (
        client.post(
            event_url(ect_record, event), {"held_on": timezone.localdate().isoformat(), "outcome": "on_track"}
        ).status_code
        == 404
    )
    event.refresh_from_db()
    assert event.held_on is None


def test_event_of_another_induction_is_404(
    client_for, ite_tutor, ect_record, new_ect, induction_tutor, ect_mentor, year
):
    other = services.start_ect_induction(
        actor=ite_tutor.user,
        staff=new_ect,
        starts_on=year.starts_on,
        fte=Decimal("1"),
        induction_tutor=induction_tutor,
        mentor=ect_mentor,
    )
    url = reverse("ite:ect-event", args=[ect_record.pk, other.events.first().pk])
    assert client_for(ite_tutor).get(url).status_code == 404


def test_the_final_assessment_page_asks_for_the_recommendation(client_for, induction_tutor, ect_record):
    final = ect_record.events.get(kind=FA, number=2)
    client = client_for(induction_tutor)
    page = client.get(event_url(ect_record, final))
    assert [value for value, _ in page.context["form"].fields["outcome"].choices] == [
        "met",
        "not_met",
        "extend",
    ]
    body = page.content.decode()
    assert "Recommendation to the appropriate body" in body
    assert "Recommended: has met the Teachers&#x27; Standards" in body
    assert "Making satisfactory progress" not in body
    refused = client.post(event_url(ect_record, final), {"held_on": timezone.localdate().isoformat()})
    assert refused.context["form"].errors == {
        "outcome": ["Select the recommendation to the appropriate body"]
    }
    response = client.post(
        event_url(ect_record, final),
        {"held_on": timezone.localdate().isoformat(), "outcome": "not_met"},
        follow=True,
    )
    final.refresh_from_db()
    assert final.outcome == "not_met"
    assert [str(m) for m in response.context["messages"]] == [
        f"Formal assessment 2 recorded. {services.RECOMMENDATION_SENT}"
    ]
    assert "Recommended: has not met the Teachers&#x27; Standards" in response.content.decode()
    review = ect_record.events.get(kind=PR, number=1)
    choices = client.get(event_url(ect_record, review)).context["form"].fields["outcome"].choices
    assert [value for value, _ in choices] == ["on_track", "not_on_track"]


def test_the_ect_is_not_told_to_send_the_recommendation(client_for, induction_tutor, ect, ect_record):
    """What must follow a recommendation is an instruction for the induction tutor, not for the ECT."""
    final = ect_record.events.get(kind=FA, number=2)
    client_for(induction_tutor).post(
        event_url(ect_record, final), {"held_on": timezone.localdate().isoformat(), "outcome": "met"}
    )
    url = reverse("ite:ect-detail", args=[ect_record.pk])
    instruction = escape(services.RECOMMENDATION_SENT)
    assert instruction in client_for(induction_tutor).get(url).content.decode()
    page = client_for(ect).get(url)
    assert page.status_code == 200
    assert instruction not in page.content.decode()
    assert "Recommended: has met the Teachers&#x27; Standards" in page.content.decode()
