"""Loading standards frameworks: the shipped ones (from standards_data) and an institution's own."""

from __future__ import annotations

from django.db import transaction

from protutor.observations.standards_data import FRAMEWORKS


def load_builtin_frameworks(framework_model, standard_model) -> int:
    """Create or refresh the shipped frameworks. Takes the models so a data migration can call it."""
    created = 0
    for data in FRAMEWORKS:
        framework, made = framework_model.objects.update_or_create(
            code=data["code"],
            version=data["version"],
            institution=None,
            defaults={"name": data["name"], "description": data.get("description", "")},
        )
        created += made
        position = 0
        for item in data["standards"]:
            position += 1
            parent, _ = standard_model.objects.update_or_create(
                framework=framework,
                number=item["number"],
                defaults={
                    "heading": item["heading"],
                    "group": item.get("group", ""),
                    "position": position,
                    "parent": None,
                    "may_not_apply": item.get("may_not_apply", False),
                },
            )
            for child in item.get("children", []):
                position += 1
                standard_model.objects.update_or_create(
                    framework=framework,
                    number=child["number"],
                    defaults={
                        "heading": child["heading"],
                        "group": item.get("group", ""),
                        "position": position,
                        "parent": parent,
                        "may_not_apply": child.get("may_not_apply", False),
                    },
                )
    return created


def parse_standard_lines(text: str) -> list[tuple[str, str]]:
    """Lines of "number heading" (e.g. "Q1 Questioning that makes everyone think") for a custom framework.

    Raises ValueError naming the line when a line has no number or no heading, or a number repeats.
    """
    seen: set[str] = set()
    parsed = []
    for index, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        number, _, heading = line.partition(" ")
        heading = heading.strip(" .:-–")
        if not heading:
            raise ValueError(f"Line {index} needs a number, a space and a heading, like “Q1 Questioning”")
        if len(number) > 20 or len(heading) > 300:
            raise ValueError(f"Line {index} is too long: keep numbers to 20 characters and headings to 300")
        if number in seen:
            raise ValueError(f"Line {index} repeats the number {number}")
        seen.add(number)
        parsed.append((number, heading))
    if not parsed:
        raise ValueError("Enter at least one standard, one per line")
    return parsed


@transaction.atomic
def create_custom_framework(*, institution, code: str, name: str, lines: list[tuple[str, str]]):
    from protutor.observations.models import Framework, InstitutionFramework, Standard

    if not InstitutionFramework.objects.filter(institution=institution).exists():
        # Until a choice is made the institution uses every shipped framework (standards_in_use_for);
        # keep them in use rather than replacing them with this one.
        InstitutionFramework.objects.bulk_create(
            InstitutionFramework(institution=institution, framework=shipped)
            for shipped in Framework.objects.filter(institution__isnull=True)
        )
    framework = Framework.objects.create(institution=institution, code=code, name=name, version="")
    Standard.objects.bulk_create(
        [
            Standard(framework=framework, number=number, heading=heading, position=position)
            for position, (number, heading) in enumerate(lines, start=1)
        ]
    )
    InstitutionFramework.objects.get_or_create(institution=institution, framework=framework)
    return framework
