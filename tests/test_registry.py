"""Every model of the project declares who may read it (DESIGN.md section 2): a scope, or a stated reason
why it holds nothing about a person. A new model without one fails here."""

from django.apps import apps

from protutor.core import permissions


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("protutor.")]


def test_every_project_model_is_registered():
    registered = {entry.model for entry in permissions.registrations()}
    missing = sorted(m._meta.label for m in project_models() if m not in registered)
    assert missing == []


def test_public_models_say_why():
    public = [entry for entry in permissions.registrations() if entry.is_public]
    assert all(len(entry.reason) > 10 for entry in public)


def test_scopes_mention_no_superuser_bypass():
    import inspect

    for entry in permissions.registrations():
        if entry.scope is not None:
            assert "is_superuser" not in inspect.getsource(entry.scope)
            assert "is_staff" not in inspect.getsource(entry.scope)
