"""Production settings refuse unsafe configurations; docker-compose.yml has the production shape.

Settings are read from the environment once per process, so each case runs `manage.py` in a fresh
subprocess under `coprod.settings` (manage.py's default), not the test settings.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"

# Anything that configures coprod, Django or Celery is dropped from the inherited environment, so
# that each test sees only what it sets (CI exports several of these for the rest of the suite).
CONFIG_PREFIXES = ("DJANGO_", "COPROD_", "CELERY_")
CONFIG_NAMES = frozenset(
    {"DATABASE_URL", "DATABASE_CONN_MAX_AGE", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"}
)
SERVICE_CHECKS = {
    "CELERY_BROKER_URL": "coprod.E001",
    "REDIS_URL": "coprod.E002",
    "COPROD_FIELD_ENCRYPTION_KEY": "coprod.E003",
    "DATABASE_URL": "coprod.E004",
}


def production_env() -> dict[str, str]:
    """What deploy/env.example asks for. `check --deploy` connects to neither database nor Redis."""
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "coprod.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://coprod.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/coprod",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_URL": "smtp+tls://mailer:password@smtp.example.org:587",
        "DEFAULT_FROM_EMAIL": "no-reply@coprod.example.org",
        "COPROD_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "COPROD_EXIT_URL": "https://www.bbc.co.uk/weather",
    }


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_SETTINGS_MODULE"
        and name not in CONFIG_NAMES
        and not name.startswith(CONFIG_PREFIXES)
    }
    # Fixed commands from this file, not outside input.
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**inherited, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


def load_compose() -> dict:
    yaml = pytest.importorskip("ruamel.yaml", reason="ruamel.yaml comes with check-jsonschema")
    # The safe loader resolves the `<<: *app` merge keys the way Compose does.
    return yaml.YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text())


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else command


def test_check_deploy_full_production_env_passes() -> None:
    env = production_env()

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout
    assert "WARNING" not in result.stdout
    assert "ERROR" not in result.stdout


@pytest.mark.parametrize(("missing", "check_id"), SERVICE_CHECKS.items())
def test_check_deploy_missing_production_service_fails(missing: str, check_id: str) -> None:
    env = production_env()
    del env[missing]

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert check_id in result.stdout
    # Each variable maps to its own check: no other coprod check fires.
    other_ids = set(SERVICE_CHECKS.values()) - {check_id}
    assert not [other for other in other_ids if other in result.stdout], result.stdout


def test_settings_production_without_secret_key_refuses_to_start() -> None:
    env = production_env()
    del env["DJANGO_SECRET_KEY"]

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stdout


def test_settings_bad_boolean_refuses_to_start() -> None:
    env = {**production_env(), "DJANGO_DEBUG": "maybe"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stdout
    assert "ImproperlyConfigured" in result.stdout


def test_compose_file_matches_compose_spec() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    if not checker.exists():
        pytest.skip(f"check-jsonschema is not installed next to {sys.executable}")

    result = subprocess.run(  # noqa: S603
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout


def test_compose_file_runs_exactly_one_beat() -> None:
    services = load_compose()["services"]

    beats = [name for name, service in services.items() if "beat" in command_words(service)]

    assert beats == ["beat"]
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_compose_file_long_running_services_have_healthchecks() -> None:
    services = load_compose()["services"]

    unchecked = [
        name
        for name in ("proxy", "web", "worker", "beat", "postgres", "redis")
        if not services[name].get("healthcheck", {}).get("test")
        or services[name]["healthcheck"].get("disable")
    ]

    assert unchecked == []
    assert "http://127.0.0.1:8000/healthz/" in services["web"]["healthcheck"]["test"]


def test_compose_file_app_services_wait_for_migrations() -> None:
    services = load_compose()["services"]

    conditions = {
        name: services[name]["depends_on"].get("migrate", {}).get("condition")
        for name in ("web", "worker", "beat")
    }

    assert conditions == dict.fromkeys(conditions, "service_completed_successfully")
