"""System checks that refuse settings which lose, repeat or leak data: most at deploy time
(`manage.py check --deploy`), the delivery timings always."""

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


@register()
def check_delivery_timings(app_configs: object = None, **kwargs: object) -> list[Error]:
    """The mail timeout, the task time limits, the broker's visibility timeout and the outbox's
    stale-claim window work only in this order (coprod/settings.py says why): a slow task must
    never be taken for a dead one, or its message is sent twice."""
    from coprod.services.notifications import DISPATCH_TIME_BUDGET

    email_timeout = settings.EMAIL_TIMEOUT
    soft = settings.CELERY_TASK_SOFT_TIME_LIMIT
    hard = settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout")
    stale = settings.COPROD_NOTIFICATION_STALE_CLAIM
    if None in (email_timeout, soft, hard, visibility):
        return [
            Error(
                "EMAIL_TIMEOUT, CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT and the "
                "broker's visibility_timeout must all be set: without them a stuck send holds "
                "its message, or a killed worker's tasks wait an hour.",
                id="coprod.E005",
            )
        ]
    sweep = DISPATCH_TIME_BUDGET.total_seconds() + 4 * email_timeout
    relations = [
        (email_timeout < soft, f"EMAIL_TIMEOUT ({email_timeout} s) < soft time limit ({soft} s)"),
        (
            sweep <= soft,
            f"a sweep's budget plus one slow send ({sweep:g} s) <= soft time limit ({soft} s)",
        ),
        (soft < hard, f"soft time limit ({soft} s) < time limit ({hard} s)"),
        (hard < visibility, f"time limit ({hard} s) < broker visibility_timeout ({visibility} s)"),
        (hard < stale, f"time limit ({hard} s) < COPROD_NOTIFICATION_STALE_CLAIM ({stale} s)"),
    ]
    return [
        Error(
            f"Delivery timings out of order: {relation} does not hold.",
            hint="Choose them together, as coprod/settings.py explains.",
            id="coprod.E005",
        )
        for holds, relation in relations
        if not holds
    ]
