"""Every page type is valid HTML, as the Nu HTML checker (vnu.jar, the W3C validator) sees it."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.browser.conftest import EVERY_PAGE_TYPE, expected_status

PAGE_TYPES = EVERY_PAGE_TYPE


def fetch(url: str) -> tuple[int, bytes]:
    """(status, body) of a GET, following redirects; error pages are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - live server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def describe(message: dict) -> str:
    """file:line:column: message, then the checker's extract of the source on one line."""
    name = Path(unquote(urlparse(message.get("url", "")).path)).name or "?"
    where = f"{name}:{message.get('lastLine', '?')}:{message.get('lastColumn', '?')}"
    text = f"  {where}: {message.get('message', '').strip()}"
    if extract := " ".join(message.get("extract", "").split()):
        text += f"\n      near: {extract}"
    return text


def test_every_page_type_is_valid_html(
    live_server, page_paths: dict[str, str], vnu_command: list[str], tmp_path: Path
) -> None:
    files = []
    for name in PAGE_TYPES:
        status, body = fetch(live_server.url + page_paths[name])
        assert status == expected_status(name), f"{name}: HTTP {status}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(body)
        files.append(str(path))

    checker = subprocess.run(
        [*vnu_command, *files], capture_output=True, text=True, timeout=120, check=False
    )
    # The checker writes its JSON report to stderr (stdout stays empty).
    try:
        report = json.loads(checker.stderr or checker.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"the Nu HTML checker did not report (exit {checker.returncode}):\n"
            f"{checker.stderr}{checker.stdout}"
        )
    # --errors-only leaves "error" (and "non-document-error") messages, no warnings.
    errors = [message for message in report["messages"] if message.get("type") != "info"]
    assert not errors, f"{len(errors)} HTML error(s) from the Nu HTML checker:\n" + "\n".join(
        describe(message) for message in errors
    )
    assert checker.returncode == 0, checker.stderr
