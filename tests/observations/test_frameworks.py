"""Standards frameworks: the shipped data (counts, numbering, order), reloading it, parsing an institution's
own list, and the programme lead's pages for adding a framework and choosing frameworks and grading."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from protutor.core.errors import ServiceError
from protutor.observations import services
from protutor.observations.frameworks import load_builtin_frameworks, parse_standard_lines
from protutor.observations.models import (
    Framework,
    InstitutionFramework,
    Observation,
    ObservationPolicy,
    Standard,
)
from protutor.observations.permissions import standards_in_use_for
from protutor.observations.standards_data import (
    ETF_KNOWLEDGE,
    ETF_SKILLS,
    ETF_VALUES,
    TEACHERS_STANDARDS,
    TS_PART_ONE,
    TS_PART_TWO,
)

TS_SUB_POINTS = [
    "1a", "1b", "1c",
    "2a", "2b", "2c", "2d", "2e",
    "3a", "3b", "3c", "3d", "3e",
    "4a", "4b", "4c", "4d", "4e",
    "5a", "5b", "5c", "5d",
    "6a", "6b", "6c", "6d",
    "7a", "7b", "7c", "7d",
    "8a", "8b", "8c", "8d", "8e",
]  # fmt: skip


def builtin(code: str) -> Framework:
    return Framework.objects.get(code=code, institution__isnull=True)


def rows(model) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values_list(*fields))


# The shipped data (loaded by migration 0002 into every test database)


@pytest.mark.django_db
def test_builtin_frameworks_are_the_teachers_and_etf_standards():
    assert list(
        Framework.objects.filter(institution__isnull=True).order_by("code").values_list("code", "version")
    ) == [("ETF", "2022"), ("TS", "2011 (updated 2021)")]


@pytest.mark.django_db
def test_teachers_standards_part_one_numbered_1_to_8():
    top = builtin("TS").standards.filter(parent__isnull=True, group=TS_PART_ONE)
    assert list(top.values_list("number", flat=True)) == ["1", "2", "3", "4", "5", "6", "7", "8"]


@pytest.mark.django_db
def test_teachers_standards_sub_points_lettered_in_order_under_parent():
    children = builtin("TS").standards.filter(parent__isnull=False).order_by("position")
    assert len(TS_SUB_POINTS) == 35
    assert list(children.values_list("number", flat=True)) == TS_SUB_POINTS
    assert [(c.parent.number, c.group) for c in children.select_related("parent")] == [
        (number[0], TS_PART_ONE) for number in TS_SUB_POINTS
    ]


@pytest.mark.django_db
def test_teachers_standards_46_rows_in_position_order():
    ts = builtin("TS")
    expected = []
    for n in "12345678":
        expected += [n, *[s for s in TS_SUB_POINTS if s[0] == n]]
    expected += ["P2.1", "P2.2", "P2.3"]
    assert ts.standards.count() == 46
    assert list(ts.standards.order_by("position").values_list("number", flat=True)) == expected
    assert list(ts.standards.order_by("position").values_list("position", flat=True)) == list(range(1, 47))
    assert list(ts.standards.filter(group=TS_PART_TWO).values_list("number", "parent")) == [
        ("P2.1", None),
        ("P2.2", None),
        ("P2.3", None),
    ]


@pytest.mark.django_db
def test_etf_2022_twenty_standards_in_groups_of_7_5_8():
    etf = builtin("ETF")
    standards = list(etf.standards.order_by("position"))
    assert [s.number for s in standards] == [str(n) for n in range(1, 21)]
    assert [s.group for s in standards] == [ETF_VALUES] * 7 + [ETF_KNOWLEDGE] * 5 + [ETF_SKILLS] * 8
    assert [s.parent_id for s in standards] == [None] * 20


@pytest.mark.django_db
def test_builtin_may_not_apply_only_ts_3d_3e():
    assert sorted(Standard.objects.filter(may_not_apply=True).values_list("framework__code", "number")) == [
        ("TS", "3d"),
        ("TS", "3e"),
    ]


@pytest.mark.django_db
def test_standard_label_is_code_and_number():
    assert Standard.objects.get(framework=builtin("TS"), number="5d").label == "TS 5d"


@pytest.mark.django_db
def test_load_builtin_frameworks_twice_changes_nothing():
    before = (rows(Framework), rows(Standard))
    assert load_builtin_frameworks(Framework, Standard) == 0
    assert (rows(Framework), rows(Standard)) == before


@pytest.mark.django_db
def test_load_builtin_frameworks_restores_changed_standard():
    ts = builtin("TS")
    Standard.objects.filter(framework=ts, number="5d").update(heading="Changed", position=999)
    load_builtin_frameworks(Framework, Standard)
    five = next(item for item in TEACHERS_STANDARDS["standards"] if item["number"] == "5")
    heading = next(child["heading"] for child in five["children"] if child["number"] == "5d")
    # 1-1c, 2-2e, 3-3e, 4-4e take positions 1-22; 5 is 23, 5a-5d 24-27.
    assert Standard.objects.filter(framework=ts, number="5d").values_list("heading", "position").get() == (
        heading,
        27,
    )


# parse_standard_lines


def test_parse_standard_lines_valid_lines_blank_lines_skipped():
    text = "Q1 Questioning that makes everyone think\n\n   \n  Q2 - Feedback: live marking.  \r\nQ3 Routines"
    assert parse_standard_lines(text) == [
        ("Q1", "Questioning that makes everyone think"),
        ("Q2", "Feedback: live marking"),
        ("Q3", "Routines"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q1 Questioning\nQ2\n", "Line 2 needs a number, a space and a heading, like “Q1 Questioning”"),
        ("Q1 Questioning\n\nQ2 -", "Line 3 needs a number, a space and a heading, like “Q1 Questioning”"),
        ("Q1 Questioning\nQ2 Feedback\nQ1 Routines", "Line 3 repeats the number Q1"),
        (
            "Q1 Questioning\n" + "X" * 21 + " Heading",
            "Line 2 is too long: keep numbers to 20 characters and headings to 300",
        ),
        ("Q1 " + "h" * 301, "Line 1 is too long: keep numbers to 20 characters and headings to 300"),
        ("", "Enter at least one standard, one per line"),
        ("\n   \n\t\n", "Enter at least one standard, one per line"),
    ],
)
def test_parse_standard_lines_invalid_raises_value_error_naming_line(text, message):
    with pytest.raises(ValueError) as raised:
        parse_standard_lines(text)
    assert str(raised.value) == message


@given(text=st.text(max_size=400))
def test_parse_standard_lines_random_text_only_value_error(text):
    try:
        parsed = parse_standard_lines(text)
    except ValueError:
        return
    numbers = [number for number, _ in parsed]
    assert len(numbers) == len(set(numbers))
    assert all(0 < len(number) <= 20 and 0 < len(heading) <= 300 for number, heading in parsed)


@given(
    lines=st.lists(
        st.tuples(
            st.text(alphabet="ABCQ0123456789.", min_size=1, max_size=6),
            st.text(alphabet="abc xyz", min_size=1, max_size=30).map(str.strip).filter(bool),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda line: line[0],
    )
)
def test_parse_standard_lines_round_trips_well_formed_lines(lines):
    text = "\n\n".join(f"{number} {heading}" for number, heading in lines)
    assert parse_standard_lines(text) == lines


# An institution's own framework, through the programme lead's form


@pytest.mark.django_db
def test_framework_create_by_programme_lead_creates_standards_in_order_and_in_use(
    client_for, college, programme_lead
):
    response = client_for(programme_lead).post(
        reverse("observations:framework-create"),
        {
            "name": "Runshaw teaching priorities",
            "code": "RTP",
            "standards": "Q1 Questioning that makes everyone think\nQ2 Feedback that moves learning on\n\n"
            "Q3 Routines for the first five minutes",
        },
    )
    framework = Framework.objects.get(code="RTP")
    assert response.status_code == 302
    assert response["Location"] == reverse("observations:framework-detail", args=[framework.pk])
    assert (framework.name, framework.institution, framework.version) == (
        "Runshaw teaching priorities",
        college,
        "",
    )
    assert list(framework.standards.values_list("number", "heading", "position", "parent")) == [
        ("Q1", "Questioning that makes everyone think", 1, None),
        ("Q2", "Feedback that moves learning on", 2, None),
        ("Q3", "Routines for the first five minutes", 3, None),
    ]
    assert InstitutionFramework.objects.filter(institution=college, framework=framework).exists()
    assert set(framework.standards.all()) <= set(standards_in_use_for(college.pk))


@pytest.mark.django_db
def test_framework_create_keeps_shipped_frameworks_in_use(client_for, college, programme_lead):
    """Adding a focus list must not silently drop the Teachers' and ETF standards the institution was
    using by default."""
    client_for(programme_lead).post(
        reverse("observations:framework-create"),
        {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning"},
    )
    assert set(standards_in_use_for(college.pk).values_list("framework__code", flat=True)) == {
        "TS",
        "ETF",
        "RTP",
    }


@pytest.mark.django_db
def test_framework_create_after_choice_adds_to_chosen_only(client_for, college, programme_lead):
    client = client_for(programme_lead)
    client.post(reverse("observations:framework-choose"), {"frameworks": [builtin("ETF").pk]})
    client.post(
        reverse("observations:framework-create"),
        {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning"},
    )
    assert set(standards_in_use_for(college.pk).values_list("framework__code", flat=True)) == {"ETF", "RTP"}


@pytest.mark.django_db
def test_framework_create_invalid_lines_names_the_line(client_for, programme_lead):
    response = client_for(programme_lead).post(
        reverse("observations:framework-create"),
        {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning\nQ1 Feedback"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert 'href="#id_standards">Line 2 repeats the number Q1' in body
    assert not Framework.objects.filter(code="RTP").exists()


@pytest.mark.django_db
def test_framework_create_repeated_code_refused(client_for, programme_lead):
    client = client_for(programme_lead)
    client.post(
        reverse("observations:framework-create"),
        {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning"},
    )
    response = client.post(
        reverse("observations:framework-create"),
        {"name": "Other", "code": "RTP", "standards": "Q1 Other"},
    )
    assert 'href="#id_code">Your institution already has a framework with this code' in (
        response.content.decode()
    )
    assert list(Framework.objects.filter(code="RTP").values_list("name", flat=True)) == ["Priorities"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "admin", "outsider"])
def test_framework_create_by_others_404(request, client_for, programme_lead, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("observations:framework-create")
    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning"})
    assert response.status_code == 404
    assert not Framework.objects.filter(code="RTP").exists()


@pytest.mark.django_db
def test_custom_framework_hidden_from_another_institution(client_for, college, programme_lead, outsider):
    client_for(programme_lead).post(
        reverse("observations:framework-create"),
        {"name": "Priorities", "code": "RTP", "standards": "Q1 Questioning"},
    )
    framework = Framework.objects.get(code="RTP")
    client = client_for(outsider)
    assert client.get(framework.get_absolute_url()).status_code == 404
    assert "Priorities" not in client.get(reverse("observations:framework-list")).content.decode()
    assert list(standards_in_use_for(outsider.institution_id).filter(framework=framework)) == []


# Choosing frameworks and grading


@pytest.mark.django_db
def test_framework_choose_switches_frameworks_and_grading(client_for, college, programme_lead, line_manager):
    etf = builtin("ETF")
    response = client_for(programme_lead).post(
        reverse("observations:framework-choose"), {"frameworks": [etf.pk]}
    )
    assert response.status_code == 302
    assert list(
        InstitutionFramework.objects.filter(institution=college).values_list("framework", flat=True)
    ) == [etf.pk]
    assert ObservationPolicy.objects.get(institution=college).grading_enabled is False
    assert set(standards_in_use_for(college.pk)) == set(etf.standards.all())

    form = client_for(line_manager).get(reverse("observations:observation-create")).context["form"]
    assert "outcome" not in form.fields
    assert set(form.fields["development_1_standard"].queryset) == set(etf.standards.all())

    client_for(programme_lead).post(
        reverse("observations:framework-choose"),
        {"frameworks": [etf.pk, builtin("TS").pk], "grading_enabled": "on"},
    )
    assert ObservationPolicy.objects.get(institution=college).grading_enabled is True
    form = client_for(line_manager).get(reverse("observations:observation-create")).context["form"]
    assert form.fields["outcome"].choices == [
        ("", "No outcome"),
        ("effective", "Effective"),
        ("not_yet_effective", "Not yet effective"),
    ]


@pytest.mark.django_db
def test_record_formal_outcome_refused_when_grading_off(college, programme_lead, line_manager, teacher):
    services.choose_frameworks(
        actor=programme_lead.user,
        institution=college,
        frameworks=[builtin("TS")],
        grading_enabled=False,
    )
    with pytest.raises(ServiceError) as raised:
        services.record_observation(
            actor=line_manager.user,
            observee=teacher,
            kind=Observation.Kind.FORMAL,
            observed_on=timezone.localdate(),
            length_minutes=60,
            outcome="effective",
        )
    assert (raised.value.field, raised.value.message) == (
        "outcome",
        "Your institution does not grade observations",
    )
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_framework_choose_none_selected_refused(client_for, college, programme_lead):
    # A browser always sends the CSRF token, so the form is bound even with nothing ticked.
    response = client_for(programme_lead).post(
        reverse("observations:framework-choose"), {"csrfmiddlewaretoken": "unchecked-in-tests"}
    )
    assert 'href="#id_frameworks_0">Select at least one framework' in response.content.decode()
    assert not InstitutionFramework.objects.filter(institution=college).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "admin"])
def test_framework_choose_by_others_404(request, client_for, college, programme_lead, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("observations:framework-choose")
    assert client.get(url).status_code == 404
    assert client.post(url, {"frameworks": [builtin("ETF").pk]}).status_code == 404
    assert not InstitutionFramework.objects.filter(institution=college).exists()
