"""GOV.UK component tags. Components get only what they are given (`only`), never the page's context."""

from django import forms, template
from django.contrib.messages import constants as message_levels

register = template.Library()

# One place maps a status to a tag colour (STYLE.md: no colours worked out inline).
TAG_COLOURS = {
    "active": "green",
    "on track": "green",
    "covered": "green",
    "met": "green",
    "create": "green",
    "new": "green",
    "update": "blue",
    "current": "blue",
    "skip": "grey",
    "unchanged": "grey",
    "inactive": "grey",
    "no tutor": "red",
    "error": "red",
    "behind": "red",
    "applied": "green",
    "previewed": "yellow",
    "failed": "red",
    "on_track": "green",
    "missed": "red",
    "upcoming": "grey",
    "planned": "blue",
    "delivered": "green",
    "cancelled": "grey",
    "draft": "grey",
    "shared": "blue",
    "acknowledged": "green",
    "open": "blue",
    "closed": "grey",
    "received": "yellow",
    "accepted": "green",
    "declined": "grey",
    "awaiting_teacher": "yellow",
    "over": "red",
    "under": "yellow",
    "no allowance": "grey",
    "closed_met": "green",
    "formal": "red",
    "withdrawn": "grey",
    "not_on_track": "red",
    "not_met": "red",
    "extend": "yellow",
}


@register.inclusion_tag("components/tag.html")
def govuk_tag(value, text=None):
    label = str(text if text is not None else value)
    return {"text": label, "colour": TAG_COLOURS.get(str(value).lower(), "grey")}


def _error_link(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#{field.auto_id}_0"
    if isinstance(widget, forms.MultiWidget):
        return f"#{field.auto_id}_0"
    return f"#{field.auto_id}"


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms_):
    """GOV.UK error summary for one or more forms, each error linking to its field."""
    errors = []
    for form in forms_:
        if form is None:
            continue
        for message in form.non_field_errors():
            errors.append({"text": message, "href": None})
        for field in form:
            for message in field.errors:
                errors.append({"text": message, "href": _error_link(field)})
    return {"errors": errors}


@register.inclusion_tag("components/notification_banner.html")
def notification_banner(message, index=1):
    """A message's first line is the banner's heading; lines after it that start with "- " are a list
    (what changed, say), and any other lines paragraphs."""
    first, *rest = [line.strip() for line in str(message).splitlines() if line.strip()] or [""]
    return {
        "text": first,
        "items": [line[2:] for line in rest if line.startswith("- ")],
        "paragraphs": [line for line in rest if not line.startswith("- ")],
        "success": message.level == message_levels.SUCCESS,
        "index": index,
    }


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
