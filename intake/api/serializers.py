from __future__ import annotations

from rest_framework import serializers

from clinic.api.fields import WholeNumberField
from intake.models import ReviewAction


class IntakeOutputSerializer(serializers.Serializer):
    id = WholeNumberField()
    status = serializers.CharField()
    questionnaire = serializers.CharField(source="questionnaire.slug")
    questionnaire_version = WholeNumberField(source="questionnaire.version")
    current_step = serializers.CharField()
    answers = serializers.DictField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Answers by link_id; null clears an answer.")
    step = serializers.CharField(required=False, allow_blank=True, default="")


class DraftSavedSerializer(serializers.Serializer):
    intake = IntakeOutputSerializer()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class ScreeningOutputSerializer(serializers.Serializer):
    intake_id = WholeNumberField()
    level = serializers.CharField(help_text="Effective level: this submission or an open finding.")
    submission_level = serializers.CharField(help_text="What this submission alone triggered.")
    message = serializers.CharField()
    booking_gate = serializers.CharField()
    emergency_advice = serializers.CharField(allow_blank=True)
    safety_advice = serializers.CharField(
        allow_blank=True,
        help_text="EMERGENCY, URGENT or STOP: what to do now, with the clinic's phone numbers.",
    )
    stop_passed_confirmed = serializers.BooleanField(
        help_text="A STOP finding is open and the client has confirmed it passed."
    )
    areas = serializers.ListField(child=serializers.CharField())
    precautions = serializers.ListField(child=serializers.CharField())
    evaluated_at = serializers.DateTimeField()


class StopPassedOutputSerializer(serializers.Serializer):
    confirmed = WholeNumberField(help_text="How many open STOP findings now carry it.")
    booking_gate = serializers.CharField()


class QueueItemSerializer(serializers.Serializer):
    # A queue entry wraps the intake response; its id is the response's.
    id = WholeNumberField(source="pk")
    client_id = WholeNumberField()
    client_name = serializers.CharField(source="client.get_full_name")
    submitted_at = serializers.DateTimeField()
    level = serializers.CharField(source="latest_screening.level", allow_null=True, default=None)
    needs_review = serializers.BooleanField()
    last_decision = serializers.CharField(
        source="latest_decision.action", allow_null=True, default=None
    )


class TriggerSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    level = serializers.CharField()
    answers = serializers.ListField(child=serializers.DictField())


class FindingSerializer(serializers.Serializer):
    id = WholeNumberField()
    intake_id = WholeNumberField()
    level = serializers.CharField()
    evaluated_at = serializers.DateTimeField()
    triggers = TriggerSerializer(many=True)


class ReviewIntakeSerializer(IntakeOutputSerializer):
    client_id = WholeNumberField()
    level = serializers.CharField(allow_null=True)
    effective_level = serializers.CharField()
    open_findings = FindingSerializer(many=True)
    triggers = TriggerSerializer(many=True)
    areas = serializers.ListField(child=serializers.CharField())
    precautions = serializers.ListField(child=serializers.CharField())


class DecisionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ReviewAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    areas = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )


class DecisionOutputSerializer(serializers.Serializer):
    id = WholeNumberField()
    intake_id = WholeNumberField()
    action = serializers.CharField()
    note = serializers.CharField()
    areas = serializers.ListField(child=serializers.CharField())
    reviewer_id = WholeNumberField()
    decided_at = serializers.DateTimeField()
    booking_gate = serializers.CharField()
