"""The classes import and the intern timetable page: what the ITE tutor does, and what they see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protutor.audit.models import AuditEvent
from protutor.ite import services_timetable
from protutor.ite.models import TeachingGroup, TimetableAllocation, TimetableRule, TimetableRun
from tests.factories.ite import InternFactory

pytestmark = pytest.mark.django_db

CSV = (
    "Class code,Subject,Year group,Teacher,Periods per week,Set\n"
    "9A/Ma,Mathematics,9,{code},4,set 1\n"
    "11B/Ma,Mathematics,Year 11,,4,set 2\n"
    "12/Ma,Mathematics,12,nobody@example.org,5,\n"
)


def _upload(client, text, apply):
    return client.post(
        reverse("ite:group-import"),
        {"file": SimpleUploadedFile("classes.csv", text.encode()), "apply": "yes" if apply else "no"},
    )


def test_check_then_import_then_reimport_changes_nothing(client_for, ite_tutor, mentor, year):
    client = client_for(ite_tutor)
    text = CSV.format(code=mentor.staff_code)
    response = _upload(client, text, apply=False)
    assert response.status_code == 200
    assert TeachingGroup.objects.count() == 0
    assert "3 new classes" in response.content.decode()
    assert "nobody@example.org" in response.content.decode()
    response = _upload(client, text, apply=True)
    assert response["Location"] == reverse("ite:group-list")
    rows = list(
        TeachingGroup.objects.order_by("code").values_list(
            "code", "year_group", "periods", "ability", "teacher"
        )
    )
    assert rows == [
        ("11B/Ma", 11, 4, "set 2", None),
        ("12/Ma", 12, 5, "", None),
        ("9A/Ma", 9, 4, "set 1", mentor.pk),
    ]
    events = AuditEvent.objects.filter(action="ite.groups_imported").count()
    _upload(client, text, apply=True)
    assert AuditEvent.objects.filter(action="ite.groups_imported").count() == events + 1
    assert (
        AuditEvent.objects.filter(action="ite.groups_imported").order_by("pk").last().detail["created"] == 0
    )
    assert TeachingGroup.objects.count() == 3


def test_a_file_with_errors_names_each_row_and_imports_nothing(client_for, ite_tutor, year):
    text = "Class code,Subject,Year group,Periods per week\n9A/Ma,Mathematics,15,4\n,English,7,x\n9A/Ma,Maths,9,3\n"
    response = _upload(client_for(ite_tutor), text, apply=True)
    body = response.content.decode()
    assert "<title>Error: Classes" in body
    assert "Row 2: enter the year group as a number from 1 to 13, like 9" in body
    assert "Row 3: enter the class code; enter the periods per week as a whole number from 1 to 40" in body
    assert "Row 4: class 9A/Ma appears twice in the file" in body
    assert TeachingGroup.objects.count() == 0


def test_a_file_without_the_columns_says_which(client_for, ite_tutor, year):
    response = _upload(client_for(ite_tutor), "Code,Subject\n9A,Maths\n", apply=True)
    assert "The file has no column for Year group, Periods per week" in response.content.decode()


def test_only_csv_files_are_accepted(client_for, ite_tutor, year):
    response = client_for(ite_tutor).post(
        reverse("ite:group-import"),
        {"file": SimpleUploadedFile("classes.xlsx", b"PK\x03\x04"), "apply": "yes"},
    )
    assert "The selected file must be a CSV file" in response.content.decode()


def _classes(year, college, *specs):
    return [
        TeachingGroup.objects.create(
            institution=college,
            academic_year=year,
            code=code,
            subject=subject,
            year_group=yg,
            periods=periods,
        )
        for code, subject, yg, periods in specs
    ]


def test_propose_balances_and_respects_the_class_limit(
    client_for, ite_tutor, intern_record, programme, department, year, college
):
    other = InternFactory(programme=programme, department=department, subject="Mathematics", target_periods=8)
    intern_record.target_periods = 8
    intern_record.save()
    _classes(
        year,
        college,
        ("7A", "Mathematics", 7, 4),
        ("8A", "Mathematics", 8, 4),
        ("10A", "Mathematics", 10, 4),
        ("12A", "Mathematics", 12, 4),
        ("7E", "English", 7, 4),
    )
    client = client_for(ite_tutor)
    response = client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    assert response.status_code == 302
    run = TimetableRun.objects.get()
    assert (run.feasible, run.optimal) == (True, True)
    loads = {}
    for allocation in TimetableAllocation.objects.select_related("group"):
        loads.setdefault(allocation.intern_id, []).append(allocation.group.code)
    assert sorted(len(v) for v in loads.values()) == [2, 2]
    assert sorted(code for codes in loads.values() for code in codes) == ["10A", "12A", "7A", "8A"]
    page = client.get(reverse("ite:timetable"))
    assert [(r["intern"], r["load"], r["shortfall"]) for r in page.context["rows"]] == [
        (i, 8, 0) for i in sorted([intern_record, other], key=lambda i: (i.staff.surname, i.staff.forename))
    ]
    assert [(g.code, reason) for g, reason in page.context["uncovered"]] == [
        ("7E", "No intern teaches English")
    ]


def test_a_pin_is_kept_and_a_ban_moves_the_class(client_for, ite_tutor, intern_record, year, college):
    _seven, eight = _classes(year, college, ("7A", "Mathematics", 7, 4), ("8A", "Mathematics", 8, 4))
    intern_record.target_periods = 4
    intern_record.save()
    client = client_for(ite_tutor)
    client.post(
        reverse("ite:timetable"),
        {"action": "rule", "intern": intern_record.pk, "group": eight.pk, "kind": "pin"},
    )
    client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    assert list(TimetableAllocation.objects.values_list("group__code", flat=True)) == ["8A"]
    client.post(
        reverse("ite:timetable"),
        {"action": "rule", "intern": intern_record.pk, "group": eight.pk, "kind": "forbid"},
    )
    client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    assert list(TimetableAllocation.objects.values_list("group__code", flat=True)) == ["7A"]
    assert TimetableRun.objects.count() == 1


def test_infeasible_pins_are_explained_on_the_page(
    client_for, ite_tutor, intern_record, programme, department, year, college
):
    other = InternFactory(programme=programme, department=department, subject="Mathematics")
    (seven,) = _classes(year, college, ("7A", "Mathematics", 7, 4))
    for intern in (intern_record, other):
        TimetableRule.objects.create(intern=intern, group=seven, kind="pin")
    client = client_for(ite_tutor)
    response = client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "The classes you kept cannot all be kept" in body
    assert "7A is pinned to 2 interns" in body
    assert TimetableRun.objects.count() == 0
    assert TimetableAllocation.objects.count() == 0


def test_a_failed_proposal_keeps_the_last_timetable(
    client_for, ite_tutor, intern_record, programme, department, year, college
):
    """A run that cannot be kept changes nothing: the last proposal, its reasons and what interns see."""
    intern_record.target_periods = 4
    intern_record.save()
    seven, _eight = _classes(year, college, ("7A", "Mathematics", 7, 4), ("8A", "Mathematics", 8, 4))
    client = client_for(ite_tutor)
    client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    run = TimetableRun.objects.get()
    kept = list(TimetableAllocation.objects.values_list("run", "intern", "group"))
    assert len(kept) == 1
    other = InternFactory(programme=programme, department=department, subject="Mathematics")
    for intern in (intern_record, other):
        TimetableRule.objects.create(intern=intern, group=seven, kind="pin")
    response = client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    assert response.status_code == 200
    assert "The last proposed timetable is unchanged" in response.content.decode()
    assert list(TimetableRun.objects.values_list("pk", flat=True)) == [run.pk]
    assert list(TimetableAllocation.objects.values_list("run", "intern", "group")) == kept
    assert AuditEvent.objects.filter(action="ite.timetable_proposed").count() == 1
    code = TeachingGroup.objects.get(pk=kept[0][2]).code
    page = client.get(intern_record.get_absolute_url()).content.decode()
    assert "No classes proposed yet" not in page
    assert f"{code}: Mathematics" in page


def test_a_timetable_the_solver_found_nothing_for_is_not_kept(
    client_for, ite_tutor, intern_record, year, college, monkeypatch
):
    _classes(year, college, ("7A", "Mathematics", 7, 4))
    client = client_for(ite_tutor)
    client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    run = TimetableRun.objects.get()

    def broken(*args, **kwargs):
        return type("Failed", (), {"status": 4, "x": None, "message": "HiGHS ran out of memory"})()

    monkeypatch.setattr("protutor.ite.timetable.milp", broken)
    response = client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    body = response.content.decode()
    assert "No timetable was found for every subject" in body
    assert "HiGHS ran out of memory" in body
    assert list(TimetableRun.objects.values_list("pk", flat=True)) == [run.pk]
    assert TimetableAllocation.objects.filter(run=run).count() == 1


def test_an_intern_short_of_their_target_is_told_the_true_reason(
    client_for, ite_tutor, intern_record, programme, department, year, college
):
    """A Geography intern in a school whose file has no Geography class is not told "no class fits"."""
    geographer = InternFactory(
        programme=programme, department=department, subject="Geography", target_periods=12
    )
    intern_record.target_periods = 10
    intern_record.save()
    _classes(year, college, ("7A", "Mathematics", 7, 4), ("8A", "Mathematics", 8, 8))
    client = client_for(ite_tutor)
    client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"})
    rows = {row["intern"]: row for row in client.get(reverse("ite:timetable")).context["rows"]}
    assert (rows[geographer]["load"], rows[geographer]["short_because"]) == (
        0,
        "There are no Geography classes among the imported classes",
    )
    assert (rows[intern_record]["load"], rows[intern_record]["short_because"]) == (
        8,
        "Of the other Mathematics classes open to them, 1 class would take them over their target of "
        "10 periods a week",
    )


def test_pinning_another_subject_is_refused_on_the_class_field(
    client_for, ite_tutor, intern_record, year, college
):
    (english,) = _classes(year, college, ("7E", "English", 7, 4))
    response = client_for(ite_tutor).post(
        reverse("ite:timetable"),
        {"action": "rule", "intern": intern_record.pk, "group": english.pk, "kind": "pin"},
    )
    assert "teaches Mathematics: select a Mathematics class to keep" in response.content.decode()
    assert TimetableRule.objects.count() == 0


def test_class_limit_is_checked(client_for, ite_tutor, year):
    response = client_for(ite_tutor).post(reverse("ite:timetable"), {"action": "run", "class_limit": "9"})
    assert "The most interns in any one class across the year must be 5 or fewer" in response.content.decode()


def test_programme_lead_reads_but_cannot_run(client_for, programme_lead, year):
    client = client_for(programme_lead)
    assert client.get(reverse("ite:timetable")).status_code == 200
    assert client.post(reverse("ite:timetable"), {"action": "run", "class_limit": "1"}).status_code == 404


def test_intern_page_shows_the_proposed_classes(client_for, ite_tutor, intern, intern_record, year, college):
    _classes(year, college, ("7A", "Mathematics", 7, 4))
    services_timetable.propose_timetable(actor=ite_tutor.user, academic_year=year, class_limit=1)
    section = dict(client_for(intern).get(intern_record.get_absolute_url()).context["sections"])["timetable"]
    assert ([g.code for g in section["groups"]], section["load"], section["key_stages"]) == (
        ["7A"],
        4,
        ["KS3"],
    )


@pytest.mark.parametrize("extra", [1, 3])
def test_timetable_page_query_count_is_the_same_as_interns_grow(
    client_for, ite_tutor, programme, department, year, college, extra, django_assert_num_queries
):
    for n in range(extra):
        InternFactory(programme=programme, department=department, subject="Mathematics")
        _classes(year, college, (f"{7 + n}A", "Mathematics", 7 + n, 4))
    services_timetable.propose_timetable(actor=ite_tutor.user, academic_year=year, class_limit=1)
    client = client_for(ite_tutor)
    with django_assert_num_queries(17):
        client.get(reverse("ite:timetable"))


def test_headings_with_notes_in_brackets_are_understood_and_unknown_subjects_flagged(
    client_for, ite_tutor, mentor, intern_record, year
):
    text = (
        "Class code,Subject,Year group,Teacher (staff code or email),Periods per week\n"
        f"9A/Ma,Mathematics,9,{mentor.email},4\n8G/Gg,Geogrpahy,8,,2\n"
    )
    response = _upload(client_for(ite_tutor), text, apply=False)
    assert "No intern this year teaches Geogrpahy" in response.content.decode()
    _upload(client_for(ite_tutor), text, apply=True)
    assert TeachingGroup.objects.get(code="9A/Ma").teacher == mentor
