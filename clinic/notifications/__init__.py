"""The notification outbox: services write rows, the beat claims due ones, workers send them.

Infrastructure only: it knows no appointment, intake or self-care plan. Interfaces:
- ``registry.message_kind`` / ``registry.periodic_job``: each app registers the kinds it owns
  and the periodic jobs that queue them, in its own ``messages`` module (autodiscovered by
  ``ClinicConfig.ready()``);
- ``services.notification_enqueue(kind=, subject=, recipient=, due_at=, ...)`` writes outbox
  rows inside the caller's transaction (never touches Celery);
- ``services.notifications_cancel(subject=, kinds=)`` cancels pending rows.
"""
