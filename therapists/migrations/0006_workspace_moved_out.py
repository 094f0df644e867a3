"""Session notes, self-care and the exercise library move to the workspace app, and clinician
tasks to booking. Only Django's model state changes; tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('therapists', '0005_seed_exercises'),
    ]

    operations = [
        # State only: the tables exist already under their therapists_* names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='exercise',
                    name='conditions',
                ),
                migrations.RemoveField(
                    model_name='selfcareplanitem',
                    name='exercise',
                ),
                migrations.RemoveField(
                    model_name='selfcareplan',
                    name='appointment',
                ),
                migrations.RemoveField(
                    model_name='selfcareplan',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='selfcareplan',
                    name='therapist',
                ),
                migrations.RemoveField(
                    model_name='selfcareplanitem',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='appointment',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='signed_by',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='techniques',
                ),
                migrations.RemoveField(
                    model_name='sessionnote',
                    name='therapist',
                ),
                migrations.RemoveField(
                    model_name='sessionnoteaddendum',
                    name='note',
                ),
                migrations.RemoveField(
                    model_name='sessionnoteaddendum',
                    name='author',
                ),
                migrations.DeleteModel(
                    name='ClinicianTask',
                ),
                migrations.DeleteModel(
                    name='Exercise',
                ),
                migrations.DeleteModel(
                    name='SelfCarePlan',
                ),
                migrations.DeleteModel(
                    name='SelfCarePlanItem',
                ),
                migrations.DeleteModel(
                    name='SessionNote',
                ),
                migrations.DeleteModel(
                    name='SessionNoteAddendum',
                ),
            ],
            database_operations=[],
        ),
    ]
