"""The notification outbox: services write rows, the beat claims due ones, workers send them.

Interfaces for other apps:
- ``clinic.notifications.services.notification_enqueue(kind=, subject=, recipient=, due_at=, ...)``
  writes outbox rows inside the caller's transaction (never touches Celery).
- ``clinic.notifications.services.notifications_cancel(subject=, kinds=)`` cancels pending rows.
- booking/notifications.py holds the appointment hooks built on these.
"""
