"""Deploy-time checks (`manage.py check --deploy`): refuse settings that lose or leak data."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.db.DatabaseCache",
)


@register(Tags.security, deploy=True)
def check_production_services(app_configs: object = None, **kwargs: object) -> list[Error]:
    errors = []
    if settings.CELERY_TASK_ALWAYS_EAGER:
        errors.append(
            Error(
                "Celery runs tasks eagerly, inside web requests.",
                hint="Set CELERY_BROKER_URL to the Redis broker and run a worker and one beat.",
                id="coprod.E001",
            )
        )
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in SHARED_CACHES:
        errors.append(
            Error(
                f"The cache ({backend}) is not shared between processes: sign-in rate limits "
                "would not hold.",
                hint="Set REDIS_URL.",
                id="coprod.E002",
            )
        )
    if not settings.COPROD_FIELD_ENCRYPTION_KEY:
        errors.append(
            Error(
                "COPROD_FIELD_ENCRYPTION_KEY is not set: TOTP secrets and restricted fields "
                "cannot be stored encrypted.",
                hint="Generate a Fernet key and keep it apart from DJANGO_SECRET_KEY.",
                id="coprod.E003",
            )
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        errors.append(
            Error(
                "The database is SQLite, which is for development only.",
                hint="Set DATABASE_URL to PostgreSQL.",
                id="coprod.E004",
            )
        )
    return errors
