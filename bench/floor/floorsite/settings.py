"""The floor: the least a Django page can cost on this machine. No project middleware, no apps,
one view that runs one query and renders one small template. `make bench` serves it beside the
app, with the same gunicorn settings and the same PostgreSQL server."""

import os
from pathlib import Path

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "floorsite.urls"
WSGI_APPLICATION = "floorsite.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
    }
]
# The app's database and connection lifetime (coprod.settings: DATABASE_CONN_MAX_AGE, 60 s).
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
