"""The one settings module. Everything that differs between machines comes from the environment.

FAYUAN_ENV selects the profile:
- ``production`` (the default for WSGI/ASGI): refuses to start without SECRET_KEY, ALLOWED_HOSTS and the
  field-encryption keys; DEBUG stays off unless DEBUG=1 is set explicitly.
- ``development`` (``manage.py`` default, ``make run``): local-only fallback keys, clearly labelled.
- ``test``: like development, tuned for speed (fast hashers).
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

FAYUAN_ENV = os.environ.get("FAYUAN_ENV", "production")
if FAYUAN_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"FAYUAN_ENV must be production, development or test, not {FAYUAN_ENV!r}")
IS_PRODUCTION = FAYUAN_ENV == "production"


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _required(name: str, dev_fallback: str) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if IS_PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set in production (FAYUAN_ENV=production).")
    return dev_fallback


# Local-only fallbacks: these values are public, so data written with them is not protected.
SECRET_KEY = _required("SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production-0123456789")
DEBUG = _env_bool("DEBUG", default=FAYUAN_ENV == "development")
_hosts = _required("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]

# Field encryption (national ID numbers). FIELD_ENCRYPTION_KEYS is a comma-separated list of Fernet keys: the
# first encrypts, all decrypt (rotation). FIELD_HASH_KEY keys the HMAC used for exact lookup; it never rotates
# without a re-hash, so it is separate from the encryption keys.
FIELD_ENCRYPTION_KEYS = [
    k.strip()
    for k in _required("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE=").split(",")
    if k.strip()
]
FIELD_HASH_KEY = _required("FIELD_HASH_KEY", "dev-only-lookup-hash-key")

# Audit seals (fayuan.core.audit, docs/audit.md). AUDIT_SEAL_KEY keys the HMAC of each seal; it must live outside
# the database (the secret store), or whoever can rewrite the audit tables could re-seal them. A key in
# AUDIT_SEAL_RETIRED_KEYS (comma-separated) still verifies the seals it made, after a rotation. Each day the latest
# seal is appended to AUDIT_SEAL_EXPORT_PATH, a file the auditor keeps where the application cannot rewrite it
# (an append-only file, or one shipped off the host).
AUDIT_SEAL_KEY = _required("AUDIT_SEAL_KEY", "dev-only-audit-seal-key")
AUDIT_SEAL_RETIRED_KEYS = [k.strip() for k in os.environ.get("AUDIT_SEAL_RETIRED_KEYS", "").split(",") if k.strip()]
AUDIT_SEAL_EXPORT_PATH = Path(_required("AUDIT_SEAL_EXPORT_PATH", str(BASE_DIR / "var" / "audit-seals.jsonl")))
# Entries per seal, and how long one sealer run waits for transactions still writing entries below the point it
# seals to (it seals nothing beyond them rather than skip an entry that may yet commit).
AUDIT_SEAL_BATCH = int(os.environ.get("AUDIT_SEAL_BATCH", "5000"))
AUDIT_SEAL_WAIT_SECONDS = float(os.environ.get("AUDIT_SEAL_WAIT_SECONDS", "10"))

# Yearly partitions of the tables that only grow (PostgreSQL; fayuan.core.partitions, docs/capacity.md). A closed
# year may be frozen once it ended PARTITION_FREEZE_AFTER_YEARS years ago (late entries and corrections have
# stopped); its rows go to an archive file in PARTITION_ARCHIVE_DIR, which is kept with the backups (runbook).
PARTITION_FREEZE_AFTER_YEARS = int(os.environ.get("PARTITION_FREEZE_AFTER_YEARS", "2"))
PARTITION_ARCHIVE_DIR = Path(os.environ.get("PARTITION_ARCHIVE_DIR", str(BASE_DIR / "var" / "partition-archive")))

INSTALLED_APPS = [
    "fayuan.core.admin_apps.FayuanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "ninja",  # its Swagger UI assets, served locally (no CDN)
    "fayuan.core",
    "fayuan.accounts",
    "fayuan.org",
    "fayuan.people",
    "fayuan.places",
    "fayuan.notifications",
    "fayuan.deadlines",
    "fayuan.eligibility",
    "fayuan.consultations",
    "fayuan.registry",
    "fayuan.cases",
    "fayuan.criminal",
    "fayuan.duty",
    "fayuan.api",
    "fayuan.portal",
    "fayuan.stats",
    "fayuan.privacy",
    "fayuan.custody",
    "fayuan.meetings",
    "fayuan.typical_cases",
    "fayuan.quality",
    "fayuan.complaints",
    "fayuan.lawyer_team",
    "fayuan.outreach",
    "fayuan.bulletins",
    "fayuan.prison_visits",
    "fayuan.training",
    "fayuan.publicity",
    "fayuan.subsidies",
    "fayuan.jobs",
    "fayuan.demo",
    # After fayuan.core, whose ``db_worker`` (the library's worker plus a lease) takes precedence over theirs.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fayuan.core.middleware.RequestContextMiddleware",
    # After OTPMiddleware, the messages and the request context (the audit's client address): an office session
    # idle too long ends; one not yet past its second factor sees only the second step (or the enrolment).
    "fayuan.accounts.middleware.IdleTimeoutMiddleware",
    "fayuan.accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception runs first: a lost database or full disk is a 503, not a traceback.
    "fayuan.core.unavailable.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/office/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fayuan.accounts.context_processors.role",
                "fayuan.portal.context_processors.portal",
            ],
        },
    },
]

# The public site's absolute address, printed as a QR code on the contact cards handed out in villages (outreach).
FAYUAN_PUBLIC_URL = os.environ.get("FAYUAN_PUBLIC_URL", "https://fayuan.zhenjiang.gov.cn/").strip()

# --- Database: SQLite by default, PostgreSQL when DATABASE_URL is set -----------------------------------------
_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    _sqlite_path = Path(os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "fayuan.sqlite3")))
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_sqlite_path),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH") or None},
        }
    }
# A read replica for the statistical reports and the dashboards (streaming replication; docs/runbook.md):
# fayuan.core.replica routes the reads inside its ``reports_reads()`` block there, every write to ``default``.
# Tests get a mirror of the test database under the same alias, so that a test can route reports to it.
_replica_url = os.environ.get("REPLICA_DATABASE_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = {**dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True),
                            "TEST": {"MIRROR": "default"}}
elif FAYUAN_ENV == "test":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTS_DATABASE = "replica" if _replica_url else "default"
DATABASE_ROUTERS = ["fayuan.core.replica.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every app server and worker when CACHE_URL names a Redis server ---------------------------
# What counts across requests (the public self-check's rate limit, api/ratelimit.py) must count once for the whole
# installation: with the default per-process memory cache each gunicorn worker would count on its own. The check
# `fayuan.W010` asks for CACHE_URL in production.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "fayuan", "TIMEOUT": 300}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fayuan.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if FAYUAN_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never outside tests
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDRs, e.g. the nginx host). Empty: the peer
# address is the client. One reader for every use of the address: fayuan.core.client_ip.client_ip.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network.") from None

# Password sign-in lockout (fayuan.accounts.lockout; docs/signin.md): failures counted per account across
# addresses, per address across accounts, and per account and address; slowed down from the third failure of an
# account; every lock lifts after the cool-off; the per-account slow-down and lock spare an address the account
# signed in from within KNOWN_ADDRESS_DAYS, so nobody can lock a colleague out of their own desk.
SIGNIN_LOCKOUT = {
    "PER_ACCOUNT": int(os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT", "10")),
    "PER_ADDRESS": int(os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", "30")),
    "PER_ACCOUNT_AND_ADDRESS": int(os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", "5")),
    "THROTTLE_AFTER": 3,
    "THROTTLE_BASE_SECONDS": 5,
    "THROTTLE_MAX_SECONDS": 300,
    "KNOWN_ADDRESS_DAYS": 30,
}
AXES_HANDLER = "fayuan.accounts.lockout.SignInLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address", ["username", "ip_address"]]
AXES_FAILURE_LIMIT = 100  # the handler's score: the highest share (percent) of its own limit any count reached
AXES_COOLOFF_TIME = 0.5  # hours after the last failure counted
# A try refused by a lock is not counted again: a lock ends a cool-off after the failure that caused it, however
# often someone knocks on it meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # the handler resets the account's failures at that address only
AXES_ENABLED = _env_bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "fayuan.core.client_ip.client_ip"

# Two-factor sign-in (django-otp): every office account signs in with a TOTP code (or a recovery code) after the
# password; applicants use the portal's SMS sign-in instead. The issuer is the name an authenticator app shows.
OTP_TOTP_ISSUER = "法援平台"
OTP_STATIC_RECOVERY_CODES = 10
# Idle timeout: a session with no request for this long is signed out (office and public site separately). Tests
# travel through months of a case in one session, so there it is off unless a test sets it (the idle tests do).
_IDLE_OFF = str(10 * 365 * 86400) if FAYUAN_ENV == "test" else ""
OFFICE_IDLE_TIMEOUT_SECONDS = int(os.environ.get("OFFICE_IDLE_TIMEOUT_SECONDS", _IDLE_OFF or str(30 * 60)))
PORTAL_IDLE_TIMEOUT_SECONDS = int(os.environ.get("PORTAL_IDLE_TIMEOUT_SECONDS", _IDLE_OFF or str(2 * 3600)))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))  # outside the web root
STORAGES = {
    # Django's file system storage, minus the half-written file a full disk leaves (fayuan.core.storage).
    "default": {"BACKEND": "fayuan.core.storage.UploadStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Logging: never log request bodies or query strings of sensitive views; the audit log is the record of access.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# SMS: a dotted path to a backend class (fayuan.notifications.sms). Development logs messages (phone masked);
# production sends through Alibaba Cloud SMS (SMS_BACKEND=fayuan.notifications.aliyun.AliyunSMSBackend, docs/
# deployment.md). The secret comes from the environment only and is never logged or stored.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "fayuan.notifications.sms.LoggingSMSBackend")
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "").strip()
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "").strip()
SMS_ALIYUN_SIGN_NAME = os.environ.get("SMS_ALIYUN_SIGN_NAME", "").strip()
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "").strip() or "https://dysmsapi.aliyuncs.com"
SMS_ALIYUN_REGION = os.environ.get("SMS_ALIYUN_REGION", "").strip() or "cn-hangzhou"
SMS_ALIYUN_CONNECT_TIMEOUT = float(os.environ.get("SMS_ALIYUN_CONNECT_TIMEOUT", "5"))
SMS_ALIYUN_READ_TIMEOUT = float(os.environ.get("SMS_ALIYUN_READ_TIMEOUT", "10"))


def _json_object(name: str) -> dict[str, str]:
    raw = os.environ.get(name, "").strip() or "{}"
    try:
        value = json.loads(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a JSON object") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ImproperlyConfigured(f"{name} must be a JSON object of strings")
    return value


# Our template keys (fayuan/notifications/sms_templates.py) -> the provider's approved template codes, e.g.
# {"otp_code": "SMS_465000001", ...}; `manage.py sms_templates` lists what to register and what is missing.
SMS_ALIYUN_TEMPLATES = _json_object("SMS_ALIYUN_TEMPLATES")

# --- Background tasks (django-tasks) ---------------------------------------------------------------------------
# The database backend keeps the queue in the project's own database: the same code on SQLite and PostgreSQL, and
# any number of ``manage.py db_worker`` processes on any number of machines share it. Tests run each task at once
# (the immediate backend), as the code ran before there were tasks; the tests of the queue itself switch to the
# database backend and start real workers. TASKS_BACKEND=database lets such a worker run under test settings.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "immediate" if FAYUAN_ENV == "test" else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {_task_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}
# A worker renews its lease every quarter of this; a RUNNING task whose worker's lease lapsed is run again.
TASKS_WORKER_LEASE_SECONDS = int(os.environ.get("TASKS_WORKER_LEASE_SECONDS", "60"))
# Render each document's PDF in the background right after it is issued (the office still renders on first open
# when the worker has not got to it). Off in tests, which keep rendering on first open unless they turn it on.
DOCUMENTS_RENDER_AHEAD = _env_bool("DOCUMENTS_RENDER_AHEAD", default=FAYUAN_ENV != "test")

SILENCED_SYSTEM_CHECKS: list[str] = []

# The recipient registry (issue 13): agencies' files. An XLSX is held whole by its reader's zip index and is slow to
# stream, so a spreadsheet has a lower limit than a CSV (which streams line by line at any size).
REGISTRY_SPREADSHEET_MAX_BYTES = int(os.environ.get("REGISTRY_SPREADSHEET_MAX_BYTES", str(30 * 1024 * 1024)))
REGISTRY_CSV_MAX_BYTES = int(os.environ.get("REGISTRY_CSV_MAX_BYTES", str(1024 * 1024 * 1024)))
