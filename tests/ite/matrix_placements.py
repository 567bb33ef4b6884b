"""Access matrix entries for the overview, providers, programmes, reference points, capacity, interns and
the provider's report (views.py and views_reports.py)."""

OVERSEERS = {"ite_tutor", "programme_lead"}
INTERN_READERS = {"intern", "mentor", "ite_tutor", "programme_lead"}
# Everyone with an ITE or induction record, and those who oversee ITE, reach the overview.
IN_ITE = {
    "intern",
    "mentor",
    "other_mentor",
    "ite_tutor",
    "induction_tutor",
    "ect",
    "programme_lead",
    "colleague",
}


def build(world):
    from protutor.ite.models import DepartmentCapacity, Descriptor
    from tests.factories.ite import ReferencePointFactory

    world.point = ReferencePointFactory(programme=world.programme, number=9, name="ARP 9")
    Descriptor.objects.create(
        reference_point=world.point,
        standard=world.standards.get(framework__code="TS", number="1"),
        text="Routines",
    )
    DepartmentCapacity.objects.create(department=world.department, academic_year=world.year, places=2)


ROUTES = {
    "ite:index": (lambda w: [], IN_ITE),
    "ite:provider-list": (lambda w: [], OVERSEERS),
    "ite:provider-create": (lambda w: [], {"ite_tutor"}),
    "ite:provider-detail": (lambda w: [w.provider.pk], OVERSEERS),
    "ite:provider-edit": (lambda w: [w.provider.pk], {"ite_tutor"}),
    "ite:programme-detail": (lambda w: [w.programme.pk], OVERSEERS),
    "ite:reference-point-create": (lambda w: [w.programme.pk], {"ite_tutor"}),
    "ite:reference-point-edit": (lambda w: [w.programme.pk, w.point.pk], {"ite_tutor"}),
    "ite:capacity": (lambda w: [], OVERSEERS),
    "ite:intern-create": (lambda w: [], {"ite_tutor"}),
    "ite:intern-detail": (lambda w: [w.intern_record.pk], INTERN_READERS),
    "ite:intern-edit": (lambda w: [w.intern_record.pk], {"ite_tutor"}),
    "ite:placement-add": (lambda w: [w.intern_record.pk], None),
    "ite:intern-export": (lambda w: [w.intern_record.pk], {"intern", "ite_tutor", "programme_lead"}),
}
POST_ALLOWED = {"ite:placement-add": {"ite_tutor"}}
SENTINEL_VISIBLE: dict = {}
