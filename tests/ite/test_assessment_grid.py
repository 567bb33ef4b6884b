"""The progress grid: every current intern x standard x reference point, against a hand-built school."""

import datetime as dt

import pytest
from django.urls import reverse

from protutor.ite import services_assessment as assessment
from protutor.ite.models import Intern
from protutor.observations.models import Standard
from tests.factories.ite import InternFactory, ProgrammeFactory, ReferencePointFactory
from tests.factories.people import AcademicYearFactory

pytestmark = pytest.mark.django_db

GRID = reverse("ite:progress-grid")
NOT_YET = ("Not yet meeting", True)
MEETING = ("Meeting", False)
BLANK = ("", False)


def judge(actor, intern, point, grades: dict[str, str]):
    entries = {
        # The lowest judgement of a scale ("Not yet meeting", "Working towards") needs evidence.
        Standard.objects.get(framework__code="TS", number=number).pk: assessment.Entry(
            grade=grade, evidence="Seen in lessons"
        )
        for number, grade in grades.items()
    }
    assessment.record_judgements(actor=actor.user, intern=intern, reference_point=point, entries=entries)


def every_standard(grade: str) -> dict[str, str]:
    return {n: grade for n in ["1", "2", "3", "4", "5", "6", "7", "8", "P2.1", "P2.2", "P2.3"]}


def summary(response):
    return [
        (
            item["intern"].staff.full_name,
            [(r["point"].name, r["cells"], r["moderation_label"]) for r in item["rows"]],
        )
        for item in response.context["grid"]
    ]


@pytest.fixture
def school(intern_record, other_mentor, mentor, ite_tutor, programme, reference_point, college, department):
    """Ines (mentor Mina) and Ari (mentor Omar) on the Secondary PGCE with two points; Sam on a SCITT
    programme with a three-point scale and one point; a withdrawn intern and last year's intern who must
    not show."""
    second = ReferencePointFactory(programme=programme, number=2, name="ARP 2")
    ari = Intern.objects.get(mentor=other_mentor)
    judge(mentor, intern_record, reference_point, {"1": "meeting", "3": "not_yet"})
    judge(other_mentor, ari, reference_point, every_standard("meeting"))
    assessment.moderate(
        actor=ite_tutor.user, intern=ari, reference_point=reference_point, moderation="agreed"
    )
    judge(other_mentor, ari, second, {"8": "not_yet"})
    scitt = ProgrammeFactory(
        provider=programme.provider,
        academic_year=programme.academic_year,
        name="SCITT",
        scale=[
            {"code": "j1", "label": "Working towards"},
            {"code": "j2", "label": "Secure"},
            {"code": "j3", "label": "Exceeding"},
        ],
    )
    scitt_point = ReferencePointFactory(programme=scitt, number=1, name="Phase 1")
    sam = InternFactory(
        programme=scitt, department=department, mentor=mentor, staff__forename="Sam", staff__surname="Scitt"
    )
    judge(mentor, sam, scitt_point, {"2": "j1", "5": "j3"})
    InternFactory(
        programme=programme,
        department=department,
        mentor=mentor,
        status=Intern.Status.WITHDRAWN,
        staff__surname="Withdrawn",
    )
    last_year = AcademicYearFactory(
        institution=college,
        starts_on=programme.academic_year.starts_on - dt.timedelta(days=365),
        ends_on=programme.academic_year.starts_on - dt.timedelta(days=1),
        name="last year",
    )
    old = ProgrammeFactory(provider=programme.provider, academic_year=last_year, name="Old PGCE")
    ReferencePointFactory(programme=old, number=1)
    InternFactory(programme=old, department=department, mentor=mentor, staff__surname="Oldyear")
    return {"ari": ari, "sam": sam, "second": second, "scitt_point": scitt_point}


def test_grid_for_the_ite_tutor_has_the_exact_cells(client_for, ite_tutor, school):
    response = client_for(ite_tutor).get(GRID)
    assert response.status_code == 200
    assert [s.label for s in response.context["standards"]][-3:] == ["TS P2.1", "TS P2.2", "TS P2.3"]
    ines_first = [MEETING, BLANK, NOT_YET] + [BLANK] * 8
    assert summary(response) == [
        (
            "Ari Artintern",
            [
                ("Assessment Reference Point 1", [MEETING] * 11, "Agreed"),
                ("ARP 2", [BLANK] * 7 + [NOT_YET] + [BLANK] * 3, "Not moderated"),
            ],
        ),
        (
            "Ines Intern",
            [
                ("Assessment Reference Point 1", ines_first, "Not moderated"),
                ("ARP 2", [BLANK] * 11, "Not moderated"),
            ],
        ),
        (
            "Sam Scitt",
            [
                (
                    "Phase 1",
                    [BLANK, ("Working towards", True), BLANK, BLANK, ("Exceeding", False)] + [BLANK] * 6,
                    "Not moderated",
                )
            ],
        ),
    ]
    first_row = response.context["grid"][1]["rows"][0]
    assert first_row["url"] == reverse(
        "ite:reference-point-record", args=[response.context["grid"][1]["intern"].pk, first_row["point"].pk]
    )


def test_grid_markup_has_headers_and_a_marker_that_is_not_only_colour(client_for, ite_tutor, school):
    body = client_for(ite_tutor).get(GRID).content.decode()
    assert body.count('scope="col"') == 14
    assert body.count('scope="rowgroup"') == 3
    assert body.count('scope="row"') == 5
    assert '<div class="pt-table-wrapper" tabindex="0" role="region" aria-label="Progress grid">' in body
    assert (
        body.count('<strong class="govuk-tag govuk-tag--red">Not yet meeting</strong>') == 3
    )  # 2 cells, the key
    assert '<strong class="govuk-tag govuk-tag--red">Working towards</strong>' in body
    assert body.count('<span class="govuk-visually-hidden">Not judged</span>') == 11 * 5 - 11 - 2 - 1 - 2


def test_programme_lead_sees_every_intern(client_for, programme_lead, school):
    names = [name for name, _ in summary(client_for(programme_lead).get(GRID))]
    assert names == ["Ari Artintern", "Ines Intern", "Sam Scitt"]


def test_a_mentor_sees_their_own_mentees(client_for, mentor, other_mentor, school):
    assert [name for name, _ in summary(client_for(mentor).get(GRID))] == ["Ines Intern", "Sam Scitt"]
    assert [name for name, _ in summary(client_for(other_mentor).get(GRID))] == ["Ari Artintern"]


@pytest.mark.parametrize("persona", ["intern", "hod", "colleague", "admin", "induction_tutor"])
def test_grid_404_for_everyone_else(request, client_for, persona, school):
    assert client_for(request.getfixturevalue(persona)).get(GRID).status_code == 404


def test_grid_with_no_interns_for_the_ite_tutor(client_for, ite_tutor, standards):
    response = client_for(ite_tutor).get(GRID)
    assert (response.status_code, response.context["grid"]) == (200, [])
    assert "No interns this year." in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_grid_query_count_is_the_same_for_1_and_3_interns(
    client_for, django_assert_num_queries, ite_tutor, mentor, programme, department, reference_point, n
):
    for _ in range(n):
        intern = InternFactory(programme=programme, department=department, mentor=mentor)
        judge(mentor, intern, reference_point, every_standard("meeting"))
        assessment.moderate(
            actor=ite_tutor.user, intern=intern, reference_point=reference_point, moderation="agreed"
        )
    client = client_for(ite_tutor)
    client.get(GRID)
    # session, user, the actor (staff, roles, caseload, reports), oversees, this year, interns, their
    # reference points, the institution's frameworks, standards, judgements, moderation
    with django_assert_num_queries(16):
        response = client.get(GRID)
    assert len(response.context["grid"]) == n
