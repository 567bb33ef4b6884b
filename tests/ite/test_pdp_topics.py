"""The programme's topics: the job description's list as seed data, seeding it, and the tutor's own."""

import pytest
from django.urls import reverse

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.ite import services_pdp
from protutor.ite.models import PdpTopic
from protutor.ite.pdp_topics import TOPICS
from protutor.observations.models import Framework, Standard
from protutor.observations.standards_data import TEACHERS_STANDARDS
from tests.factories.people import InstitutionFactory

pytestmark = pytest.mark.django_db

SEED_TITLES = [
    "Safeguarding; day-to-day health, safety and legal issues; child protection",
    "Stereotyping, e.g. issues of race, gender, class, ability, sexual orientation",
    "Transition - the student experience of moving from primary to secondary school",
    "Behaviour for learning",
    "Pupil premium including differentiation",
    "The most able including differentiation",
    "Inclusion: meeting the needs of the individual student",
    "Working with Teaching Assistants and other support staff",
    "Marking, assessment and feedback",
    "Working with form tutors, tutor groups and pastoral care",
    "The student voice",
    "Assessment for learning",
    "Using data to inform teaching and learning",
    "Home/school links and relationships, including consultation meetings with parents and carers",
    "Inter-agency liaison: working with other professionals, e.g. educational psychologists, counsellors, "
    "social workers etc.",
    "Professionalism and the legal and statutory duties of teachers",
    "14-19 issues: beyond conventional courses and qualifications",
    "Job applications and interviews",
    "Teachers' professional development (including mentoring, coaching, peer observation, etc.); the "
    "Standards framework; performance management",
    "Out of classroom and off-site learning",
    "Making the most of the first year of teaching",
    "Cross-curricular links, perspectives and possibilities",
]
SEED_BUTTON = "Add the Professional Development Programme's standard topics"


def test_seed_list_is_the_job_descriptions_list_each_with_a_standard():
    top_level = [s["number"] for s in TEACHERS_STANDARDS["standards"]]
    assert [t.title for t in TOPICS] == SEED_TITLES
    assert len(TOPICS) == 22
    assert [t.title for t in TOPICS if not t.standards] == []
    assert {n for t in TOPICS for n in t.standards} - set(top_level) == set()
    assert top_level == ["1", "2", "3", "4", "5", "6", "7", "8", "P2.1", "P2.2", "P2.3"]


def test_seeding_adds_every_topic_in_order_tagged_to_its_standards(ite_tutor, standards):
    added = services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    topics = list(PdpTopic.objects.filter(institution=ite_tutor.institution).prefetch_related("standards"))
    assert [t.title for t in added] == SEED_TITLES
    assert [(t.position, t.title) for t in topics] == list(enumerate(SEED_TITLES, start=1))
    assert [sorted(s.number for s in t.standards.all()) for t in topics] == [
        sorted(seed.standards) for seed in TOPICS
    ]
    assert {s.framework.code for t in topics for s in t.standards.all()} == {"TS"}
    assert sorted(s.number for s in topics[0].standards.all()) == ["7", "P2.1", "P2.3"]
    assert list(
        AuditEvent.objects.filter(action="ite.pdp_topics_seeded").values_list("detail", flat=True)
    ) == [{"added": 22}]


def test_seeding_twice_adds_nothing(client_for, ite_tutor, standards):
    client = client_for(ite_tutor)
    first = client.post(reverse("ite:pdp-seed"), follow=True)
    assert "22 standard topics added to the programme" in first.content.decode()
    second = client.post(reverse("ite:pdp-seed"), follow=True)
    assert "The programme already has all the standard topics" in second.content.decode()
    assert PdpTopic.objects.count() == 22
    assert services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id) == []


def test_seeding_adds_only_missing_topics_and_keeps_positions(ite_tutor, standards):
    kept = PdpTopic.objects.create(
        institution=ite_tutor.institution, title="behaviour FOR learning", position=40
    )
    own = PdpTopic.objects.create(
        institution=ite_tutor.institution, title="Reading in every subject", position=3
    )
    retired = PdpTopic.objects.create(
        institution=ite_tutor.institution, title="The student voice", position=7, active=False
    )
    added = services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    assert [t.title for t in added] == [
        t for t in SEED_TITLES if t not in ("Behaviour for learning", "The student voice")
    ]
    assert PdpTopic.objects.count() == 23
    assert list(
        PdpTopic.objects.filter(pk__in=[kept.pk, own.pk, retired.pk]).values_list(
            "title", "position", "active"
        )
    ) == [
        ("Reading in every subject", 3, True),
        ("The student voice", 7, False),
        ("behaviour FOR learning", 40, True),
    ]
    assert PdpTopic.objects.get(title="Assessment for learning").position == 12


def test_seeding_is_for_the_ite_tutor_alone(
    client_for, programme_lead, hod, colleague, admin, intern, standards
):
    for persona in (programme_lead, hod, colleague, admin, intern):
        assert client_for(persona).post(reverse("ite:pdp-seed")).status_code == 404
    with pytest.raises(ServiceError) as refused:
        services_pdp.seed_topics(actor=programme_lead.user, institution_id=programme_lead.institution_id)
    assert refused.value.message == "You do not have permission to do that."
    assert PdpTopic.objects.count() == 0


def test_seed_button_shows_while_topics_are_missing(client_for, ite_tutor, standards):
    client = client_for(ite_tutor)
    assert SEED_BUTTON in client.get(reverse("ite:pdp")).content.decode()
    PdpTopic.objects.create(institution=ite_tutor.institution, title=SEED_TITLES[0], position=1)
    body = client.get(reverse("ite:pdp")).content.decode()
    assert "21 of the programme's standard topics are not in the programme yet." in body
    services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    assert SEED_BUTTON not in client.get(reverse("ite:pdp")).content.decode()


def test_ite_tutor_adds_an_own_topic_after_the_standard_ones(client_for, ite_tutor, standards):
    ts3, ts8 = (
        standards.get(framework__code="TS", number="3"),
        standards.get(framework__code="TS", number="8"),
    )
    response = client_for(ite_tutor).post(
        reverse("ite:pdp-topic-add"), {"title": "  Reading in every subject ", "standards": [ts3.pk, ts8.pk]}
    )
    assert response["Location"] == reverse("ite:pdp")
    topic = PdpTopic.objects.get()
    assert (topic.title, topic.position, sorted(s.number for s in topic.standards.all())) == (
        "Reading in every subject",
        23,
        ["3", "8"],
    )
    services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    again = services_pdp.add_topic(
        actor=ite_tutor.user, institution_id=ite_tutor.institution_id, title="Oracy", standards=[ts3]
    )
    assert again.position == 24
    assert list(PdpTopic.objects.values_list("position", flat=True))[-3:] == [22, 23, 24]


def test_own_topic_form_names_each_missing_field(client_for, ite_tutor, standards):
    response = client_for(ite_tutor).post(reverse("ite:pdp-topic-add"), {"title": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Professional Development Programme" in body
    assert "Enter the topic" in body
    assert "Select at least one standard" in body
    assert 'href="#id_standards_0"' in body
    assert PdpTopic.objects.count() == 0


def test_own_topic_with_a_title_already_there_is_refused(client_for, ite_tutor, standards):
    services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    ts7 = standards.get(framework__code="TS", number="7")
    response = client_for(ite_tutor).post(
        reverse("ite:pdp-topic-add"), {"title": "BEHAVIOUR for learning", "standards": [ts7.pk]}
    )
    assert "The programme already has a topic with that title" in response.content.decode()
    assert PdpTopic.objects.count() == 22


def test_own_topic_needs_standards_the_institution_uses(ite_tutor, standards):
    elsewhere = Framework.objects.create(
        code="OWN", name="Another school's", institution=InstitutionFactory()
    )
    theirs = Standard.objects.create(framework=elsewhere, number="1", heading="Their own")
    with pytest.raises(ServiceError) as refused:
        services_pdp.add_topic(
            actor=ite_tutor.user, institution_id=ite_tutor.institution_id, title="Oracy", standards=[theirs]
        )
    assert (refused.value.message, refused.value.field) == (
        "Select standards your institution uses",
        "standards",
    )
    with pytest.raises(ServiceError) as empty:
        services_pdp.add_topic(
            actor=ite_tutor.user, institution_id=ite_tutor.institution_id, title=" ", standards=[]
        )
    assert (empty.value.message, empty.value.field) == ("Enter the topic", "title")
    with pytest.raises(ServiceError) as none:
        services_pdp.add_topic(
            actor=ite_tutor.user, institution_id=ite_tutor.institution_id, title="Oracy", standards=[]
        )
    assert (none.value.message, none.value.field) == ("Select at least one standard", "standards")
    assert PdpTopic.objects.count() == 0


def test_own_topic_is_for_the_ite_tutor_alone(client_for, programme_lead, colleague, standards):
    ts3 = standards.get(framework__code="TS", number="3")
    for persona in (programme_lead, colleague):
        response = client_for(persona).post(
            reverse("ite:pdp-topic-add"), {"title": "Oracy", "standards": [ts3.pk]}
        )
        assert response.status_code == 404
    assert PdpTopic.objects.count() == 0
