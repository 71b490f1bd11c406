"""Test settings: the shop's own settings with a fixed key and faster password hashing.

Everything else (database from DATABASE_URL, SQLite otherwise) comes from shop.settings, so
the suite runs against the same configuration the shop does.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")

from shop.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
