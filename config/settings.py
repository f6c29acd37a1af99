"""Settings read from the environment, with an embedded default for every service."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from config import CONFIG_DIR

ROOT_DIR = CONFIG_DIR.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", ROOT_DIR / "instance"))
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused by ProductionConfig


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable, failing with a clear message."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from None


def default_queue(instance_dir: Path = INSTANCE_DIR) -> str:
    """Name this installation's queue after its instance folder: two checkouts never share."""
    digest = hashlib.sha256(str(instance_dir.resolve()).encode()).hexdigest()[:8]
    return f"tutor-match-{digest}"


def env_timezone(name: str, default: str) -> str:
    """Read an IANA timezone name (Europe/Rome), failing with a clear message."""
    value = os.environ.get(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"{name} must be a timezone such as Europe/Rome, got {value!r}"
        raise RuntimeError(message) from None
    return value


def celery_settings(broker_url: str) -> dict:
    """Return Celery settings tuned so a hung broker never blocks a web request."""
    return {
        "broker_url": broker_url,
        "task_ignore_result": True,
        "result_backend": None,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": os.environ.get("CELERY_QUEUE") or default_queue(),
        "include": ["workers.tasks", "workers.matching_tasks"],
        # A broker that accepts connections but never answers must fail in ~2 s.
        "broker_connection_timeout": 2,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "socket_timeout": 2,
            "socket_connect_timeout": 2,
            "visibility_timeout": 3600,
        },
        "redis_socket_timeout": 2,
        "redis_socket_connect_timeout": 2,
        "task_publish_retry": True,
        "task_publish_retry_policy": {
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "timezone": "Europe/Rome",
        "enable_utc": True,
    }


class Config:
    """Embedded defaults: SQLite under instance/, Redis if it answers, outbox mail."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tutor_match.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    # auto: a worker when Redis answers, otherwise in-process; or force "worker"/"inprocess".
    TASK_MODE = os.environ.get("TASK_MODE", "auto")
    CELERY = celery_settings(REDIS_URL)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Tutor Match <noreply@tutormatch.local>"
    )
    # The contact named in every email that belongs to no territory (sign-up, verification,
    # password reset, email change) and its Reply-To; a territory may name its own contact.
    CONTACT_NAME = os.environ.get("CONTACT_NAME", "Tutor Match")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "help@tutormatch.local")
    CONTACT_PHONE = os.environ.get("CONTACT_PHONE", "")
    # Where links in emails point (opt-out, verification ...); no trailing slash.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    # Delivery: exponential backoff with jitter between attempts, then "failed".
    NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)
    NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 30)
    NOTIFICATION_RETRY_MAX_SECONDS = env_int("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
    # A worker's claim on a row expires after this (it must exceed one SMTP send).
    NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300)
    # The beat job queues again rows that have been due for longer than this.
    NOTIFICATION_STALE_SECONDS = env_int("NOTIFICATION_STALE_SECONDS", 120)
    NOTIFICATION_REQUEUE_EVERY_SECONDS = env_int("NOTIFICATION_REQUEUE_EVERY_SECONDS", 60)
    SMTP_TIMEOUT_SECONDS = env_int("SMTP_TIMEOUT_SECONDS", 20)
    # Tutors with an active match and no meeting logged for this many weeks get a reminder.
    REMINDER_AFTER_WEEKS = env_int("REMINDER_AFTER_WEEKS", 3)

    BABEL_DEFAULT_LOCALE = "it"
    # Times are stored in UTC and shown in this timezone on every page.
    BABEL_DEFAULT_TIMEZONE = env_timezone("BABEL_DEFAULT_TIMEZONE", "Europe/Rome")
    LANGUAGES = ("it", "en")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "10 per hour")
    # Resending a verification link and asking for a password reset (each sends an email).
    EMAIL_LINK_RATE_LIMIT = os.environ.get("EMAIL_LINK_RATE_LIMIT", "5 per hour")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_HOURS", 12))
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token

    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-11")
    # Uploads (beneficiary imports): bigger requests get the friendly 413 page.
    MAX_CONTENT_LENGTH = env_int("MAX_UPLOAD_MB", 5) * 1024 * 1024
    IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
    RETENTION_DAYS = env_int("RETENTION_DAYS", 730)
    # Active matches with no meeting logged for this many weeks are flagged to the coordinator.
    MEETING_FLAG_WEEKS = env_int("MEETING_FLAG_WEEKS", 3)
    INSTANCE_DIR = INSTANCE_DIR
    TESTING = False
    DEBUG = False


class TestConfig(Config):
    """Tests: a database and Redis given by TEST_* variables, CSRF off for the test client."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # conftest points each test at its own database
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    TASK_MODE = "inprocess"
    CELERY = celery_settings(REDIS_URL)
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    """Production: PostgreSQL, Redis and SMTP from the environment; a real secret is required."""

    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    TASK_MODE = os.environ.get("TASK_MODE", "worker")

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a default or short SECRET_KEY."""
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEV_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "ProductionConfig needs SECRET_KEY: a random value of at least 32 characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("ProductionConfig needs DATABASE_URL (PostgreSQL)")


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}


def config_from_env() -> type[Config]:
    """Pick the settings class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, got {name!r}") from None
