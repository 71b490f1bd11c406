from django.db import migrations


def create(apps, schema_editor):
    from catalogue.search import ensure_listing_indexes

    ensure_listing_indexes(schema_editor.connection)


def drop(apps, schema_editor):
    from catalogue.search import drop_listing_indexes

    drop_listing_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_fold_search_text")]

    operations = [migrations.RunPython(create, drop)]
