"""Production settings refuse unsafe configurations; docker-compose.yml has the production shape.

Settings are read from the environment once per process, so each case runs `manage.py` in a fresh
subprocess under `coprod.settings` (manage.py's default), not the test settings.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
MAKE_ENV = REPO_ROOT / "deploy" / "make-env.sh"

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
    """What production configures (deploy/make-env.sh). `check --deploy` connects to neither
    database nor Redis."""
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


def read_settings(*names: str, env: dict[str, str]) -> dict[str, object]:
    """The values of settings `names` in a process started with `env` (and nothing else)."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout
    return json.loads(result.stdout.strip().splitlines()[-1])


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


def test_production_cookies_carry_the_host_prefix() -> None:
    production = read_settings(
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        env=production_env(),
    )

    assert production == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_production_sign_in_page_sets_a_host_prefixed_secure_cookie() -> None:
    """What a browser receives, not only what the settings say: a __Host- cookie must be Secure,
    for Path=/ and with no Domain, or the browser drops it."""
    # Plain static storage: the manifest is built by collectstatic, after the tests in CI.
    script = (
        "from django.test import Client; from django.test.utils import override_settings; "
        "plain = {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}; "
        "storages = {'default': plain, 'staticfiles': plain}\n"
        "with override_settings(STORAGES=storages):\n"
        "    r = Client().get('/accounts/login/', secure=True, HTTP_HOST='coprod.example.org')\n"
        "print(r.status_code); print(r.cookies.output())"
    )

    result = run_manage("shell", "--no-imports", "-c", script, env=production_env())

    lines = result.stdout.strip().splitlines()
    assert "200" in lines, result.stdout
    (csrf,) = [line for line in lines if "csrftoken" in line]
    assert csrf.startswith("Set-Cookie: __Host-csrftoken=")
    assert ("Secure" in csrf, "Path=/" in csrf, "Domain" in csrf) == (True, True, False)


def test_development_cookies_are_not_prefixed_because_they_are_not_secure() -> None:
    development = read_settings(
        "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", env={**production_env(), "DJANGO_DEBUG": "1"}
    )

    assert development == {"SESSION_COOKIE_NAME": "sessionid", "CSRF_COOKIE_NAME": "csrftoken"}


def test_test_settings_cookie_names_match_their_security(settings) -> None:
    prefixed = {
        name: value.startswith("__Host-")
        for name, value in (
            ("session", settings.SESSION_COOKIE_NAME),
            ("csrf", settings.CSRF_COOKIE_NAME),
        )
    }

    assert prefixed == {
        "session": settings.SESSION_COOKIE_SECURE,
        "csrf": settings.CSRF_COOKIE_SECURE,
    }


@pytest.mark.parametrize(("raw", "expected"), [(None, 0), ("1", 1), ("2", 2)])
def test_trusted_proxy_count_is_read_from_the_environment(raw, expected) -> None:
    env = production_env()
    if raw is not None:
        env["COPROD_TRUSTED_PROXY_COUNT"] = raw

    assert read_settings("ALLAUTH_TRUSTED_PROXY_COUNT", env=env) == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": expected
    }


def test_negative_trusted_proxy_count_refuses_to_start() -> None:
    env = {**production_env(), "COPROD_TRUSTED_PROXY_COUNT": "-1"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "COPROD_TRUSTED_PROXY_COUNT must be 0 or more" in result.stdout


def test_production_hashes_passwords_with_argon2() -> None:
    code = "from django.contrib.auth.hashers import make_password; print(make_password('a pass'))"

    result = run_manage("shell", "-c", code, env=production_env())

    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("argon2$argon2id$")


# --- docker-compose.yml with the configuration deploy/make-env.sh writes ---------------------

SECRETS = frozenset(
    {
        "DJANGO_SECRET_KEY",
        "COPROD_FIELD_ENCRYPTION_KEY",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "POSTGRES_PASSWORD",
        "COPROD_DB_OWNER_PASSWORD",
        "COPROD_DB_APP_PASSWORD",
        "REDIS_PASSWORD",
    }
)
WEB_SECRETS = {
    "DJANGO_SECRET_KEY",
    "COPROD_FIELD_ENCRYPTION_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
}


def read_env_file(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Path:
    """A directory configured by deploy/make-env.sh, as an operator would."""
    if shutil.which("openssl") is None:
        pytest.skip("deploy/make-env.sh needs openssl")
    root = tmp_path_factory.mktemp("deployment")
    result = subprocess.run(  # noqa: S603
        ["sh", str(MAKE_ENV), "coprod.example.org", str(root)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root


def service_env(deployment: Path, name: str) -> dict[str, str]:
    """The environment Compose gives service `name`: its env files in order, then `environment`."""
    service = load_compose()["services"][name]
    env_files = service.get("env_file") or []
    env: dict[str, str] = {}
    for env_file in [env_files] if isinstance(env_files, str) else env_files:
        env.update(read_env_file(deployment / env_file))
    env.update({key: str(value) for key, value in (service.get("environment") or {}).items()})
    return env


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("proxy", set()),
        ("web", WEB_SECRETS),
        ("migrate", WEB_SECRETS),
        ("worker", WEB_SECRETS - {"DJANGO_SECRET_KEY"} | {"EMAIL_URL"}),
        ("beat", {"DATABASE_URL", "CELERY_BROKER_URL"}),
        ("postgres", {"POSTGRES_PASSWORD", "COPROD_DB_OWNER_PASSWORD", "COPROD_DB_APP_PASSWORD"}),
        ("redis", {"REDIS_PASSWORD"}),
    ],
)
def test_compose_gives_each_service_only_the_secrets_it_needs(deployment, service, expected):
    assert SECRETS & set(service_env(deployment, service)) == expected


def test_compose_passwords_match_between_the_services(deployment):
    web, worker, beat, migrate = (
        service_env(deployment, name) for name in ("web", "worker", "beat", "migrate")
    )
    postgres, redis = service_env(deployment, "postgres"), service_env(deployment, "redis")
    app_database, owner_database = urlsplit(web["DATABASE_URL"]), urlsplit(migrate["DATABASE_URL"])
    redis_urls = [urlsplit(env["CELERY_BROKER_URL"]) for env in (web, worker, beat)] + [
        urlsplit(env["REDIS_URL"]) for env in (web, worker)
    ]

    assert (app_database.username, app_database.password) == (
        postgres["COPROD_DB_APP_ROLE"],
        postgres["COPROD_DB_APP_PASSWORD"],
    )
    assert (owner_database.username, owner_database.password) == (
        postgres["COPROD_DB_OWNER"],
        postgres["COPROD_DB_OWNER_PASSWORD"],
    )
    assert migrate["COPROD_DB_APP_ROLE"] == postgres["COPROD_DB_APP_ROLE"]
    assert {url.password for url in redis_urls} == {redis["REDIS_PASSWORD"]}
    assert worker["DATABASE_URL"] == beat["DATABASE_URL"] == web["DATABASE_URL"]
    assert worker["COPROD_FIELD_ENCRYPTION_KEY"] == web["COPROD_FIELD_ENCRYPTION_KEY"]


def test_compose_web_configuration_passes_the_deploy_check(deployment):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=service_env(deployment, "web")
    )

    assert result.returncode == 0, result.stdout


def test_compose_web_trusts_the_proxy_and_uses_host_prefixed_cookies(deployment):
    web = read_settings(
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        env=service_env(deployment, "web"),
    )

    assert web == {
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
    }


def test_caddy_is_the_one_proxy_the_web_service_trusts():
    services = load_compose()["services"]
    caddyfile = (REPO_ROOT / "deploy" / "Caddyfile").read_text().splitlines()

    published = [name for name, service in services.items() if service.get("ports")]
    directives = [line.split()[0] for line in caddyfile if line.strip() and "#" not in line[:2]]

    assert published == ["proxy"]
    assert "trusted_proxies" not in directives
    assert services["web"]["environment"]["COPROD_TRUSTED_PROXY_COUNT"] == "1"


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_compose_worker_and_beat_start_without_the_secret_key_and_refuse_to_sign(
    deployment, service
):
    code = (
        "from django.core import signing\n"
        "try:\n    signing.dumps('x')\n"
        "except Exception as error:\n    print(type(error).__name__, error)"
    )

    result = run_manage("shell", "-c", code, env=service_env(deployment, service))

    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1] == (
        "ImproperlyConfigured The SECRET_KEY setting must not be empty."
    )


def test_compose_migrate_grants_the_app_role_after_migrating():
    services = load_compose()["services"]
    command = " ".join(command_words(services["migrate"]))
    mounts = services["postgres"]["volumes"]

    assert command.index("migrate --no-input") < command.index("grant_app_privileges")
    assert "./deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/10-coprod-roles.sh:ro" in (
        mounts
    )


def test_compose_migrate_syncs_the_declared_periodic_tasks_after_migrating():
    command = " ".join(command_words(load_compose()["services"]["migrate"]))

    assert command.index("migrate --no-input") < command.index("sync_periodic_tasks")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_compose_redis_refuses_clients_without_the_password(tmp_path):
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        pytest.skip("needs redis-server and redis-cli")
    _sh, _c, script = load_compose()["services"]["redis"]["command"]
    port = str(free_port())
    # The compose command as it is, on a free port and in a scratch directory.
    script = script.replace("$$", "$").replace(
        "redis-server -", f"redis-server - --port {port} --dir {tmp_path}", 1
    )
    server = subprocess.Popen(  # noqa: S603
        ["sh", "-c", script],  # noqa: S607
        env={**os.environ, "REDIS_PASSWORD": "compose-test-password"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def ping(password: str | None) -> str:
        env = {**os.environ, **({"REDISCLI_AUTH": password} if password else {})}
        return subprocess.run(  # noqa: S603
            ["redis-cli", "-p", port, "ping"],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()

    try:
        for _ in range(50):
            if ping("compose-test-password") == "PONG":
                break
            time.sleep(0.1)
        answers = (ping(None), ping("compose-test-password"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert answers == ("NOAUTH Authentication required.", "PONG")


def test_secrets_stay_out_of_git_and_the_image():
    gitignore = (REPO_ROOT / ".gitignore").read_text().splitlines()
    dockerignore = (REPO_ROOT / ".dockerignore").read_text().splitlines()

    assert {"/.env", "/env/"} <= set(gitignore)
    assert {".env", "env/"} <= set(dockerignore)
