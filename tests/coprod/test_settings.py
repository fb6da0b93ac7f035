"""Settings helpers and the deploy checks, in process (test_deploy_settings.py runs them in a fresh
process under the production settings)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from coprod.checks import check_production_services
from coprod.models import FormDraft
from coprod.services import drafts
from coprod.settings import env_bool, env_int
from coprod.tasks import delete_stale_drafts
from tests.factories.core import make_user

REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def production_services(settings, monkeypatch):
    """Settings as in production: a broker, Redis, an encryption key, PostgreSQL."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = REDIS
    settings.COPROD_FIELD_ENCRYPTION_KEY = "a-key"
    # Overriding DATABASES through the settings fixture warns; only the engine name is read.
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    return settings


def error_ids() -> list[str]:
    return [error.id for error in check_production_services()]


def test_production_services_pass_the_deploy_check(production_services):
    assert error_ids() == []


@pytest.mark.parametrize(
    ("setting", "value", "error_id"),
    [
        ("CELERY_TASK_ALWAYS_EAGER", True, "coprod.E001"),
        ("CACHES", LOCMEM, "coprod.E002"),
        ("COPROD_FIELD_ENCRYPTION_KEY", "", "coprod.E003"),
    ],
    ids=["eager-celery", "local-cache", "no-encryption-key"],
)
def test_deploy_check_refuses_each_unsafe_service(production_services, setting, value, error_id):
    setattr(production_services, setting, value)

    assert error_ids() == [error_id]


def test_deploy_check_refuses_sqlite(production_services, monkeypatch):
    monkeypatch.setitem(
        production_services.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3"
    )

    assert error_ids() == ["coprod.E004"]


def test_deploy_check_reports_every_problem_at_once(production_services, monkeypatch):
    production_services.CELERY_TASK_ALWAYS_EAGER = True
    production_services.CACHES = LOCMEM
    production_services.COPROD_FIELD_ENCRYPTION_KEY = ""
    monkeypatch.setitem(
        production_services.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3"
    )

    assert error_ids() == ["coprod.E001", "coprod.E002", "coprod.E003", "coprod.E004"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("Yes", True), (" on ", True), ("0", False), ("FALSE", False), ("", True)],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("COPROD_TEST_FLAG", raw)

    assert env_bool("COPROD_TEST_FLAG", default=True) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("COPROD_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="COPROD_TEST_FLAG must be true or false"):
        env_bool("COPROD_TEST_FLAG", default=False)


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("COPROD_TEST_NUMBER", "ten")

    with pytest.raises(ImproperlyConfigured, match="COPROD_TEST_NUMBER must be a whole number"):
        env_int("COPROD_TEST_NUMBER", default=1)


@pytest.mark.django_db
def test_in_tests_a_queued_task_has_run_when_delay_returns():
    draft = FormDraft.objects.create(user=make_user(), path="/portal/profile/", data={"a": 1})
    FormDraft.objects.filter(pk=draft.pk).update(saved_at=timezone.now() - timedelta(days=3650))

    result = delete_stale_drafts.delay()

    assert result.get() == 1
    assert FormDraft.objects.filter(pk=draft.pk).exists() is False


def test_in_tests_a_failing_task_raises_in_the_caller(monkeypatch):
    def broken() -> int:
        raise RuntimeError("the service failed")

    monkeypatch.setattr(drafts, "delete_stale_drafts", broken)

    with pytest.raises(RuntimeError, match="the service failed"):
        delete_stale_drafts.delay()
