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


def test_links_follow_the_port_when_site_url_is_unset():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import django; from django.conf import settings; print(settings.SITE_URL)"
    base = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "clinic.settings"}

    def site_url(**env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**base, **env},
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert site_url(PORT="18201") == "http://127.0.0.1:18201"
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="18201", SITE_URL="https://clinic.example.org/") == (
        "https://clinic.example.org"
    )


def test_make_run_gives_every_process_the_web_servers_address(tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    # Stand-ins for the venv's python and honcho: honcho reports the address it was given.
    for name, body in (("python", "exit 0"), ("honcho", 'echo "honcho SITE_URL=$SITE_URL"')):
        script = tmp_path / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "PORT=18201", f"BIN={tmp_path}", "STAMP="],
        env={"PATH": "/usr/bin:/bin"},
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Unwind is starting on http://127.0.0.1:18201/" in result.stdout
    # honcho passes its environment to web, worker and beat (and gives each its own PORT).
    assert "honcho SITE_URL=http://127.0.0.1:18201" in result.stdout
