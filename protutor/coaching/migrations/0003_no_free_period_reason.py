"""Issue 22: a proposed pair's stored reasons said "you can meet after school", against the agreement
(sessions in protected time, with cover). Rewrite the stored sentence to the one matching now gives."""

from django.db import migrations

BEFORE = "No free period in common: you can meet after school"
AFTER = (
    "No free period in common: sessions are in protected time, so cover is requested for both when they "
    "book one; to avoid it, rule this pair out and propose again"
)


def forwards(apps, schema_editor):
    Pairing = apps.get_model("coaching", "Pairing")
    changed = []
    for pairing in Pairing.objects.only("pk", "reasons").iterator():
        if BEFORE in (pairing.reasons or []):
            pairing.reasons = [AFTER if reason == BEFORE else reason for reason in pairing.reasons]
            changed.append(pairing)
    Pairing.objects.bulk_update(changed, ["reasons"], batch_size=500)


def backwards(apps, schema_editor):
    Pairing = apps.get_model("coaching", "Pairing")
    changed = []
    for pairing in Pairing.objects.only("pk", "reasons").iterator():
        if AFTER in (pairing.reasons or []):
            pairing.reasons = [BEFORE if reason == AFTER else reason for reason in pairing.reasons]
            changed.append(pairing)
    Pairing.objects.bulk_update(changed, ["reasons"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_surveyresponse_surveyreceipt"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
