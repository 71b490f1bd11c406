"""ONIX for Books 3.0: read a publisher's or distributor's feed into the catalogue.

`import_onix(source)` reads an ONIX 3.0 (or 3.1) message and creates, corrects or hides one
book per <Product>, matched by ISBN. Staff run it with `manage.py import_onix FILE` or from
the "Import ONIX" page in admin; both show the same `ImportReport`.

Three stages, each usable on its own:

1. `OnixReader` streams the file through defusedxml's XMLParser, 16 KB at a time: entity
   declarations (XXE, "billion laughs") and external references are refused. Reference
   tags (<Product>) and short tags (<product>, <b221>) are both read, with the ONIX
   namespace, another one or none: each element of a product is renamed to its reference
   name (`canonical_tag`) before the product is read, so the rest of the code knows only
   reference names. Expat builds the tree with ElementTree's TreeBuilder, no Python
   running per element; after each piece of the file the parser's target
   (`_ProductBuilder`) turns the finished <Product>s into plain `ProductRecord`s and
   removes them from the tree, so memory stays flat however long the file is.
   `check_onix` reads the whole file first (fast: nothing is built) and refuses, with a
   one-line `OnixRefused`, anything that is not a complete ONIX 3.0 message: ONIX 2.1,
   other XML, not XML (a zip or gzip file is told to unpack it first), a truncated file,
   entity declarations, a text or attribute longer than MAX_FIELD_BYTES (1 MB, counted
   in the raw bytes before the parser sees them, so a hostile file cannot make it slow or
   hungry); a refused file imports nothing. `check_onix_start` is its quick part (empty,
   archive, root element and release), for refusing an upload before it is queued.
2. `map_product(record)` is pure: it turns a record into `BookData` (what the catalogue
   should hold) or raises `ProductSkipped` with its `Problem`s (record reference, field,
   reason).
3. `import_onix` works in batches of 100 products. The authors, imprints and subjects a
   batch needs are read, or created in one insert, up front (shared rows, so not part of
   any product's transaction: one created for a product the database then refuses stays,
   with no books). One query per table reads the books of the batch the shop already
   has, and `plan` works out each product's writes, only the values that differ: a
   product with nothing to change costs no statement at all, so importing the same file
   again writes nothing. Then the batch is written in one transaction, all together:
   the changes to books the shop has, then the new books in one multi-row INSERT per
   table (books, credits, subjects, praise). Each product is still its own transaction
   in effect: should the database refuse anything, nothing of the batch is kept, and it
   is written again with each product in its own savepoint, so a product the database
   refuses is rolled back and reported and the rest carry on. Should that commit fail
   too (foreign keys are checked only then), the batch is written once more with a
   commit per product, so that only the product at fault is lost. A batch is small, so
   the write lock SQLite takes is never held for long (another writer waits under a
   tenth of a second); on SQLite the connection keeps its temporary files, where
   savepoints are journalled, in memory meanwhile. The book's search text is set with
   the book, with `Book.build_search_text`, so an imported book is found by keyword
   search as soon as its batch is committed. The catalogue version is bumped once at
   the end.

The package: `reader` (stage 1, with `records`, what it yields, and `codelists`),
`mapping` (stage 2, pure), `importer` (stage 3); the books are written by
`catalogue.sync`, the one write path, from `catalogue.book_data`'s classes.
"""

from catalogue.onix.importer import ImportReport, import_onix
from catalogue.onix.mapping import australian_price, map_product, parse_onix_date
from catalogue.onix.reader import (
    ONIX_21_MESSAGE,
    OnixReader,
    OnixRefused,
    canonical_tag,
    check_onix,
    check_onix_start,
)
from catalogue.onix.records import ProductRecord

__all__ = [
    "ONIX_21_MESSAGE",
    "ImportReport",
    "OnixReader",
    "OnixRefused",
    "ProductRecord",
    "australian_price",
    "canonical_tag",
    "check_onix",
    "check_onix_start",
    "import_onix",
    "map_product",
    "parse_onix_date",
]
