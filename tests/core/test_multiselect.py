"""Every multi-select of records, in every form of every app, refuses an id beyond 64 bits with a message
(it was a server error: Django guards `pk=` against overflow, not the `pk__in` a multi-select runs). The
fields are found by walking the forms, so a multi-select added later is checked too."""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

import protutor
from protutor.core.forms import ModelMultipleChoiceField
from protutor.people.models import Department


def _import_every_forms_module() -> None:
    for module in pkgutil.walk_packages(protutor.__path__, "protutor."):
        if module.name.rsplit(".", 1)[-1].startswith("forms"):
            importlib.import_module(module.name)


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


_import_every_forms_module()
FORMS = sorted(
    (cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("protutor.")),
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)
MULTI_SELECTS = [
    pytest.param(form, name, id=f"{form.__module__}.{form.__qualname__}.{name}")
    for form in FORMS
    for name, field in form.base_fields.items()
    if isinstance(field, forms.ModelMultipleChoiceField)
]
FIELD_CLASSES = sorted(
    (
        cls
        for cls in _subclasses(forms.ModelMultipleChoiceField)
        if cls.__module__.startswith("protutor.") and cls is not ModelMultipleChoiceField
    ),
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def test_the_walk_finds_the_multi_selects():
    ids = {p.id for p in MULTI_SELECTS}
    assert "protutor.observations.forms.ObservationForm.focus_standards" in ids
    assert len(MULTI_SELECTS) >= 10


@pytest.mark.parametrize("cls", FIELD_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_multi_select_field_class_is_the_guarded_one(cls):
    assert issubclass(cls, ModelMultipleChoiceField)


@pytest.mark.django_db
@pytest.mark.parametrize(("form", "name"), MULTI_SELECTS)
@pytest.mark.parametrize("posted", [str(2**70), str(2**63), "9" * 5000, "²", "-1", "1.0", " "])
def test_a_multi_select_refuses_an_id_that_cannot_be_a_key(form, name, posted):
    field = form.base_fields[name]
    assert isinstance(field, ModelMultipleChoiceField)
    field = field.__deepcopy__({})
    # The form sets the real choices in __init__; any table shows the check runs before the database.
    model = field.queryset.model if field.queryset is not None else get_user_model()
    field.queryset = model._default_manager.all()
    with pytest.raises(ValidationError) as refused:
        field.clean([posted])
    assert refused.value.code in {"invalid_pk_value", "invalid_choice"}


@pytest.mark.django_db
def test_the_guarded_field_still_takes_real_ids(department):
    field = ModelMultipleChoiceField(queryset=Department.objects.all())
    assert list(field.clean([str(department.pk)])) == [department]
    with pytest.raises(ValidationError) as refused:
        field.clean([str(department.pk), str(2**70)])
    assert refused.value.messages == ["Select options from the list"]
