"""The workspace app takes over session notes, addenda, self-care plans and the exercise library
from the therapists app, keeping their tables (db_table) and rows."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ['exercise', 'selfcareplan', 'selfcareplanitem', 'sessionnote', 'sessionnoteaddendum']


def _relabel(apps, source, target):
    # Audit events and outbox rows point at content types by id; relabelling keeps them valid.
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types(apps, schema_editor):
    _relabel(apps, "therapists", "workspace")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "workspace", "therapists")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('booking', '0004_cliniciantask'),
        ('therapists', '0006_workspace_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the tables exist already under their therapists_* names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Exercise',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=100, unique=True)),
                        ('name', models.CharField(max_length=120)),
                        ('kind', models.CharField(choices=[('foam_roller', 'Foam roller'), ('massage_ball', 'Massage ball'), ('stretch', 'Stretch')], max_length=20)),
                        ('instructions', models.TextField()),
                        ('duration_seconds', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(10), django.core.validators.MaxValueValidator(1800)])),
                        ('repetitions', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)])),
                        ('regions', models.JSONField(default=list)),
                        ('precautions', models.JSONField(blank=True, default=list)),
                        ('is_active', models.BooleanField(default=True)),
                        ('conditions', models.ManyToManyField(blank=True, related_name='exercises', to='therapists.condition')),
                    ],
                    options={
                        'db_table': 'therapists_exercise',
                        'ordering': ['kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='SelfCarePlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message', models.TextField(blank=True, help_text='A few words to the client.')),
                        ('assigned_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('replaced_at', models.DateTimeField(blank=True, null=True)),
                        ('appointment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='selfcare_plans', to='booking.appointment')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='selfcare_plans', to=settings.AUTH_USER_MODEL)),
                        ('therapist', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='selfcare_plans', to='therapists.therapistprofile')),
                    ],
                    options={
                        'db_table': 'therapists_selfcareplan',
                        'ordering': ['-assigned_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='SelfCarePlanItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('times_per_day', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(6)])),
                        ('days_per_week', models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(7)])),
                        ('note', models.CharField(blank=True, max_length=200)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('exercise', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='workspace.exercise')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='workspace.selfcareplan')),
                    ],
                    options={
                        'db_table': 'therapists_selfcareplanitem',
                        'ordering': ['plan', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='SessionNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subjective', models.TextField(blank=True, help_text='What the client reports today: pain, function, changes.')),
                        ('objective', models.TextField(blank=True, help_text='What you found: posture, restrictions, tissue quality.')),
                        ('areas_treated', models.JSONField(blank=True, default=list)),
                        ('hold_minutes', models.JSONField(blank=True, default=list)),
                        ('client_response', models.TextField(blank=True)),
                        ('plan', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('signed_at', models.DateTimeField(blank=True, null=True)),
                        ('appointment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='session_note', to='booking.appointment')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='session_notes', to=settings.AUTH_USER_MODEL)),
                        ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('techniques', models.ManyToManyField(blank=True, related_name='session_notes', to='therapists.modality')),
                        ('therapist', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='session_notes', to='therapists.therapistprofile')),
                    ],
                    options={
                        'db_table': 'therapists_sessionnote',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='SessionNoteAddendum',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('note', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='addenda', to='workspace.sessionnote')),
                    ],
                    options={
                        'verbose_name_plural': 'session note addenda',
                        'db_table': 'therapists_sessionnoteaddendum',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='exercise',
                    constraint=models.CheckConstraint(condition=models.Q(('duration_seconds__isnull', False), ('repetitions__isnull', False), _connector='OR'), name='therapists_exercise_has_dose'),
                ),
                migrations.AddIndex(
                    model_name='selfcareplan',
                    index=models.Index(fields=['client', 'replaced_at'], name='therapists__client__4cf36d_idx'),
                ),
                migrations.AddConstraint(
                    model_name='selfcareplanitem',
                    constraint=models.UniqueConstraint(fields=('plan', 'exercise'), name='therapists_selfcareplanitem_unique'),
                ),
                migrations.AddIndex(
                    model_name='sessionnote',
                    index=models.Index(fields=['client', 'created_at'], name='therapists__client__9c6faf_idx'),
                ),
                migrations.AddConstraint(
                    model_name='sessionnote',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('signed_at__isnull', True), ('signed_by__isnull', True)), models.Q(('signed_at__isnull', False), ('signed_by__isnull', False)), _connector='OR'), name='therapists_sessionnote_signed_by_and_at'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
