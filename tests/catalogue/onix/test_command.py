"""`manage.py import_onix`: its report, its progress line and its exit status."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalogue.management.commands.import_onix import ProgressLine
from catalogue.models import Book
from tests.catalogue.onix.onix_fixtures import fixture

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]


def command(*files: str | Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_onix", *map(str, files), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_prints_the_summary_and_a_line_per_skipped_product():
    path = fixture("bad_record_in_middle.xml")

    out, err = command(path)

    assert out.splitlines() == [
        f"{path}: 6 products: 3 created, 0 updated, 0 unchanged, 0 hidden, 3 skipped",
        "  fixture.bad-check-digit: ProductIdentifier: 9781920000012: ISBN check digit is wrong.",
        "  fixture.bad-date: PublishingDate: "
        "'20201345' is not a real date (month must be in 1..12)",
        "  fixture.no-isbn: ProductIdentifier: "
        "no ISBN-13 (ProductIDType 15, or 03 starting 978/979)",
    ]
    assert err == ""  # not a terminal: no progress line
    assert Book.objects.count() == 3


def test_command_reports_each_file():
    out, _ = command(fixture("two_authors.xml"), fixture("two_authors_short.xml"))

    assert [line.split(": ", 1)[1] for line in out.splitlines()] == [
        "1 product: 1 created, 0 updated, 0 unchanged, 0 hidden, 0 skipped",
        "1 product: 0 created, 0 updated, 1 unchanged, 0 hidden, 0 skipped",
    ]


def test_command_fails_with_one_line_for_a_refused_file():
    with pytest.raises(CommandError) as failed:
        command(fixture("onix21.xml"))

    assert str(failed.value) == (
        f"{fixture('onix21.xml')}: This is an ONIX 2.1 file; the shop reads ONIX 3.0."
    )


def test_command_imports_the_good_files_and_fails_for_the_refused_ones():
    out, err = io.StringIO(), io.StringIO()
    files = [fixture("truncated.xml"), fixture("two_authors.xml"), Path("/no/such/feed.xml")]

    with pytest.raises(CommandError) as failed:
        call_command("import_onix", *map(str, files), stdout=out, stderr=err)

    assert str(failed.value).startswith("2 of 3 files refused; first: ")
    assert "\n" not in str(failed.value)
    assert "1 created" in out.getvalue()
    truncated, missing = err.getvalue().splitlines()
    assert truncated.startswith(f"{files[0]}: The XML breaks off or is malformed at line ")
    assert truncated.endswith("the file may be truncated. Nothing was imported from it.")
    assert missing == "/no/such/feed.xml: no such file. Nothing was imported from it."
    assert list(Book.objects.values_list("isbn", flat=True)) == ["9781920000011"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("onix21.xml", "This is an ONIX 2.1 file; the shop reads ONIX 3.0."),
        ("not_xml.txt", "This is not an XML file"),
        ("entity_bomb.xml", "This file declares an XML entity (lol)"),
        ("missing.xml", "no such file."),
    ],
)
def test_command_exits_with_status_1_and_no_traceback(tmp_path, name, message):
    """The real command line: a refused file ends the process with status 1 and one line
    on stderr. (No database is touched before a file is accepted.)"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookshop.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_onix", str(fixture(name))],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"CommandError: {fixture(name)}: {message}")


def test_progress_line_shows_products_and_rate_at_most_five_times_a_second(monkeypatch):
    clock = iter([0.0, 0.1, 0.15, 0.35, 0.4, 1.0])
    monkeypatch.setattr(
        "catalogue.management.commands.import_onix.time.monotonic", lambda: next(clock)
    )
    written: list[str] = []
    progress = ProgressLine(written.append, "feed.xml")  # started at 0.0

    progress(100, 0.1)  # 0.1 s: shown
    progress(150, 0.15)  # 0.15 s: too soon
    progress(350, 0.35)  # 0.35 s: shown
    progress(400, None)  # 0.4 s: too soon
    progress(1000, None)  # 1.0 s: shown
    progress.finish()

    assert written == [
        "\rfeed.xml: 100 products · 1,000/s · 10%\033[K",
        "\rfeed.xml: 350 products · 1,000/s · 35%\033[K",
        "\rfeed.xml: 1,000 products · 1,000/s\033[K",
        "\r\033[K",
    ]


def test_progress_line_is_drawn_on_a_terminal(monkeypatch):
    monkeypatch.setattr(ProgressLine, "INTERVAL", 0.0)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    call_command("import_onix", str(fixture("two_authors.xml")), stdout=io.StringIO(), stderr=err)

    assert "1 products · " in err.getvalue()
