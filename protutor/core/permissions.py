"""The registry of visibility scopes: DESIGN.md section 2, "the rules live in one place".

Each app's `permissions.py` writes one scope function per model that holds information about a person
(`<records>_readable_by(user)`) and registers it here. Views, lists, search, exports and the admin start
from a scope, so a forbidden object is a 404 by construction. Models that hold nothing about a person
(departments, terms, standards) are registered as `public` with the reason, so that a test can walk every
model of the project and fail for one that was forgotten.

There is no superuser or administrator short-circuit anywhere in this module or in any scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

Scope = Callable[..., QuerySet]


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    scope: Scope | None
    reason: str = ""

    @property
    def is_public(self) -> bool:
        return self.scope is None


_registry: dict[type[models.Model], Registration] = {}


def register(model: type[models.Model], scope: Scope) -> Scope:
    """Record `scope` as the one definition of which rows of `model` a user may read."""
    if model in _registry:
        raise ValueError(f"{model.__name__} already has a scope")
    _registry[model] = Registration(model, scope)
    return scope


def register_public(model: type[models.Model], reason: str) -> None:
    """Declare that `model` holds nothing about a person: any signed-in user may read it."""
    if model in _registry:
        raise ValueError(f"{model.__name__} already registered")
    if not reason:
        raise ValueError("Say why the model holds nothing about a person")
    _registry[model] = Registration(model, None, reason)


def registration(model: type[models.Model]) -> Registration:
    try:
        return _registry[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no visibility scope registered") from None


def registrations() -> list[Registration]:
    return list(_registry.values())


def readable_by(model: type[models.Model], user) -> QuerySet:
    """The rows of `model` that `user` may read, for generic code (admin, matrix tests, exports)."""
    entry = registration(model)
    if entry.scope is None:
        if not user.is_authenticated:
            return model._default_manager.none()
        return model._default_manager.all()
    return entry.scope(user)


def can_read(user, obj: models.Model) -> bool:
    """Derived from the scope, so the object check and the list cannot drift apart."""
    return readable_by(type(obj), user).filter(pk=obj.pk).exists()
