"""Test settings: the shop's own settings with a fixed key and faster password hashing.

Everything else (database from DATABASE_URL, SQLite otherwise) comes from bookshop.settings,
so the suite runs against the same configuration the shop does.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
# The shop's identity for its tax invoices and email: demo values, as under DEBUG.
os.environ.setdefault("SHOP_NAME", "Bookshop Demo Pty Ltd")
os.environ.setdefault("SHOP_ABN", "53 004 085 616")
os.environ.setdefault("SHOP_ADDRESS", "1 Demo Lane\nMelbourne VIC 3000")
os.environ.setdefault("SHOP_EMAIL", "orders@bookshop.example")
os.environ.setdefault("SHOP_PHONE", "(03) 9000 0000")
os.environ.setdefault("SHOP_URL", "http://testserver")

from bookshop.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default in-memory test database, so that a live server's threads
    # each get their own connection and the tests see SQLite's real locking.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"bookshop-test-{os.getpid()}.sqlite3")
    }

# Templates find static files without a collectstatic manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # no collectstatic output in tests: find files as requested
WHITENOISE_USE_FINDERS = True

# Jobs run at once, in the test's own process and transaction; the tests that need the real
# queue use the "database" backend and a real worker (tests/jobs/test_worker.py).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Card payments through the dummy provider (its form lets a test choose the outcome).
PAYMENT_VARIANTS = {"dummy": ("shop.payments.dummy.DummyProvider", {})}
SHOP_CARD_PAYMENT_VARIANT = "dummy"
