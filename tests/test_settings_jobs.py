"""The job queue's, email's and ONIX uploads' settings from the environment."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "ONIX_"))}
    clean.update({"DEBUG": "1", **env})
    code = f"import bookshop.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )


def test_without_an_smtp_host_email_is_written_to_the_sent_email_folder():
    result = settings_value("s.EMAIL_BACKEND, s.EMAIL_FILE_PATH")
    assert result.returncode == 0, result.stderr
    assert "filebased" in result.stdout
    assert str(REPO / "sent-email") in result.stdout


def test_smtp_settings_come_from_the_environment():
    result = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, "
        "s.EMAIL_USE_SSL",
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="shop",
        EMAIL_HOST_PASSWORD="secret",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "465",
        "shop",
        "False",
        "True",
    ]


def test_onix_uploads_may_not_be_kept_under_the_public_media_root(tmp_path):
    result = settings_value(
        "s.ONIX_UPLOAD_ROOT",
        MEDIA_ROOT=str(tmp_path / "media"),
        ONIX_UPLOAD_ROOT=str(tmp_path / "media" / "onix"),
    )
    assert result.returncode != 0
    assert "ONIX_UPLOAD_ROOT must not be inside MEDIA_ROOT" in result.stderr


def test_the_queue_is_the_database_backend():
    result = settings_value("s.TASKS['default']['BACKEND']")
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"
