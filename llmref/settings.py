"""LLM Reference settings: one module, every value from the environment (or a .env file)."""

from __future__ import annotations

import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file is a convenience for development; real deployments set the environment.
# ENV_FILE names another file, or none when empty (tests that check the defaults use that).
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE:
    env.read_env(ENV_FILE, overwrite=False)

# Off unless asked for: a forgotten variable must never expose tracebacks in production.
DEBUG = env.bool("DEBUG", default=False)

# Required in production; a throwaway key is acceptable only while DEBUG is on.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-not-secret")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The site's public address, for canonical links, og:url and sitemaps: never taken from the
# request's Host header, which a client chooses. Defaults to the first allowed host.
_default_host = next((h for h in ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")), "")
SITE_URL = env.str(
    "SITE_URL",
    default=f"{'https' if env.bool('HTTPS', default=False) else 'http'}://"
    f"{_default_host or 'localhost'}{':8000' if DEBUG and _default_host == '127.0.0.1' else ''}",
).rstrip("/")

# Where the editors' admin lives; move it off /admin/ to spare it most automated guessing.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    # The API's schema and interactive docs (self-hosted static files, no inline script).
    "ninja",
    "models_catalog",
    "comparisons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "llmref.middleware.PermissionsPolicyMiddleware",
    "llmref.middleware.SiteCSPMiddleware",
    # Above the page cache, so cached answers carry the frame header too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers cached public pages to readers without a session before the rest runs.
    "comparisons.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # CORS and ETag/304 for /api/, /data/, /feeds/ and /llms.txt.
    "comparisons.middleware.MachineReadableMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each admin change in the edit history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "llmref.urls"
WSGI_APPLICATION = "llmref.wsgi.application"

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
            ],
        },
    },
    {
        # The site's layout and the comparison pages (see comparisons/jinja.py): the pages
        # with the most markup of their own, drawn in a fraction of the Django engine's time.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "comparisons.jinja.environment",
            "trim_blocks": True,
            "lstrip_blocks": True,
        },
    },
]

# SQLite next to the code is the embedded default, so a newcomer needs no server.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Reuse connections across requests, but check them first so a restarted
    # database does not surface as an error on the next request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections but never answers must not hang every worker:
    # give up connecting after DB_CONNECT_TIMEOUT seconds, and let the server cancel any
    # statement running longer than DB_STATEMENT_TIMEOUT_MS (well inside gunicorn's timeout).
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
    _statement_ms = env.int("DB_STATEMENT_TIMEOUT_MS", default=15_000)
    _db_options["options"] = (
        f"{_db_options.get('options', '')} -c statement_timeout={_statement_ms}".strip()
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; CACHE_URL=redis://host:6379/0 shares the cache between hosts.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# CACHE_URL=redis://host:6379/0?key_prefix=site-a lets sites share one Redis; django-environ
# passes the parameter on under a name Django does not read.
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The cache only saves work: when Redis is down or slow, pages are computed again instead
    # of waiting (short socket timeouts) or failing (errors are logged and read as a miss).
    CACHES["default"]["BACKEND"] = "llmref.cache.FailSoftRedisCache"
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("socket_connect_timeout", env.float("CACHE_TIMEOUT", default=0.5))
    _cache_options.setdefault("socket_timeout", env.float("CACHE_TIMEOUT", default=0.5))

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out client is refused before its password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin logins: after AXES_FAILURE_LIMIT wrong passwords for one username from one client,
# that pair is locked out for AXES_COOLOFF_MINUTES (a 429 page); attempts are counted in the
# database, so every worker and host shares the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "llmref.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "llmref.client.client_address"
AXES_VERBOSE = False

if "locmem" in CACHES["default"]["BACKEND"].lower():
    # Pages are stored compressed (about 10 KB); this bounds each worker's memory.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 3000)

# Public pages: seconds a browser (max-age) and a shared cache such as a CDN (s-maxage) may
# reuse a page without asking; stale-while-revalidate lets a CDN answer while it refetches.
# The site's own cache is exact (keyed by the catalog version), whatever these say.
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", default=60)
PAGE_S_MAXAGE = env.int("PAGE_S_MAXAGE", default=300)
PAGE_STALE_WHILE_REVALIDATE = env.int("PAGE_STALE_WHILE_REVALIDATE", default=60)
# How long a rendered page is kept; a catalog write makes it unreachable sooner.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 3600)

# Pair-page views are counted in each process and written at most this often (0: at once).
VIEW_COUNT_FLUSH_SECONDS = env.int("VIEW_COUNT_FLUSH_SECONDS", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The site and its admin are in English only. Translation machinery would still be asked
# for the active language by every number and link a page renders (a sixth of a pair page).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Manifest storage needs collectstatic, which tests and runserver do not run.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# An entry whose last review is older than this is stale and joins the review queue.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=90)

# Readers' error reports accepted from one client per hour, and how many proxies in front of
# the site append to X-Forwarded-For (0: the client is REMOTE_ADDR).
REPORTS_PER_HOUR = env.int("REPORTS_PER_HOUR", default=5)
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Requests one client may make to /api/ per minute; past it the API answers 429.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)

# Share of input tokens in the blended price when the visitor chooses none (percent).
DEFAULT_INPUT_SHARE = env.int("DEFAULT_INPUT_SHARE", default=70)

# Production hardening, switched on by HTTPS=on when the site is served over TLS
# (usually behind a proxy that sets X-Forwarded-Proto).
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
# Preload lists are hard to leave, so joining one is a deliberate choice.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Load balancers probe /healthz over plain HTTP; a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Django's deploy check asks for preload; here it is the operator's choice (SECURE_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env.bool("BEHIND_PROXY", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Public pages run only the site's own scripts and styles: nothing inline, nothing injected.
# The admin gets a policy of its own (llmref.middleware.SiteCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Powerful browser features the site never uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)

LOGIN_URL = "admin:login"

# An admin save that changes offerings or scores inline records them, field by field, as the
# change reason of the model's history entry; that needs more than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; lockouts and failures are warnings.
    "loggers": {"axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")}},
}
