"""Full-text search returns the right resources, best first: FTS5 on SQLite, full-text search on
PostgreSQL (the suite runs on both)."""

import pytest
from django.db import connection

from protutor.resources import services
from protutor.resources.models import Resource
from protutor.resources.search import fts5_query, search, terms
from tests.factories.resources import publish, revise


@pytest.fixture
def library(tutor):
    def add(title, summary, tags=""):
        return publish(tutor, title=title, summary=summary, tags=tags)

    return {
        "hinge": add(
            "Hinge questions", "One question that shows who has understood.", "assessment for learning"
        ),
        "cold": add("Cold calling", "Ask everyone, then choose who answers.", "questioning"),
        "feedback": add("Whole-class feedback", "Mark less, teach more: feedback to the whole group."),
        "routines": add("Routines for workshops", "Calm starts: meet, greet and a do-now task."),
        "literacy": add("Disciplinary vocabulary", "Teaching the words of a subject, with questioning tips."),
    }


def found(query, queryset=None):
    return [r.title for r in search(queryset or Resource.objects.all(), query)]


def test_search_ranks_a_title_match_above_a_summary_match(library):
    # "question" is in the title of one, a tag of another, and a summary of a third (stemmed: questioning).
    results = found("question")
    assert results[0] == "Hinge questions"
    assert set(results) == {"Hinge questions", "Cold calling", "Disciplinary vocabulary"}
    assert results.index("Cold calling") < results.index("Disciplinary vocabulary")


def test_search_needs_every_word(library):
    assert found("feedback whole") == ["Whole-class feedback"]
    assert found("feedback routines") == []


def test_search_matches_the_start_of_a_word(library):
    assert found("assess") == ["Hinge questions"]
    assert found("workshop") == ["Routines for workshops"]


def test_search_treats_punctuation_and_operators_as_plain_text(library):
    for query in [
        '"hinge',
        "hinge AND (",
        "NEAR(hinge",
        "hinge*",
        "-",
        "'; DROP TABLE resources_resource; --",
    ]:
        found(query)  # no syntax error
    assert found('hinge" (') == ["Hinge questions"]
    assert Resource.objects.count() == 5


def test_search_without_words_returns_the_queryset(library):
    assert found("  ...  ") == sorted(r.title for r in library.values())


def test_search_keeps_the_filters_of_the_queryset(library):
    assert found("question", Resource.objects.filter(tags__contains="questioning")) == ["Cold calling"]


def test_search_follows_a_revised_title_and_forgets_a_deleted_resource(tutor, library):
    revise(library["routines"], tutor, title="Starting practical lessons", change_note="Renamed")
    assert found("routines") == []
    assert found("practical") == ["Starting practical lessons"]
    library["cold"].delete()
    assert found("calling") == []


def test_search_finds_resources_made_outside_the_services(college):
    # The support demo writes resources directly: the index follows the table, not the service.
    Resource.objects.create(institution=college, title="Growth mindset without the posters")
    assert found("mindset") == ["Growth mindset without the posters"]


def test_terms_and_fts5_query():
    assert terms('hinge" AND (questions)') == ["hinge", "AND", "questions"]
    assert fts5_query(["hinge", "AND"]) == '"hinge"* "AND"*'


def test_search_runs_on_this_database(library):
    assert connection.vendor in {"sqlite", "postgresql"}
    retired = services.retire_resource(library["hinge"], actor=library["hinge"].added_by.user)
    # Retired resources are still found by search itself; browsing filters them out.
    assert found("hinge") == [retired.title]
