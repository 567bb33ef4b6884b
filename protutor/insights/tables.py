"""A table of figures as the pages, the CSV exports and the PDF report all show it: headings and rows of
cells whose text comes from protutor.core.aggregates or protutor.insights.figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from protutor.insights.charts import Chart


@dataclass
class Table:
    key: str
    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    chart: Chart | None = None
    empty: str = "Nothing recorded yet."
    charts: list[Chart] = field(default_factory=list)

    @property
    def numeric_from(self) -> int:
        """Columns from this index on are figures, right-aligned."""
        return 1

    def csv_rows(self) -> list[list[str]]:
        return [list(self.headings), *[[str(cell) for cell in row] for row in self.rows]]


def find(tables, key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)
