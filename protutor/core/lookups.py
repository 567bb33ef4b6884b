"""`in` on integer columns, guarded as Django guards `=`: a number no 64-bit column can hold matches nothing,
rather than reaching the driver (SQLite's OverflowError, PostgreSQL's out-of-range error: a server error).

Django drops out-of-range values from `pk=2**70` (IntegerFieldExact) but not from `pk__in=[2**70]`, which
Django's own multi-select (ModelMultipleChoiceField) and the admin run on posted ids. core.forms guards every
multi-select of protutor's forms; this guards every other `__in` on an integer column, the admin's included.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In

LOWEST = -(2**63)
HIGHEST = 2**63 - 1


class IntegerFieldIn(In):
    def get_prep_lookup(self):
        prepared = super().get_prep_lookup()
        if not isinstance(prepared, list):
            return prepared  # a subquery or expressions: the database compares those itself
        # Left empty, In.process_rhs raises EmptyResultSet: the filter matches no row.
        return [
            value
            for value in prepared
            if not (isinstance(value, int) and not isinstance(value, bool) and not LOWEST <= value <= HIGHEST)
        ]


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
