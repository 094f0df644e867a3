"""Clinician tasks (front desk routes a request to a clinician) move from therapists to booking,
keeping their table and rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ['cliniciantask']


def _relabel(apps, source, target):
    # Audit events and outbox rows point at content types by id; relabelling keeps them valid.
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types(apps, schema_editor):
    _relabel(apps, "therapists", "booking")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "booking", "therapists")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('booking', '0003_appointment_approved_by_alter_appointment_decided_by'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the tables exist already under their therapists_* names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ClinicianTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('review_request', 'Review a booking request')], default='review_request', max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('appointment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clinician_tasks', to='booking.appointment')),
                        ('assigned_to', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clinician_tasks', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'therapists_cliniciantask',
                        'ordering': ['resolved_at', 'created_at', 'id'],
                        'indexes': [models.Index(fields=['assigned_to', 'resolved_at'], name='therapists__assigne_607e16_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
