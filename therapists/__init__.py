"""Therapists: who works here, what they are trained and licensed for, what the clinic sells,
and when therapists work.

Interfaces other apps rely on:
- ``therapists.models``: ``Condition``, ``Modality`` (``is_mfr``), ``Competency``
  (``consent_kind``: a ``clinic.models.ConsentKind``), ``Language`` (``code``),
  ``TherapistProfile`` (``user.therapist_profile``), ``Credential``, ``MFRTraining``,
  ``Service`` (``blocked_minutes`` = buffer before + duration + buffer after), ``ServiceKind``,
  ``Shift`` (local wall-clock ``starts_at``/``ends_at`` in ``location.time_zone``, ``weekday``
  0 = Monday, ``effective_from``/``effective_to`` inclusive), ``TimeOff`` and ``Closure``
  (aware UTC ``starts_at``/``ends_at``, end exclusive).
- ``TherapistProfile.objects``: ``.active()``, ``.trained_in_mfr()``, ``.licensed(on=date)``,
  ``.bookable(on=date)``, ``.with_flags(on=date)`` (annotates ``is_trained_in_mfr``,
  ``is_licensed``, ``is_bookable``).
- ``therapists.selectors``: ``therapist_is_bookable(profile, on=date)``,
  ``credentials_expiring(within_days=30)``.
- Template ``therapists/_next_available.html`` renders the context variable ``next_available``
  (an aware datetime, or a dict with ``starts_at`` and ``url``); "Ask the front desk" when absent.
"""
