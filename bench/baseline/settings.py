"""Settings of the bare baseline: plain Django, the bare minimum of middleware, the database from BASELINE_DATABASE_URL.

Same PostgreSQL server as the app under test, its own database. No sessions, no auth, no Fayuan middleware: the
point is to measure what Django, gunicorn and PostgreSQL cost on their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

_url = urlsplit(os.environ.get("BASELINE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fayuan_baseline"))

SECRET_KEY = "bench-baseline-not-secret"  # noqa: S105 (a loopback benchmark, nothing to protect)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "bench.baseline"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "bench.baseline.urls"
WSGI_APPLICATION = "bench.baseline.wsgi.application"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [Path(__file__).resolve().parent / "templates"], "APP_DIRS": False, "OPTIONS": {}}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": _url.path.lstrip("/"), "USER": _url.username or "postgres",
    "PASSWORD": _url.password or "", "HOST": _url.hostname or "127.0.0.1", "PORT": str(_url.port or 5432),
    # The same persistence as the app under test (config/settings.py keeps connections for CONN_MAX_AGE).
    "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True,
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
