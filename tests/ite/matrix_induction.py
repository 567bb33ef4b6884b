"""Induction's part of the ITE access matrix: the overview, new staff checklists and early-career
teachers' induction.

`build(world)` writes, through the services and as the people who would do it:
- world.ect_record (the conftest's) gets its progress reviews and formal assessments from the term dates
  (world.ect_event is its first event), a year 1 reduced timetable recorded by the induction tutor, and
  world.evidence: evidence against TS 1 added by the ECT, its text holding world.sentinel. If the record's
  mentor is not world.ect_mentor, the ITE tutor appoints world.ect_mentor, so no matrix persona is the
  ECT's mentor;
- world.checklist_template, and world.checklist: world.colleague's new staff checklist with
  world.induction_tutor as induction tutor, one item ticked by the colleague.
"""

from decimal import Decimal

from django.utils import timezone

from protutor.ite import services_induction as induction
from protutor.observations.models import Standard

OVERSEERS = {"ite_tutor", "programme_lead"}
# The ECT, the induction tutor, the ITE tutor and the programme lead; the ECT's mentor reads it too but is
# not a matrix persona.
ECT_READERS = {"ect", "induction_tutor", "ite_tutor", "programme_lead"}
CHECKLIST_READERS = {"colleague", "induction_tutor", "ite_tutor", "programme_lead"}

ROUTES = {
    # The induction tutor holds the ECT's induction and the colleague's checklist: they see those only.
    "ite:induction-list": (lambda w: [], OVERSEERS | {"induction_tutor"}),
    "ite:checklist-template": (lambda w: [], {"ite_tutor"}),
    "ite:checklist-create": (lambda w: [], {"ite_tutor"}),
    "ite:checklist-detail": (lambda w: [w.checklist.pk], CHECKLIST_READERS),
    "ite:ect-create": (lambda w: [], {"ite_tutor"}),
    "ite:ect-detail": (lambda w: [w.ect_record.pk], ECT_READERS),
    "ite:ect-edit": (lambda w: [w.ect_record.pk], {"ite_tutor"}),
    "ite:ect-evidence": (lambda w: [w.ect_record.pk], None),
    "ite:ect-timetable": (lambda w: [w.ect_record.pk], None),
    # The mentor does not assess: the ECT's mentor gets a 404 here too.
    "ite:ect-event": (lambda w: [w.ect_record.pk, w.ect_event.pk], {"induction_tutor", "ite_tutor"}),
}

# POST-only routes: who gets past the 404 (an empty POST then answers 200 with the form's errors). Ticking
# a checklist item is a POST to ite:checklist-detail, open to the colleague, the induction tutor and the
# ITE tutor (the programme lead reads but gets a 404 on POST).
POST_ALLOWED = {
    "ite:ect-evidence": {"ect", "induction_tutor", "ite_tutor"},
    "ite:ect-timetable": {"induction_tutor", "ite_tutor"},
}

# Text fields `build` fills with world.sentinel, and who may read each. Where the sentinel shows:
# - evidence.text: ect-detail only (the ECT, their mentor, the induction tutor, the ITE tutor and the
#   programme lead). No other page of induction shows evidence; the overview, the checklist pages, the
#   event page and the edit page show none of it.
SENTINEL_FIELDS = {"evidence": (("text",), ECT_READERS)}
SENTINEL_VISIBLE = {"ite:ect-detail": ECT_READERS}


def build(world) -> None:
    today = timezone.localdate()
    record = world.ect_record
    mentor = getattr(world, "ect_mentor", None)
    if mentor is not None and record.mentor_id != mentor.pk:
        record = induction.update_ect_induction(
            actor=world.ite_tutor.user,
            induction=record,
            starts_on=record.starts_on,
            fte=record.fte,
            induction_tutor=record.induction_tutor,
            mentor=mentor,
            appropriate_body=record.appropriate_body,
            legacy_nqt=record.legacy_nqt,
        )
    else:
        record = induction.reschedule(actor=world.ite_tutor.user, induction=record)
    world.ect_record = record
    world.ect_event = record.events.order_by("due_on", "kind").first()
    induction.record_reduced_timetable(
        actor=world.induction_tutor.user,
        induction=record,
        induction_year=1,
        standard_periods=Decimal("20"),
        taught_periods=Decimal("18"),
    )
    standard = Standard.objects.get(framework__code="TS", framework__institution__isnull=True, number="1")
    world.evidence = induction.add_evidence(
        actor=world.ect.user,
        induction=record,
        standard=standard,
        recorded_on=today,
        text=f"High expectations of every class {world.sentinel}",
    )
    world.checklist_template = induction.save_checklist_template(
        actor=world.ite_tutor.user,
        name=induction.DEFAULT_TEMPLATE_NAME,
        items_text="\n".join(induction.DEFAULT_TEMPLATE_ITEMS),
    )
    world.checklist = induction.start_checklist(
        actor=world.ite_tutor.user,
        staff=world.colleague,
        template=world.checklist_template,
        starts_on=today,
        induction_tutor=world.induction_tutor,
    )
    induction.tick_checklist_item(actor=world.colleague.user, item=world.checklist.checklist.first())
