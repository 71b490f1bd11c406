"""Settings for the bookshop, driven by environment variables.

Without any variables set the shop runs locally on a SQLite file with DEBUG off; `make run`
sets DEBUG=1 for local development. Every variable is listed in the README.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn a DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path) into
    a Django DATABASES entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. .../bookshop")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, and each statement a connection has run five
            # times kept prepared: the database plans it once instead of on every request
            # (most of its CPU time on the basket and checkout pages, bench/results/).
            # DATABASE_PREPARED=off turns that off, as a PgBouncer in transaction mode needs.
            "OPTIONS": {
                "server_side_binding": True,
                "prepare_threshold": None if os.environ.get("DATABASE_PREPARED") == "off" else 5,
            },
        }
    if scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative.db names a file beside manage.py; sqlite:////abs/path is absolute.
        path = path[1:] if path.startswith("//") else str(BASE_DIR / path.lstrip("/"))
        return sqlite_database(path)
    raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported")


def sqlite_database(path: str | Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # Writers take the lock when their transaction starts and wait for it rather
            # than failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

# The shop's identity, printed on every tax invoice (the seller's name, ABN and address
# are what the ATO requires of one) and in the shop's email; SHOP_URL is the address the
# customer reaches the shop at, for the links in its email. Production must give them;
# local development (DEBUG) falls back to these demo values, at the address `make run`
# serves (its PORT).
LOCAL_HOST = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
DEMO_SHOP = {
    "SHOP_NAME": "Bookshop Demo Pty Ltd",
    "SHOP_ABN": "53 004 085 616",
    "SHOP_ADDRESS": "1 Demo Lane\nMelbourne VIC 3000",
    "SHOP_EMAIL": "orders@bookshop.example",
    "SHOP_PHONE": "(03) 9000 0000",
    "SHOP_URL": f"http://{LOCAL_HOST}",
}


def shop_setting(name: str, *, required: bool) -> str:
    """SHOP_* from the environment; the demo value under DEBUG; without DEBUG, an error
    for a required one and "" for an optional one."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return DEMO_SHOP[name]
    if required:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off: the shop's tax invoices and email "
            "need it (set DEBUG=1 for local development)."
        )
    return ""


def shop_address(value: str) -> str:
    """A multi-line address, its lines given with newlines or a literal \\n (as an
    environment file writes them), tidied to one line each."""
    lines = (line.strip() for line in value.replace("\\n", "\n").splitlines())
    return "\n".join(line for line in lines if line)


def shop_url(value: str) -> str:
    """The shop's address, such as https://shop.example.com, without a trailing slash."""
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"SHOP_URL must be the shop's address, such as https://shop.example.com, not {value!r}"
        )
    return value.rstrip("/")


SHOP_NAME = shop_setting("SHOP_NAME", required=True)
SHOP_ABN = shop_setting("SHOP_ABN", required=True)
SHOP_ADDRESS = shop_address(shop_setting("SHOP_ADDRESS", required=True))
SHOP_EMAIL = shop_setting("SHOP_EMAIL", required=False)
SHOP_PHONE = shop_setting("SHOP_PHONE", required=False)
SHOP_URL = shop_url(shop_setting("SHOP_URL", required=True))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver leaves static files to WhiteNoise, as in production: Django's own static
    # view answers a path such as /static/%2e%2e/ with a bare 500.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # The Delivery, Returns, Privacy and Contact pages staff edit in admin (shop.pages);
    # flatpages needs the sites framework. Before the shop, whose admin takes FlatPage over.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "djmoney",
    "django_tasks",
    "django_tasks_db",
    "payments",
    # Customer accounts (sign-up, email verification, password reset): allauth's account
    # app only, no social sign-in; shop.accounts holds its adapter and the account pages.
    "allauth",
    "allauth.account",
    "jobs",
    "catalogue",
    "shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shop.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "shop.holes.HolesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so that the pages it renders have their holes filled like any other.
    "shop.middleware.LocalErrorPagesMiddleware",
]

ROOT_URLCONF = "bookshop.urls"
# The one Site the shop's flatpages belong to (its domain is only for admin's "View on site";
# pages and the sitemap use the address each request came to).
SITE_ID = 1
WSGI_APPLICATION = "bookshop.wsgi.application"

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
    # The pages drawn afresh for every customer (basket, checkout): see shop/jinja2.py.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "shop.jinja2.environment"},
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_database(BASE_DIR / "db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-au"
TIME_ZONE = "Australia/Sydney"
# The shop speaks one language, Australian English. Without translation machinery every
# rendered value skips a per-thread language lookup; dates and numbers still take
# en-au's formats from LANGUAGE_CODE.
USE_I18N = False
USE_TZ = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by WhiteNoise; `collectstatic` builds them (make serve).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# With DEBUG on, WhiteNoise finds static files where they are, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded ONIX feeds wait here for their import job: private, never under MEDIA_ROOT (which
# is served at MEDIA_URL). Every app server and worker must see the same folder.
ONIX_UPLOAD_ROOT = Path(os.environ.get("ONIX_UPLOAD_ROOT", BASE_DIR / "private" / "onix"))
if ONIX_UPLOAD_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("ONIX_UPLOAD_ROOT must not be inside MEDIA_ROOT (it is public).")

# Uploads larger than this are refused before Pillow ever reads them (see catalogue.covers).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Money: the shop sells in Australian dollars only; prices include GST.
CURRENCIES = ("AUD",)
CURRENCY_CHOICES = [("AUD", "Australian dollar")]
DEFAULT_CURRENCY = "AUD"

# Caching and sessions. With REDIS_URL, every app server shares one Redis for the page cache
# and for sessions (written through to the database, so a Redis restart loses no basket).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "shop.cache_backend.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bookshop",
            "TIMEOUT": 600,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Every process shares this cache, so the catalogue version can live in it, beside the
    # pages (catalogue.version); with a per-process cache it lives in the database.
    CATALOGUE_VERSION_IN_CACHE = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bookshop",
            "TIMEOUT": 600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    CATALOGUE_VERSION_IN_CACHE = False

# The job queue (django-tasks): jobs live in the shop's own database and `manage.py worker`
# runs them (django_tasks_db). See the README for moving to Redis (django-tasks-rq).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Housekeeping: task path -> seconds between runs (jobs.schedule; every worker looks).
JOBS_SCHEDULE = {
    "shop.housekeeping.clear_expired_sessions": 6 * 60 * 60,
    "shop.housekeeping.remove_abandoned_baskets": 6 * 60 * 60,
    "catalogue.onix.jobs.resume_stalled_imports": 5 * 60,
    "shop.orders.jobs.release_unpaid_orders": 5 * 60,
}

# Email: through SMTP when EMAIL_HOST is set; otherwise written to files in EMAIL_FILE_PATH
# (local development: read them there).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "sent-email"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bookshop <shop@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Payments (django-payments): card payments through Stripe's hosted checkout when its keys
# are set; otherwise, under local development and tests only, the dummy provider, whose
# form lets a tester choose the outcome. Without either, the pay page offers no card
# payment (bank transfer only, when staff have enabled it in admin).
PAYMENT_MODEL = "shop.Payment"
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLIC_KEY = os.environ.get("STRIPE_PUBLIC_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
if STRIPE_SECRET_KEY or STRIPE_PUBLIC_KEY:
    # Stripe Checkout (its hosted page) needs the secret key and the webhook's signing
    # secret; the publishable key is kept for pages that may embed Stripe later.
    if not (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET):
        raise ImproperlyConfigured(
            "Card payments through Stripe need STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET "
            "(the signing secret of the webhook sent to /payments/process/stripe/)."
        )
    PAYMENT_VARIANTS = {
        "stripe": (
            "shop.payments.stripe_provider.StripeProvider",
            {"api_key": STRIPE_SECRET_KEY, "endpoint_secret": STRIPE_WEBHOOK_SECRET},
        )
    }
    SHOP_CARD_PAYMENT_VARIANT = "stripe"
elif DEBUG:
    PAYMENT_VARIANTS = {"dummy": ("shop.payments.dummy.DummyProvider", {})}
    SHOP_CARD_PAYMENT_VARIANT = "dummy"
else:
    PAYMENT_VARIANTS = {}
    SHOP_CARD_PAYMENT_VARIANT = ""
# The host (and scheme) of the addresses the provider sends customers back to.
PAYMENT_HOST = os.environ.get("PAYMENT_HOST") or (
    LOCAL_HOST if DEBUG else next(iter(ALLOWED_HOSTS), "")
)
if not PAYMENT_HOST:
    if SHOP_CARD_PAYMENT_VARIANT:
        raise ImproperlyConfigured("Card payments need PAYMENT_HOST (or ALLOWED_HOSTS) set.")
    PAYMENT_HOST = "localhost"  # never used: no provider sends anyone back
PAYMENT_USES_SSL = env_bool("PAYMENT_USES_SSL", env_bool("HTTPS", False))

SESSION_COOKIE_AGE = 30 * 24 * 60 * 60  # baskets survive a browser restart for 30 days
CSRF_FAILURE_VIEW = "shop.views.csrf_failure"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "shop:home"
LOGOUT_REDIRECT_URL = "shop:home"

# Customer accounts (django-allauth). The email address is the sign-in; an account needs a
# verified address before it can sign in ("mandatory"): checkout never needs an account,
# so an unverified customer still buys as a guest, and only with verification can sign-up
# answer alike whether or not the address already has an account (no enumeration). Guest
# orders join an account only through a verified address (shop.accounts.selectors).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "shop.accounts.adapter.ShopAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None  # "Remember me" box: unticked, the session ends with the browser
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Bookshop: "
# Failed sign-ins: the 11th for one address within five minutes is refused, as is the 31st
# from one IP address within a minute. Counted in the default cache, so REDIS_URL (shared by
# every app server) is needed in production for the limit to hold across processes.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,10/5m/key"}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a TLS-terminating proxy (which sets X-Forwarded-Proto): HTTPS-only cookies, a
# redirect from http to https, and HSTS.
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
