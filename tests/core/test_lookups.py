"""`__in` on an integer column matches nothing for a number beyond 64 bits, as `=` does, instead of a
server error; real ids in the same list still match."""

import pytest
from django.contrib.auth import get_user_model

from protutor.people.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("huge", [2**63, 2**70, -(2**63) - 1, 10**40])
def test_in_ignores_numbers_no_column_can_hold(department, huge):
    assert list(Department.objects.filter(pk__in=[huge])) == []
    assert list(Department.objects.filter(pk__in=[huge, department.pk])) == [department]
    assert list(Department.objects.filter(pk__in=[str(huge)])) == []
    assert Department.objects.exclude(pk__in=[huge]).filter(pk=department.pk).exists()


def test_in_still_takes_subqueries_and_the_largest_key(department):
    users = get_user_model().objects.all()
    assert list(Department.objects.filter(pk__in=Department.objects.values("pk"))) == [department]
    assert list(Department.objects.filter(pk__in=[2**63 - 1])) == []
    assert users.filter(pk__in=[]).count() == 0
