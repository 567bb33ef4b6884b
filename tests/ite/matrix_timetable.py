"""Access matrix entries for the classes and the intern timetables (views_timetable.py)."""

from protutor.ite import services_timetable
from protutor.ite.models import TeachingGroup, TimetableRule

OVERSEERS = {"ite_tutor", "programme_lead"}


def build(world):
    """Two maths classes, the ITE tutor keeps one for the intern, and a proposal is made."""
    for code, year_group in (("9A/Ma", 9), ("11B/Ma", 11)):
        TeachingGroup.objects.create(
            institution=world.college,
            academic_year=world.year,
            code=code,
            subject="Mathematics",
            year_group=year_group,
            periods=4,
        )
    kept = TeachingGroup.objects.get(code="9A/Ma")
    TimetableRule.objects.create(intern=world.intern_record, group=kept, kind=TimetableRule.Kind.PIN)
    services_timetable.propose_timetable(actor=world.ite_tutor.user, academic_year=world.year, class_limit=1)


ROUTES = {
    "ite:timetable": (lambda w: [], OVERSEERS),
    "ite:group-list": (lambda w: [], OVERSEERS),
    "ite:group-import": (lambda w: [], None),
}
POST_ALLOWED = {"ite:group-import": {"ite_tutor"}}
SENTINEL_VISIBLE: dict = {}
