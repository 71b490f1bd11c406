from django.db import migrations


def fold_search_text(apps, schema_editor):
    # Search text is now stored without accents (catalogue.search.fold), so that PostgreSQL
    # matches "emile zola" to "Émile Zola" as SQLite already did.
    from catalogue.search import fold

    Book = apps.get_model("catalogue", "Book")
    books = list(Book.objects.only("id", "search_text"))
    for book in books:
        book.search_text = fold(book.search_text)
    Book.objects.bulk_update(books, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_book_search_text")]

    operations = [migrations.RunPython(fold_search_text, migrations.RunPython.noop)]
