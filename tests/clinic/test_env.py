from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.env import Env


@pytest.mark.parametrize(
    ("variable", "value", "reader"),
    [
        ("DEBUG", "maybe", lambda env: env.bool("DEBUG", default=False)),
        ("CLINIC_TIME_ZONE", "Mars/Olympus", lambda env: env.time_zone("CLINIC_TIME_ZONE", "UTC")),
        ("DATABASE_URL", "mysql://x@y/z", lambda env: env.database("DATABASE_URL", "sqlite://")),
        ("REDIS_URL", "http://127.0.0.1", lambda env: env.redis_url("REDIS_URL")),
        ("EMAIL_PORT", "twenty-five", lambda env: env.int("EMAIL_PORT", 25)),
        ("SMS_BACKEND", "pigeon", lambda env: env.choice("SMS_BACKEND", "console", ["console"])),
    ],
)
def test_bad_value_names_the_variable(variable, value, reader):
    with pytest.raises(ImproperlyConfigured, match=variable):
        reader(Env({variable: value}))


def test_database_url_parses_postgres():
    config = Env({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unwind"}).database(
        "DATABASE_URL", "sqlite://"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "unwind"


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; settings.SECRET_KEY",
        ],
        env={"DJANGO_SETTINGS_MODULE": "clinic.settings", "DEBUG": "false", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CLINIC_TIME_ZONE", "Mars/Olympus"), ("REDIS_URL", "http://x"), ("EMAIL_PORT", "x")],
)
def test_manage_py_stops_with_a_message_naming_the_bad_variable(variable, value):
    import subprocess
    import sys
    from pathlib import Path

    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", variable: value}
    result = subprocess.run(
        [sys.executable, str(manage), "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
