"""Induction services: checklist templates and checklists, an early-career teacher's induction and its
schedule (hand-computed over the `year` fixture's terms), the reduced timetable, evidence and events.

The `year` fixture's terms (tests/factories/people.py), for the academic year starting 1 September y:
    Autumn  1 Sep y      .. 19 Dec y
    Spring  5 Jan y+1    .. 31 Mar y+1
    Summer 14 Apr y+1    .. 31 Aug y+1
Later years are estimated by shifting those three terms by whole calendar years.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.ite import services_induction as services
from protutor.ite.models import (
    ChecklistItem,
    ChecklistTemplate,
    EctInduction,
    InductionEvent,
    InductionEvidence,
    ReducedTimetable,
    StaffInduction,
)
from protutor.people.models import Term
from tests.factories.ite import InternFactory
from tests.factories.people import (
    AcademicYearFactory,
    InstitutionFactory,
    StaffMemberFactory,
    current_year_bounds,
)

pytestmark = pytest.mark.django_db

PR = InductionEvent.Kind.PROGRESS_REVIEW
FA = InductionEvent.Kind.FORMAL_ASSESSMENT


@pytest.fixture
def template(ite_tutor):
    return services.save_checklist_template(
        actor=ite_tutor.user,
        name="New staff",
        items_text="Safeguarding training\n\nBehaviour policy\n  Staff handbook  ",
    )


def refused(call, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(ServiceError) as info:
        call(**kwargs)
    return info.value.message, info.value.field


def events_of(induction) -> list[tuple]:
    return [(e.kind, e.number, e.due_on, e.estimated) for e in induction.events.order_by("due_on", "kind")]


# Checklist templates


def test_save_template_keeps_one_item_a_line_in_order(template):
    assert (template.name, template.items) == (
        "New staff",
        ["Safeguarding training", "Behaviour policy", "Staff handbook"],
    )
    assert AuditEvent.objects.filter(action="ite.checklist_template_added").count() == 1


@pytest.mark.parametrize(
    ("items_text", "message"),
    [
        ("", "Enter at least one item, one on each line"),
        ("  \n \n", "Enter at least one item, one on each line"),
        ("Behaviour policy\nbehaviour policy", "Each item on the checklist must be different"),
        ("x" * 201, "Each item must be 200 characters or fewer"),
    ],
)
def test_save_template_refuses_bad_items(ite_tutor, items_text, message):
    assert refused(
        services.save_checklist_template, actor=ite_tutor.user, name="New staff", items_text=items_text
    ) == (message, "items_text")
    assert ChecklistTemplate.objects.count() == 0


def test_save_template_needs_a_unique_name(ite_tutor, template):
    assert refused(services.save_checklist_template, actor=ite_tutor.user, name=" ", items_text="A") == (
        "Enter the template's name, like New staff",
        "name",
    )
    assert refused(
        services.save_checklist_template, actor=ite_tutor.user, name="New staff", items_text="A"
    ) == (
        "A template with that name already exists",
        "name",
    )


def test_save_template_is_the_ite_tutors(programme_lead, induction_tutor):
    for person in (programme_lead, induction_tutor):
        assert refused(services.save_checklist_template, actor=person.user, name="X", items_text="A") == (
            services.DENIED,
            None,
        )


def test_changing_a_template_leaves_started_checklists_alone(ite_tutor, template, newcomer, year):
    induction = services.start_checklist(
        actor=ite_tutor.user, staff=newcomer, template=template, starts_on=year.starts_on
    )
    services.save_checklist_template(
        actor=ite_tutor.user, name="Teachers", items_text="Only this", template=template
    )
    template.refresh_from_db()
    assert (template.name, template.items) == ("Teachers", ["Only this"])
    assert [i.title for i in induction.checklist.all()] == [
        "Safeguarding training",
        "Behaviour policy",
        "Staff handbook",
    ]


# Starting a checklist


def test_start_checklist_copies_the_items_in_order(
    ite_tutor, template, newcomer, induction_tutor, year, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        induction = services.start_checklist(
            actor=ite_tutor.user,
            staff=newcomer,
            template=template,
            starts_on=year.starts_on,
            induction_tutor=induction_tutor,
        )
    assert (induction.staff, induction.template, induction.starts_on, induction.induction_tutor) == (
        newcomer,
        template,
        year.starts_on,
        induction_tutor,
    )
    assert [(i.position, i.title, i.done_on) for i in induction.checklist.all()] == [
        (1, "Safeguarding training", None),
        (2, "Behaviour policy", None),
        (3, "Staff handbook", None),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([newcomer.email, induction_tutor.email])
    assert "Safeguarding" not in mailoutbox[0].body


def test_start_checklist_refusals(ite_tutor, template, newcomer, year, college, programme_lead):
    elsewhere = InstitutionFactory(name="Elsewhere Academy")
    stranger = StaffMemberFactory(institution=elsewhere, department=None)
    foreign = ChecklistTemplate.objects.create(institution=elsewhere, name="Theirs", items=["A"])
    empty = ChecklistTemplate.objects.create(institution=college, name="Empty", items=[])
    base = {"actor": ite_tutor.user, "staff": newcomer, "template": template, "starts_on": year.starts_on}
    cases = [
        ({"template": foreign}, ("Select a checklist template of your institution", "template")),
        ({"template": empty}, ("That template has no items: add some to it first", "template")),
        ({"starts_on": None}, ("Enter the start date", "starts_on")),
        (
            {"induction_tutor": stranger},
            ("Select an induction tutor from your institution", "induction_tutor"),
        ),
        (
            {"induction_tutor": newcomer},
            ("A new member of staff cannot be their own induction tutor", "induction_tutor"),
        ),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
    ]
    for change, expected in cases:
        assert refused(services.start_checklist, **{**base, **change}) == expected
    assert StaffInduction.objects.count() == 0


def test_start_checklist_for_someone_of_another_institution_is_refused(ite_tutor, template, year):
    stranger = StaffMemberFactory(institution=InstitutionFactory(name="Elsewhere Academy"), department=None)
    # The ITE tutor of one institution cannot start a checklist for the staff of another.
    assert refused(
        services.start_checklist,
        actor=ite_tutor.user,
        staff=stranger,
        template=template,
        starts_on=year.starts_on,
    ) == (services.DENIED, None)


def test_start_checklist_twice_from_one_template_is_refused(ite_tutor, template, newcomer, year):
    services.start_checklist(
        actor=ite_tutor.user, staff=newcomer, template=template, starts_on=year.starts_on
    )
    assert refused(
        services.start_checklist,
        actor=ite_tutor.user,
        staff=newcomer,
        template=template,
        starts_on=year.starts_on,
    ) == ("Nell Newstarter already has a New staff checklist", "staff")


def test_start_checklist_writes_nothing_when_the_items_fail(ite_tutor, template, newcomer, year, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(ChecklistItem.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        services.start_checklist(
            actor=ite_tutor.user, staff=newcomer, template=template, starts_on=year.starts_on
        )
    assert (
        StaffInduction.objects.count(),
        AuditEvent.objects.filter(action="ite.checklist_started").count(),
    ) == (
        0,
        0,
    )


# Ticking items


@pytest.fixture
def checklist(ite_tutor, template, newcomer, induction_tutor, year):
    return services.start_checklist(
        actor=ite_tutor.user,
        staff=newcomer,
        template=template,
        starts_on=year.starts_on,
        induction_tutor=induction_tutor,
    )


@pytest.mark.parametrize("who", ["newcomer", "induction_tutor", "ite_tutor"])
def test_tick_by_the_person_their_tutor_or_the_ite_tutor(request, checklist, who):
    person = request.getfixturevalue(who)
    item = checklist.checklist.get(position=2)
    services.tick_checklist_item(actor=person.user, item=item)
    item.refresh_from_db()
    assert (item.done_on, item.done_by) == (timezone.localdate(), person)
    assert AuditEvent.objects.filter(action="ite.checklist_item_done", target_id=str(item.pk)).count() == 1


@pytest.mark.parametrize("who", ["programme_lead", "colleague", "hod"])
def test_tick_by_anyone_else_is_refused(request, checklist, who):
    item = checklist.checklist.get(position=1)
    assert refused(services.tick_checklist_item, actor=request.getfixturevalue(who).user, item=item) == (
        services.DENIED,
        None,
    )
    item.refresh_from_db()
    assert item.done_on is None


def test_tick_twice_and_untick(checklist, newcomer):
    item = checklist.checklist.get(position=1)
    services.tick_checklist_item(actor=newcomer.user, item=item)
    assert refused(services.tick_checklist_item, actor=newcomer.user, item=item) == (
        "Safeguarding training is already done",
        None,
    )
    services.tick_checklist_item(actor=newcomer.user, item=item, done=False)
    item.refresh_from_db()
    assert (item.done_on, item.done_by) == (None, None)
    assert refused(services.tick_checklist_item, actor=newcomer.user, item=item, done=False) == (
        "Safeguarding training is not done yet",
        None,
    )


# Starting an early-career teacher's induction


@pytest.fixture
def new_ect(college, department):
    return StaffMemberFactory(
        institution=college, department=department, forename="Nia", surname="Newect", user__username="new_ect"
    )


def ect_fields(ite_tutor, new_ect, induction_tutor, ect_mentor) -> dict:
    return {
        "actor": ite_tutor.user,
        "staff": new_ect,
        "starts_on": current_year_bounds()[0],
        "fte": Decimal("1"),
        "induction_tutor": induction_tutor,
        "mentor": ect_mentor,
        "appropriate_body": " North Teaching School Hub ",
    }


def start(ite_tutor, new_ect, induction_tutor, ect_mentor, **extra):
    return services.start_ect_induction(
        **{**ect_fields(ite_tutor, new_ect, induction_tutor, ect_mentor), **extra}
    )


def test_full_time_induction_from_the_first_day_of_autumn(
    ite_tutor, new_ect, induction_tutor, ect_mentor, year
):
    y = year.starts_on.year
    induction = start(ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(y, 9, 1))
    # Six terms: reviews at the end of terms 1, 2, 4 and 5; formal assessments at the end of terms 3 and 6.
    # Year 2's terms are not entered, so they are this year's shifted by a year, and estimated.
    assert events_of(induction) == [
        (PR, 1, dt.date(y, 12, 19), False),
        (PR, 2, dt.date(y + 1, 3, 31), False),
        (FA, 1, dt.date(y + 1, 8, 31), False),
        (PR, 3, dt.date(y + 1, 12, 19), True),
        (PR, 4, dt.date(y + 2, 3, 31), True),
        (FA, 2, dt.date(y + 2, 8, 31), True),
    ]
    assert (induction.appropriate_body, induction.status, induction.legacy_nqt) == (
        "North Teaching School Hub",
        EctInduction.Status.IN_PROGRESS,
        False,
    )
    assert AuditEvent.objects.filter(action="ite.ect_induction_started").count() == 1


def test_half_time_induction_takes_twelve_terms(ite_tutor, new_ect, induction_tutor, ect_mentor, year):
    y = year.starts_on.year
    induction = start(
        ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(y, 9, 1), fte=Decimal("0.5")
    )
    # Each term counts half: three full-time terms at the end of term 6, six at the end of term 12; a
    # review every other term, whatever the FTE.
    assert events_of(induction) == [
        (PR, 1, dt.date(y, 12, 19), False),
        (PR, 2, dt.date(y + 1, 3, 31), False),
        (PR, 3, dt.date(y + 1, 8, 31), False),
        (PR, 4, dt.date(y + 1, 12, 19), True),
        (PR, 5, dt.date(y + 2, 3, 31), True),
        (FA, 1, dt.date(y + 2, 8, 31), True),
        (PR, 6, dt.date(y + 2, 12, 19), True),
        (PR, 7, dt.date(y + 3, 3, 31), True),
        (PR, 8, dt.date(y + 3, 8, 31), True),
        (PR, 9, dt.date(y + 3, 12, 19), True),
        (PR, 10, dt.date(y + 4, 3, 31), True),
        (FA, 2, dt.date(y + 4, 8, 31), True),
    ]


def test_events_are_what_induction_schedule_says(ite_tutor, new_ect, induction_tutor, ect_mentor, year):
    starts_on = year.starts_on + dt.timedelta(days=40)
    induction = start(
        ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=starts_on, fte=Decimal("0.6")
    )
    schedule = services.induction_schedule(
        starts_on, Decimal("0.6"), services.term_dates(year.institution_id)
    )
    assert events_of(induction) == [(e.kind, e.number, e.due_on, e.estimated) for e in schedule.events]


def test_legacy_nqt_has_three_formal_assessments(
    ite_tutor, new_ect, induction_tutor, ect_mentor, college, year
):
    AcademicYearFactory(institution=college, starts_on=dt.date(2020, 9, 1), ends_on=dt.date(2021, 8, 31))
    induction = start(
        ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(2020, 9, 1), legacy_nqt=True
    )
    assert events_of(induction) == [
        (FA, 1, dt.date(2020, 12, 19), False),
        (FA, 2, dt.date(2021, 3, 31), False),
        (FA, 3, dt.date(2021, 8, 31), False),
    ]


def test_start_ect_refusals(ite_tutor, new_ect, induction_tutor, ect_mentor, year, programme, programme_lead):
    y = year.starts_on.year
    intern = InternFactory(programme=programme, staff__institution=year.institution)
    stranger = StaffMemberFactory(institution=InstitutionFactory(name="Elsewhere Academy"), department=None)
    cases = [
        (
            {"induction_tutor": new_ect},
            ("An early-career teacher cannot be their own induction tutor", "induction_tutor"),
        ),
        ({"mentor": new_ect}, ("An early-career teacher cannot be their own mentor", "mentor")),
        (
            {"mentor": induction_tutor},
            (
                "Select a mentor who is not the induction tutor: the induction tutor assesses, the mentor does not",
                "mentor",
            ),
        ),
        ({"mentor": intern.staff}, ("Select a qualified teacher as mentor, not an intern", "mentor")),
        (
            {"induction_tutor": intern.staff},
            ("Select a qualified teacher as induction tutor, not an intern", "induction_tutor"),
        ),
        ({"mentor": stranger}, ("Select a mentor from your institution's staff", "mentor")),
        (
            {"induction_tutor": stranger},
            ("Select an induction tutor from your institution's staff", "induction_tutor"),
        ),
        ({"induction_tutor": None}, ("Select the induction tutor", "induction_tutor")),
        ({"mentor": None}, ("Select the mentor", "mentor")),
        ({"starts_on": None}, ("Enter the induction start date", "starts_on")),
        ({"fte": Decimal("0.05")}, ("Enter the FTE as a number from 0.1 to 1, like 0.6", "fte")),
        ({"fte": Decimal("1.2")}, ("Enter the FTE as a number from 0.1 to 1, like 0.6", "fte")),
        (
            {"legacy_nqt": True},
            (
                "The one-year NQT pattern applies only to inductions that started before 1 September 2021",
                "legacy_nqt",
            ),
        ),
        (
            {"starts_on": dt.date(y - 2, 9, 1)},
            (
                f"The induction starts on 1 September {y - 2}, long before the first known term (Autumn "
                f"{year.name}, from 1 September {y}); add the term dates from the start of induction.",
                "starts_on",
            ),
        ),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
    ]
    base = ect_fields(ite_tutor, new_ect, induction_tutor, ect_mentor)
    for change, expected in cases:
        assert refused(services.start_ect_induction, **{**base, **change}) == expected, change
    assert (EctInduction.objects.filter(staff=new_ect).count(), InductionEvent.objects.count()) == (0, 0)


def test_start_ect_without_term_dates_is_refused(ite_tutor, new_ect, induction_tutor, ect_mentor, year):
    Term.objects.all().delete()
    assert refused(
        services.start_ect_induction, **ect_fields(ite_tutor, new_ect, induction_tutor, ect_mentor)
    ) == (
        "There are no term dates for your institution: the programme lead adds the academic year and its terms first",
        "starts_on",
    )


def test_start_ect_for_someone_of_another_institution_is_refused(
    ite_tutor, induction_tutor, ect_mentor, year
):
    stranger = StaffMemberFactory(institution=InstitutionFactory(name="Elsewhere Academy"), department=None)
    assert refused(
        services.start_ect_induction, **ect_fields(ite_tutor, stranger, induction_tutor, ect_mentor)
    ) == (
        services.DENIED,
        None,
    )


def test_start_ect_twice_is_refused(ite_tutor, ect_record, induction_tutor, ect_mentor, year):
    assert refused(
        services.start_ect_induction, **ect_fields(ite_tutor, ect_record.staff, induction_tutor, ect_mentor)
    ) == ("Evan Earlycareer already has an induction record", "staff")


def test_start_ect_emails_the_three_after_commit(
    ite_tutor, new_ect, induction_tutor, ect_mentor, year, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=year.starts_on)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [new_ect.email, induction_tutor.email, ect_mentor.email]
    )
    assert "Hub" not in mailoutbox[0].body


def test_start_ect_writes_nothing_when_the_events_fail(
    ite_tutor, new_ect, induction_tutor, ect_mentor, year, monkeypatch
):
    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(InductionEvent.objects, "bulk_create", fail)
    with pytest.raises(IntegrityError):
        start(ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=year.starts_on)
    assert EctInduction.objects.filter(staff=new_ect).count() == 0


# Changing an induction


def test_change_of_fte_recomputes_the_events_not_yet_held(
    ite_tutor, new_ect, induction_tutor, ect_mentor, year
):
    y = year.starts_on.year
    induction = start(ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(y, 9, 1))
    review = induction.events.get(kind=PR, number=1)
    # An old schedule had the first review earlier; it was held then, and stays as it was held.
    InductionEvent.objects.filter(pk=review.pk).update(due_on=dt.date(y, 11, 30))
    services.record_event(
        actor=induction_tutor.user,
        event=review,
        held_on=dt.date(y, 9, 1),
        outcome="on_track",
        notes="Settled in",
    )
    services.update_ect_induction(
        actor=ite_tutor.user,
        induction=induction,
        starts_on=dt.date(y, 9, 1),
        fte=Decimal("0.5"),
        induction_tutor=induction_tutor,
        mentor=ect_mentor,
        appropriate_body="",
        legacy_nqt=False,
        status=EctInduction.Status.IN_PROGRESS,
    )
    assert events_of(induction)[:7] == [
        (PR, 1, dt.date(y, 11, 30), False),
        (PR, 2, dt.date(y + 1, 3, 31), False),
        (PR, 3, dt.date(y + 1, 8, 31), False),
        (PR, 4, dt.date(y + 1, 12, 19), True),
        (PR, 5, dt.date(y + 2, 3, 31), True),
        (FA, 1, dt.date(y + 2, 8, 31), True),
        (PR, 6, dt.date(y + 2, 12, 19), True),
    ]
    assert induction.events.count() == 12
    kept = InductionEvent.objects.get(pk=review.pk)
    assert (kept.held_on, kept.outcome, kept.notes, kept.recorded_by) == (
        dt.date(y, 9, 1),
        "on_track",
        "Settled in",
        induction_tutor,
    )
    induction.refresh_from_db()
    assert induction.fte == Decimal("0.5")


def test_back_to_full_time_drops_the_extra_events_not_held(
    ite_tutor, new_ect, induction_tutor, ect_mentor, year
):
    y = year.starts_on.year
    induction = start(
        ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(y, 9, 1), fte=Decimal("0.5")
    )
    services.update_ect_induction(
        actor=ite_tutor.user,
        induction=induction,
        starts_on=dt.date(y, 9, 1),
        fte=Decimal("1"),
        induction_tutor=induction_tutor,
        mentor=ect_mentor,
    )
    assert events_of(induction) == [
        (PR, 1, dt.date(y, 12, 19), False),
        (PR, 2, dt.date(y + 1, 3, 31), False),
        (FA, 1, dt.date(y + 1, 8, 31), False),
        (PR, 3, dt.date(y + 1, 12, 19), True),
        (PR, 4, dt.date(y + 2, 3, 31), True),
        (FA, 2, dt.date(y + 2, 8, 31), True),
    ]


def test_next_years_terms_turn_estimates_into_dates(
    ite_tutor, new_ect, induction_tutor, ect_mentor, college, year
):
    y = year.starts_on.year
    induction = start(ite_tutor, new_ect, induction_tutor, ect_mentor, starts_on=dt.date(y, 9, 1))
    assert induction.events.filter(estimated=True).count() == 3
    AcademicYearFactory(institution=college, starts_on=dt.date(y + 1, 9, 3), ends_on=dt.date(y + 2, 8, 31))
    services.reschedule(actor=ite_tutor.user, induction=induction)
    assert events_of(induction)[3:] == [
        (PR, 3, dt.date(y + 1, 12, 19), False),
        (PR, 4, dt.date(y + 2, 3, 31), False),
        (FA, 2, dt.date(y + 2, 8, 31), False),
    ]


def test_update_refusals(ite_tutor, ect_record, induction_tutor, ect_mentor, year, programme_lead):
    base = {
        "actor": ite_tutor.user,
        "induction": ect_record,
        "starts_on": ect_record.starts_on,
        "fte": Decimal("1"),
        "induction_tutor": induction_tutor,
        "mentor": ect_mentor,
    }
    cases = [
        ({"status": "finished"}, ("Select the induction's status", "status")),
        ({"mentor": ect_record.staff}, ("An early-career teacher cannot be their own mentor", "mentor")),
        ({"fte": Decimal("0")}, ("Enter the FTE as a number from 0.1 to 1, like 0.6", "fte")),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
        ({"actor": induction_tutor.user}, (services.DENIED, None)),
    ]
    for change, expected in cases:
        assert refused(services.update_ect_induction, **{**base, **change}) == expected
    ect_record.refresh_from_db()
    assert ect_record.status == EctInduction.Status.IN_PROGRESS


def test_update_emails_a_newly_appointed_mentor(
    ite_tutor, ect_record, induction_tutor, year, college, mailoutbox, django_capture_on_commit_callbacks
):
    new_mentor = StaffMemberFactory(institution=college, department=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_ect_induction(
            actor=ite_tutor.user,
            induction=ect_record,
            starts_on=ect_record.starts_on,
            fte=ect_record.fte,
            induction_tutor=induction_tutor,
            mentor=new_mentor,
        )
    assert [m.to for m in mailoutbox] == [[new_mentor.email]]


# The reduced timetable


@pytest.mark.parametrize("who", ["induction_tutor", "ite_tutor"])
def test_record_timetable_and_replace_it(request, ect_record, who):
    person = request.getfixturevalue(who)
    services.record_reduced_timetable(
        actor=person.user,
        induction=ect_record,
        induction_year=1,
        standard_periods=Decimal("20"),
        taught_periods=Decimal("19"),
    )
    services.record_reduced_timetable(
        actor=person.user,
        induction=ect_record,
        induction_year=1,
        standard_periods=Decimal("20"),
        taught_periods=Decimal("18"),
    )
    timetable = ReducedTimetable.objects.get()
    assert (timetable.induction_year, timetable.standard_periods, timetable.taught_periods) == (1, 20, 18)
    assert services.timetable_checks([timetable])[0].summary == (
        "Year 1: teaching 90% of a standard timetable: reduction met"
    )


def test_timetable_check_not_met_says_so_with_the_numbers(ite_tutor, ect_record):
    timetable = services.record_reduced_timetable(
        actor=ite_tutor.user,
        induction=ect_record,
        induction_year=2,
        standard_periods=Decimal("22"),
        taught_periods=Decimal("21.5"),
    )
    check = services.timetable_checks([timetable])[0]
    assert (check.check.met, check.summary, check.check.message) == (
        False,
        "Year 2: teaching 97.73% of a standard timetable: reduction not met",
        "Year 2 of induction needs a reduction of at least 5% on top of PPA (teaching at most 20.9 of 22); "
        "teaching 21.5 is a reduction of only 2.27%, so 0.6 more must come off.",
    )


def test_record_timetable_refusals(ite_tutor, ect_record, ect_mentor, ect, programme_lead):
    base = {
        "actor": ite_tutor.user,
        "induction": ect_record,
        "induction_year": 1,
        "standard_periods": Decimal("20"),
        "taught_periods": Decimal("18"),
    }
    cases = [
        ({"induction_year": 3}, ("Select year 1 or year 2", "induction_year")),
        (
            {"standard_periods": Decimal("0")},
            ("The standard timetable must be more than 0 periods", "standard_periods"),
        ),
        ({"taught_periods": Decimal("-1")}, ("The periods taught cannot be fewer than 0", "taught_periods")),
        ({"actor": ect_mentor.user}, (services.DENIED, None)),
        ({"actor": ect.user}, (services.DENIED, None)),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
    ]
    for change, expected in cases:
        assert refused(services.record_reduced_timetable, **{**base, **change}) == expected
    assert ReducedTimetable.objects.count() == 0


def test_legacy_nqt_has_one_reduced_year(ite_tutor, ect_record):
    ect_record.legacy_nqt = True
    assert refused(
        services.record_reduced_timetable,
        actor=ite_tutor.user,
        induction=ect_record,
        induction_year=2,
        standard_periods=Decimal("20"),
        taught_periods=Decimal("18"),
    ) == ("Select year 1", "induction_year")


# Evidence against the Teachers' Standards


@pytest.fixture
def ts3(standards):
    return standards.get(framework__code="TS", number="3")


@pytest.mark.parametrize("who", ["ect", "ect_mentor", "induction_tutor", "ite_tutor"])
def test_add_evidence_by_who_may(request, ect_record, ts3, who):
    person = request.getfixturevalue(who)
    evidence = services.add_evidence(
        actor=person.user,
        induction=ect_record,
        standard=ts3,
        recorded_on=timezone.localdate(),
        text=" Clear explanations ",
    )
    assert (evidence.standard, evidence.text, evidence.recorded_by) == (ts3, "Clear explanations", person)


def test_add_evidence_refusals(ect_record, ect, ts3, standards, programme_lead, hod):
    today = timezone.localdate()
    base = {"actor": ect.user, "induction": ect_record, "standard": ts3, "recorded_on": today, "text": "Seen"}
    cases = [
        (
            {"standard": standards.get(framework__code="TS", number="3a")},
            ("Select a Teachers' Standard", "standard"),
        ),
        (
            {"standard": standards.get(framework__code="ETF", number="9")},
            ("Select a Teachers' Standard", "standard"),
        ),
        ({"standard": None}, ("Select a Teachers' Standard", "standard")),
        ({"recorded_on": None}, ("Enter the date of the evidence", "recorded_on")),
        ({"recorded_on": today + dt.timedelta(days=1)}, ("The date cannot be in the future", "recorded_on")),
        (
            {"recorded_on": ect_record.starts_on - dt.timedelta(days=1)},
            (
                f"The date must be on or after the start of induction, {ect_record.starts_on.day} "
                f"{ect_record.starts_on:%B %Y}",
                "recorded_on",
            ),
        ),
        ({"text": "   "}, ("Enter the evidence", "text")),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
        ({"actor": hod.user}, (services.DENIED, None)),
    ]
    for change, expected in cases:
        assert refused(services.add_evidence, **{**base, **change}) == expected
    assert InductionEvidence.objects.count() == 0


# Recording a review or an assessment


@pytest.fixture
def scheduled(ite_tutor, ect_record, year):
    return services.reschedule(actor=ite_tutor.user, induction=ect_record)


@pytest.mark.parametrize("who", ["induction_tutor", "ite_tutor"])
def test_record_event_by_the_induction_tutor_or_ite_tutor(
    request, scheduled, ect, who, mailoutbox, django_capture_on_commit_callbacks
):
    person = request.getfixturevalue(who)
    event = scheduled.events.get(kind=PR, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(
            actor=person.user,
            event=event,
            held_on=timezone.localdate(),
            outcome="not_on_track",
            notes=" Behaviour ",
        )
    event.refresh_from_db()
    assert (event.held_on, event.outcome, event.notes, event.recorded_by) == (
        timezone.localdate(),
        "not_on_track",
        "Behaviour",
        person,
    )
    assert services.follow_up(event) == services.NOT_ON_TRACK_REVIEW
    assert [m.to for m in mailoutbox] == [[ect.email]]
    assert "Behaviour" not in mailoutbox[0].body


def test_formal_assessment_not_on_track_needs_the_appropriate_body(scheduled, induction_tutor):
    event = scheduled.events.get(kind=FA, number=1)
    assert services.follow_up(event) == ""
    services.record_event(
        actor=induction_tutor.user, event=event, held_on=timezone.localdate(), outcome="not_on_track"
    )
    event.refresh_from_db()
    assert services.follow_up(event) == "The appropriate body must be told and a support plan agreed."
    services.record_event(
        actor=induction_tutor.user, event=event, held_on=timezone.localdate(), outcome="on_track"
    )
    event.refresh_from_db()
    assert services.follow_up(event) == ""


def test_record_event_refusals(scheduled, induction_tutor, ect_mentor, ect, programme_lead):
    today = timezone.localdate()
    event = scheduled.events.get(kind=PR, number=1)
    base = {"actor": induction_tutor.user, "event": event, "held_on": today, "outcome": "on_track"}
    starts = scheduled.starts_on
    cases = [
        ({"held_on": None}, ("Enter the date it was held", "held_on")),
        (
            {"held_on": today + dt.timedelta(days=1)},
            ("The date it was held cannot be in the future", "held_on"),
        ),
        (
            {"held_on": starts - dt.timedelta(days=1)},
            (
                f"The date it was held must be on or after the start of induction, {starts.day} {starts:%B %Y}",
                "held_on",
            ),
        ),
        (
            {"outcome": "great"},
            ("Select whether the early-career teacher is making satisfactory progress", "outcome"),
        ),
        ({"actor": ect_mentor.user}, (services.DENIED, None)),
        ({"actor": ect.user}, (services.DENIED, None)),
        ({"actor": programme_lead.user}, (services.DENIED, None)),
    ]
    for change, expected in cases:
        assert refused(services.record_event, **{**base, **change}) == expected
    event.refresh_from_db()
    assert event.held_on is None


def test_time_served_counts_the_known_terms(ect_record, year):
    terms = services.term_dates(year.institution_id)
    assert services.served_so_far(ect_record, terms, ect_record.starts_on - dt.timedelta(days=1)) == 0
    assert services.served_so_far(ect_record, terms, year.ends_on) == services.time_served(
        ect_record.starts_on, ect_record.fte, terms, year.ends_on
    )
    assert services.served_so_far(ect_record, [], year.ends_on) is None


def test_the_final_assessment_records_the_recommendation_to_the_appropriate_body(scheduled, induction_tutor):
    """Issue 22: the statutory outcome of the last formal assessment is the recommendation that the ECT has
    met, or has not met, the Teachers' Standards, or that induction be extended; not "progress"."""
    today = timezone.localdate()
    final = scheduled.events.get(kind=FA, number=2)
    first = scheduled.events.get(kind=FA, number=1)
    review = scheduled.events.get(kind=PR, number=1)
    assert services.outcomes_for(final) == ("met", "not_met", "extend")
    assert services.outcomes_for(first) == services.outcomes_for(review) == ("on_track", "not_on_track")
    base = {"actor": induction_tutor.user, "held_on": today}
    assert refused(services.record_event, event=final, outcome="on_track", **base) == (
        "Select the recommendation to the appropriate body",
        "outcome",
    )
    assert refused(services.record_event, event=first, outcome="met", **base) == (
        "Select whether the early-career teacher is making satisfactory progress",
        "outcome",
    )
    for outcome in ("met", "not_met", "extend"):
        services.record_event(event=final, outcome=outcome, **base)
        final.refresh_from_db()
        assert final.outcome == outcome
        assert services.follow_up(final) == services.RECOMMENDATION_SENT
    # The appropriate body decides: the recommendation does not change the induction's status.
    scheduled.refresh_from_db()
    assert scheduled.status == "in_progress"


def test_a_final_assessment_recorded_as_progress_asks_for_the_recommendation(scheduled):
    final = scheduled.events.get(kind=FA, number=2)
    InductionEvent.objects.filter(pk=final.pk).update(held_on=timezone.localdate(), outcome="on_track")
    final.refresh_from_db()
    assert services.follow_up(final) == services.RECORD_RECOMMENDATION


def test_a_legacy_nqts_third_formal_assessment_is_the_final_one(ect_record, ite_tutor, year):
    induction = EctInduction.objects.get(pk=ect_record.pk)
    induction.legacy_nqt = True
    event = InductionEvent(induction=induction, kind=FA, number=2, due_on=year.ends_on)
    assert services.is_final_assessment(event) is False
    event.number = 3
    assert services.is_final_assessment(event) is True
    assert services.outcomes_for(event) == ("met", "not_met", "extend")
