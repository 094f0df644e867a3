from __future__ import annotations

from typing import Any

import pytest

from intake import services
from intake.demo import scenario_answers
from intake.models import IntakeResponse


@pytest.fixture
def submit_intake(db: None):
    """Fill in and submit an intake for ``client`` from a demo scenario plus overrides."""

    def submit(client: Any, scenario: str = "clear", **overrides: Any) -> IntakeResponse:
        services.intake_start(client=client)
        answers = scenario_answers(scenario, **overrides)
        answers = {k: v for k, v in answers.items() if v is not None}
        services.intake_save_answers(client=client, answers=answers)
        return services.intake_submit(client=client)

    return submit
