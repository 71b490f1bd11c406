#!/usr/bin/env python
"""Django's command-line utility for the bookshop.

A checkout set up by `make run` has a `.env` beside this file with the local development
settings (DEBUG=1), so management commands run there as the README writes them. Variables
set in the environment win over it. Only manage.py reads it: the WSGI application never
does, so a production server without SECRET_KEY still refuses to start.
"""

import os
import sys
from pathlib import Path

from dotenv import load_dotenv


def main() -> None:
    load_dotenv(Path(__file__).resolve().parent / ".env", override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookshop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
