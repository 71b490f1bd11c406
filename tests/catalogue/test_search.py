"""catalogue.search.search_text: a book's search text, from plain values (no database)."""

from catalogue.search import search_text


def test_search_text_is_title_subtitle_names_and_isbn_folded_in_that_order():
    text = search_text("Conquered City", "A Novel", ["Victor Serge", "Émile Zola"], "9781590173664")

    assert text == "conquered city a novel victor serge emile zola 9781590173664"


def test_search_text_leaves_out_what_is_empty():
    assert search_text("Poems", "", [], "9780000000002") == "poems 9780000000002"
