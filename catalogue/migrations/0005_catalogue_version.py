"""The catalogue version's one-row table (catalogue.version), shared by every process."""

from django.db import migrations

import time

CREATE = "CREATE TABLE catalogue_version (id integer PRIMARY KEY, value bigint NOT NULL)"


def first_row(apps, schema_editor):
    # From the clock, as catalogue.version starts a lost row, so no page cached under an
    # earlier version number matches.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalogue_version (id, value) VALUES (1, %s)", [time.time_ns() // 1000]
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_listing_indexes")]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP TABLE catalogue_version"),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
