"""`python manage.py run_local [ADDRPORT]`: for local development (`make run`), the
development server and one job worker (`manage.py worker`) side by side. Ctrl-C stops
both; a worker that dies is reported and restarted (jobs.launcher)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobs.launcher import Launcher, Process


class Command(BaseCommand):
    help = "Serve the shop locally with one job worker beside it; Ctrl-C stops both"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        manage = [sys.executable, sys.argv[0]]
        launcher = Launcher(
            main=Process("development server", [*manage, "runserver", addrport]),
            helpers=[Process("job worker", [*manage, "worker", "--no-reload"])],
        )
        status = launcher.run()
        if status:
            sys.exit(status)
