"""Fill the care relationships (therapists.CareRelationship) from what made a therapist treating
before the table existed: an appointment that was not cancelled, or a review of the intake."""

from django.db import migrations

CANCELLED = ("cancelled", "late_cancelled")


def backfill(apps, schema_editor):
    appointment = apps.get_model("booking", "Appointment")
    decision = apps.get_model("intake", "ReviewDecision")
    relationship = apps.get_model("therapists", "CareRelationship")
    user = apps.get_model("clinic", "User")
    therapists = set(user.objects.filter(role="therapist").values_list("pk", flat=True))
    pairs = set(
        appointment.objects.exclude(status__in=CANCELLED).values_list(
            "therapist__user_id", "client_id"
        )
    )
    pairs |= set(decision.objects.values_list("reviewer_id", "client_id"))
    relationship.objects.bulk_create(
        [
            relationship(therapist_id=therapist, client_id=client)
            for therapist, client in sorted(pairs)
            if therapist in therapists and therapist != client
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_cliniciantask"),
        ("intake", "0003_outcomes"),
        ("therapists", "0007_care_relationship"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
