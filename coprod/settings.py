"""coprod settings: one module, configured by environment variables.

DEBUG defaults to off. With DEBUG off a secret key must be set. `make run` sets the development
values explicitly; production sets the variables listed in the README.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def env_bool(name: str, *, default: bool) -> bool:
    """Read a boolean strictly: a typo must not silently turn a security setting off."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, *, default: int) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = env.str(name, default="")
    if raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
# Celery workers and beat sign nothing, so production runs them without the key (deploy/README.md):
# with COPROD_WITHOUT_SECRET_KEY on, the key stays empty and Django refuses any use of it, loudly.
if not SECRET_KEY and not env_bool("COPROD_WITHOUT_SECRET_KEY", default=False):
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (production) or set DJANGO_DEBUG=1 (development)."
        )
    SECRET_KEY = "development-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Fernet key(s) for secrets in the database (TOTP secrets, restricted fields, message bodies).
# Several keys, comma-separated, allow rotation: the first encrypts, all decrypt.
COPROD_FIELD_ENCRYPTION_KEY = env.str("COPROD_FIELD_ENCRYPTION_KEY", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "auditlog",
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "csp",
    "coprod",
    "partnerships",
    "recruitment",
    "funding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coprod.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coprod.middleware.StaffMFARequiredMiddleware",
    "coprod.middleware.NoStoreForSignedInMiddleware",
    "coprod.audit.AuditActorMiddleware",
]

ROOT_URLCONF = "coprod.urls"
WSGI_APPLICATION = "coprod.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coprod.context_processors.coprod",
            ],
        },
    }
]

# Database: SQLite by default (embedded), PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / '.dev' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DATABASE_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared Redis when REDIS_URL is set (rate limits need a shared cache); else a per-process
# memory cache, which the deploy checks refuse in production.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coprod",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache and written through to the database (coprod.sessions), in a
# table that knows whose each session is, so that a login can be signed out everywhere; the idle
# timeout and absolute lifetime are ours (coprod.middleware.IdleSessionTimeoutMiddleware), the
# cookie age is a ceiling.
SESSION_ENGINE = "coprod.sessions"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
COPROD_STAFF_IDLE_TIMEOUT = 30 * 60
COPROD_MEMBER_IDLE_TIMEOUT = 2 * 60 * 60
# However active a session is, it ends this long after signing in.
COPROD_STAFF_SESSION_LIFETIME = 8 * 60 * 60
COPROD_MEMBER_SESSION_LIFETIME = 12 * 60 * 60

AUTH_USER_MODEL = "coprod.User"
# Django's and allauth's, each fetching the signed-in login with its person (coprod.auth_backends).
AUTHENTICATION_BACKENDS = [
    "coprod.auth_backends.ModelBackend",
    "coprod.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and the common-password list; no composition rules (NCSC and NIST advice).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, verification is mandatory, no account enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "coprod.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "coprod.account_forms.LoginForm",
    "signup": "coprod.account_forms.SignupForm",
    "reset_password": "coprod.account_forms.ResetPasswordForm",
}
ACCOUNT_RATE_LIMITS = {
    # Stated here rather than left to allauth's default: after 5 failed sign-ins an account is
    # locked for 5 minutes, and one address may fail 10 times a minute.
    "login_failed": "10/m/ip,5/300s/key",
}
# The per-address limits above count the client's address. Behind proxies every request comes
# from the nearest proxy, and one person's failed sign-ins would lock everyone out, so allauth reads
# the address from X-Forwarded-For instead: the entry this many places from the right, which our
# outermost proxy wrote (each proxy adds the address it was sent the request from; what a client
# wrote itself sits further left and is ignored). 0: served directly, X-Forwarded-For is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("COPROD_TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("COPROD_TRUSTED_PROXY_COUNT must be 0 or more.")
MFA_ADAPTER = "coprod.adapters.MFAAdapter"
MFA_FORMS = {
    # allauth's code forms, logging a lockout as a security event (coprod.security_events).
    "authenticate": "coprod.account_forms.MFAAuthenticateForm",
    "reauthenticate": "coprod.account_forms.MFAReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("COPROD_TOTP_ISSUER", default="coprod")
MFA_REAUTHENTICATION_REQUIRED = True

# django-guardian: our user model has no username, so there is no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-auditlog: values are redacted whole (its default mask keeps half the value); coprod.audit
# says which values are kept and sets the actor. Related objects are recorded by id, never by name,
# and no request header reaches the audit rows (cid names the process acting: coprod.audit).
AUDITLOG_MASK_CALLABLE = "coprod.audit.redact"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_USE_FK_STRING_REPRESENTATION = False
AUDITLOG_CID_HEADER = None

# Forms: GOV.UK Frontend markup through crispy-forms-gds.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (the production image: /app/staticfiles); `make bench` uses its own.
STATIC_ROOT = Path(env.str("COPROD_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: every message goes through coprod's outbox first (coprod.services.notifications).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
# Seconds the SMTP connection waits for the mail server at each step (connecting, each command).
# Without it a server that stops answering holds a worker, and the message it claimed, for ever.
# Chosen with the Celery time limits below.
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: no loss and no duplicates. Eager (in-process) when no broker is configured.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Delivery timings, chosen together (README "Delivery when a worker dies"; coprod.checks refuses
# them out of order). A message is claimed (queued -> sending), handed to the mail server, and
# marked sent as soon as the server has accepted it. A worker killed in between leaves it
# "sending"; the sweep (every minute) re-queues a claim older than the stale window and sends it
# again, with the same Message-ID. Separately, the broker hands a task it saw no acknowledgement
# for to another worker once the visibility timeout has passed. Neither may happen to a task that
# can still be running, so:
#   EMAIL_TIMEOUT (30 s: each step of the SMTP conversation)
#   < CELERY_TASK_SOFT_TIME_LIMIT (4 min: the task is interrupted; a send in progress counts as a
#     failed attempt and is retried later). It is what really bounds a send: the mail timeout
#     applies to each wait of the SMTP conversation, of which there are eight to ten. It leaves
#     room for what one task takes on: one message, or for the sweep DISPATCH_TIME_BUDGET (2 min,
#     after which it takes no new message) plus a slow send in progress (coprod.checks asks for
#     two minutes, four waits of EMAIL_TIMEOUT; a slower one is interrupted, not sent twice).
#   < CELERY_TASK_TIME_LIMIT (5 min: the worker kills the task; nothing of ours runs longer)
#   < the visibility timeout (6 min; its clock starts when a worker takes the task, which with a
#     prefetch of one per process and late acknowledgement is when the task starts)
#   and < COPROD_NOTIFICATION_STALE_CLAIM (6 min; the minute above the time limit allows for
#     the clocks of different machines: the claim time is one worker's, the sweep's another's).
# So a dead worker's messages go again within about 7 minutes (stale window, then the next
# sweep), and its other tasks come back after the visibility timeout plus Redis's restore cycle
# (up to 100 s), not after Redis's default hour. Tests shorten the stale window (its variable).
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 60}
COPROD_NOTIFICATION_STALE_CLAIM = env_int("COPROD_NOTIFICATION_STALE_CLAIM", default=6 * 60)
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Keep our logging (with its personal-data filter) in workers: by default Celery replaces it.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Security headers. The app runs behind a TLS-terminating reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# A __Host- cookie is accepted by browsers only when Secure, for Path=/ and without a Domain, so no
# other host (a subdomain, or a plain-HTTP page) can set or overwrite it. Only when the cookies are
# Secure: a browser drops a __Host- cookie that is not.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment for the whole domain that the operator makes, not the app.
    "security.W021",
]

# django-csp 4: every request goes to our own host; the one inline script carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE is django-csp's marker object (the string "'nonce'" would be sent as is, and
        # browsers would block the inline script).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # allauth shows the TOTP QR code as a data: image.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# "Exit this page" leaves for a neutral site.
COPROD_EXIT_URL = env.str("COPROD_EXIT_URL", default="https://www.bbc.co.uk/weather")
COPROD_SUPPORT_PHONE = env.str("COPROD_SUPPORT_PHONE", default="08000 121 700")
COPROD_SUPPORT_EMAIL = env.str("COPROD_SUPPORT_EMAIL", default="support@example.org")
COPROD_INVITATION_DAYS = 7

# Honoraria (recruitment): a claim is to be paid within this many days of its engagement, and
# staff are warned when a person's fees in a tax year (6 April to 5 April) pass this many pounds
# (the default is HMRC's trading allowance; benefits advice may set a lower limit for a person).
COPROD_HONORARIA_PAY_WITHIN_DAYS = env_int("COPROD_HONORARIA_PAY_WITHIN_DAYS", default=14)
COPROD_HONORARIA_YEAR_WARNING = env_int("COPROD_HONORARIA_YEAR_WARNING", default=1000)
if COPROD_HONORARIA_PAY_WITHIN_DAYS < 0 or COPROD_HONORARIA_YEAR_WARNING < 0:
    raise ImproperlyConfigured("The COPROD_HONORARIA_* settings must be 0 or more.")

# Where the site is, for links in messages sent by tasks (no request to build them from), such as
# the staff reminders. Without it those messages carry the path only.
COPROD_SITE_URL = env.str("COPROD_SITE_URL", default="").rstrip("/")
if COPROD_SITE_URL and not COPROD_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("COPROD_SITE_URL must start with https:// (or http://).")

# Receipts people attach to their claims (recruitment.models.ClaimReceipt): kept outside every
# folder the web server or WhiteNoise serves (never under static/ or a public media root), and
# served only through a view that checks who may see the claim. Production points this at a
# private volume; the default is the project's own .dev folder (not in git).
COPROD_RECEIPTS_ROOT = Path(
    env.str("COPROD_RECEIPTS_ROOT", default=str(BASE_DIR / ".dev" / "receipts"))
)
# The largest receipt accepted, in bytes (5 MB: a phone photo or a scanned page).
COPROD_RECEIPT_MAX_BYTES = env_int("COPROD_RECEIPT_MAX_BYTES", default=5 * 1024 * 1024)
if COPROD_RECEIPT_MAX_BYTES < 1:
    raise ImproperlyConfigured("COPROD_RECEIPT_MAX_BYTES must be 1 or more.")
if COPROD_RECEIPTS_ROOT.resolve().is_relative_to(STATIC_ROOT.resolve()) or any(
    COPROD_RECEIPTS_ROOT.resolve().is_relative_to(Path(folder).resolve())
    for folder in STATICFILES_DIRS
):
    raise ImproperlyConfigured("COPROD_RECEIPTS_ROOT must not be inside a served static folder.")

# Files researchers attach to their proposals (funding.models.ProposalAttachment): like receipts,
# outside every served folder, sent only by a view that checks who may see the proposal.
COPROD_PROPOSAL_FILES_ROOT = Path(
    env.str("COPROD_PROPOSAL_FILES_ROOT", default=str(BASE_DIR / ".dev" / "proposal-files"))
)
# The largest attachment accepted, in bytes (10 MB).
COPROD_PROPOSAL_FILE_MAX_BYTES = env_int("COPROD_PROPOSAL_FILE_MAX_BYTES", default=10 * 1024 * 1024)
if COPROD_PROPOSAL_FILE_MAX_BYTES < 1:
    raise ImproperlyConfigured("COPROD_PROPOSAL_FILE_MAX_BYTES must be 1 or more.")
if COPROD_PROPOSAL_FILES_ROOT.resolve().is_relative_to(STATIC_ROOT.resolve()) or any(
    COPROD_PROPOSAL_FILES_ROOT.resolve().is_relative_to(Path(folder).resolve())
    for folder in STATICFILES_DIRS
):
    raise ImproperlyConfigured("COPROD_PROPOSAL_FILES_ROOT must not be inside a served folder.")

# Partnership documents and library files (partnerships.models: agreements, resources): like
# proposal files, outside every served folder, sent only by a view that checks who may see them.
COPROD_PARTNERSHIP_FILES_ROOT = Path(
    env.str("COPROD_PARTNERSHIP_FILES_ROOT", default=str(BASE_DIR / ".dev" / "partnership-files"))
)
if COPROD_PARTNERSHIP_FILES_ROOT.resolve().is_relative_to(STATIC_ROOT.resolve()) or any(
    COPROD_PARTNERSHIP_FILES_ROOT.resolve().is_relative_to(Path(folder).resolve())
    for folder in STATICFILES_DIRS
):
    raise ImproperlyConfigured("COPROD_PARTNERSHIP_FILES_ROOT must not be inside a served folder.")
# "You said, we did": open items older than this many days are flagged to the partnership's lead.
COPROD_YOU_SAID_FLAG_AFTER_DAYS = env_int("COPROD_YOU_SAID_FLAG_AFTER_DAYS", default=60)
if COPROD_YOU_SAID_FLAG_AFTER_DAYS < 1:
    raise ImproperlyConfigured("COPROD_YOU_SAID_FLAG_AFTER_DAYS must be 1 or more.")

# Logging: to stderr, without personal data (see coprod.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "coprod.logging.RedactPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
