"""The Django admin is for configuration and goes through the same scopes: no superuser bypass."""

import pytest
from django.urls import reverse

from tests.factories.people import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_department_list_is_scoped_to_administrators_institution(client, admin, department, outsider):
    DepartmentFactory(institution=outsider.institution, name="Outside department")
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    client.force_login(admin.user)
    response = client.get(reverse("admin:people_department_changelist"))
    assert list(response.context["cl"].queryset) == [department]


def test_admin_superuser_without_a_role_sees_no_departments(client, department):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:people_department_changelist"))
    assert list(response.context["cl"].queryset) == []


def test_admin_has_no_confidential_models():
    from django.contrib import admin as django_admin

    registered = {model._meta.label for model in django_admin.site._registry}
    assert registered <= {
        "people.Institution",
        "people.Campus",
        "people.Department",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "auth.Group",
        "account.EmailAddress",
        "mfa.Authenticator",
        "socialaccount.SocialAccount",
        "socialaccount.SocialApp",
        "socialaccount.SocialToken",
        "django_tasks_database.DBTaskResult",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/admin/support/supportcase/",
        "/admin/support/interaction/",
        "/admin/support/privatenote/",
        "/admin/support/referral/",
        "/admin/support/safeguardingconcern/",
        "/admin/audit/accessrecord/",
    ],
)
def test_admin_never_shows_confidential_records(client, admin, path):
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    client.force_login(admin.user)
    assert client.get(path).status_code == 404
