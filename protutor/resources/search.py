"""Full-text search of the library, ranked: SQLite's FTS5 index (migration 0003, kept in step by triggers
on the resource table) by default, PostgreSQL's full-text search in production. Title weighs most, then
tags, then the summary."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def terms(query: str) -> list[str]:
    """The words of a query, without FTS5 operators or punctuation (which would otherwise be syntax)."""
    return WORD.findall(query or "")[:20]


def fts5_query(words: list[str]) -> str:
    """Every word must appear; each is quoted (so AND, NEAR or a stray quote are plain words) and matches
    as a prefix ("assess" finds "assessment")."""
    return " ".join('"{}"*'.format(word.replace('"', "")) for word in words)


def search(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` narrowed to the resources matching `query`, best match first. An empty query (or one of
    punctuation only) returns the queryset unchanged."""
    words = terms(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return _postgres(queryset, " ".join(words), query)
    return _sqlite(queryset, fts5_query(words))


# Fixed SQL with the match expression as a parameter; the table names are constants, never user input.
RANK_SQL = (
    "SELECT -bm25(resources_resource_fts, 10.0, 2.0, 5.0) FROM resources_resource_fts"
    ' WHERE resources_resource_fts MATCH %s AND resources_resource_fts.rowid = "resources_resource"."id"'
)
MATCH_SQL = "SELECT rowid FROM resources_resource_fts WHERE resources_resource_fts MATCH %s"


def _sqlite(queryset: QuerySet, match: str) -> QuerySet:
    # bm25 is lower for a better match; weights follow the index's columns: title, description, tags.
    rank = RawSQL(RANK_SQL, [match], output_field=FloatField())  # noqa: S611  (constant SQL, parameters bound)
    matching = RawSQL(MATCH_SQL, [match])  # noqa: S611  (constant SQL, parameters bound)
    return queryset.filter(pk__in=matching).annotate(search_rank=rank).order_by("-search_rank", "title", "pk")


def _postgres(queryset: QuerySet, words: str, raw: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("tags", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
    )
    # websearch syntax ("quoted phrases", -excluded, or); prefix matching as on SQLite for single words.
    web = SearchQuery(raw, search_type="websearch", config="english")
    prefix = SearchQuery(
        " & ".join(f"{word}:*" for word in words.split()), search_type="raw", config="english"
    )
    query = web | prefix
    return (
        queryset.annotate(search_vector=vector)
        .filter(search_vector=query)
        .annotate(search_rank=SearchRank(F("search_vector"), query))
        .order_by("-search_rank", "title", "pk")
    )
