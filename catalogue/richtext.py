"""Rich text from publishers: descriptions that may be HTML, sanitised on the way in and out.

A book's `description` holds one of two things:

- plain text, paragraphs separated by a blank line (what staff type in admin, and what the
  demo catalogue has); pages show it escaped, with `linebreaks`;
- HTML that starts with a paragraph or list (`<p>`, `<ul>`, `<ol>`), as an ONIX feed sends
  it: only paragraphs, line breaks, emphasis and lists survive (`ALLOWED_TAGS`, no
  attributes at all).

`sanitise_html` cleans HTML with nh3 (the Rust `ammonia` sanitiser, called in `clean_html`
alone) when a feed is imported;
`render_rich_text` cleans it again when a page is rendered, so even HTML that reached the
database some other way cannot put a script, an event handler or a link into a page.
`html_to_text` turns feed HTML into the plain text used for biographies and praise quotes.
"""

import html
import re

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS: frozenset[str] = frozenset({"p", "br", "em", "strong", "i", "b", "ul", "ol", "li"})
URL_SCHEMES: set[str] = {"http", "https", "mailto", "tel"}

_BLOCK_START = re.compile(r"\s*<(?:p|ul|ol)[\s>]", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
_BLOCK_TAGS = ("<p>", "</p>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<br>")
_SPACED_BLOCK_TAGS = [(spaced, tag) for tag in _BLOCK_TAGS for spaced in (f" {tag}", f"{tag} ")]
_BREAKS = re.compile(r"<br>|</?(?:p|ul|ol|li)>")
_WHITESPACE = re.compile(r"\s+")


def clean_html(
    markup: str,
    tags: frozenset[str] = ALLOWED_TAGS,
    attributes: dict[str, frozenset[str]] | None = None,
) -> str:
    """The one call to the sanitiser: only `tags` survive, with only the `attributes` given
    for each (none by default), no comments; a link's address may only be relative, http,
    https, mailto or tel (nh3 adds rel="noopener noreferrer" to links). Other code that
    shows HTML written elsewhere (the shop's staff-written pages) cleans it here too."""
    return nh3.clean(
        markup,
        tags=set(tags),
        attributes={tag: set(names) for tag, names in (attributes or {}).items()},
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )


def _collapse_whitespace(text: str) -> str:
    """Each run of whitespace as one space: `_WHITESPACE.sub(" ", text)`, several times
    faster on a long description."""
    collapsed = " ".join(text.split())
    if not collapsed:
        return " " if text else ""
    if text[0].isspace():
        collapsed = " " + collapsed
    if text[-1].isspace():
        collapsed += " "
    return collapsed


def is_html(text: str) -> bool:
    """True when a description is stored as HTML (it starts with <p>, <ul> or <ol>)."""
    return bool(_BLOCK_START.match(text))


def sanitise_html(markup: str) -> str:
    """Clean HTML from a feed for storage: only `ALLOWED_TAGS`, no attributes, no scripts,
    whitespace collapsed. The result starts with a block tag, so `is_html` recognises it;
    markup with no tags left at all comes back as plain text (entities decoded)."""
    cleaned = clean_html(_collapse_whitespace(markup)).strip()
    if not _ANY_TAG.search(cleaned):
        return html.unescape(cleaned)
    if not is_html(cleaned):
        # Inline content first ("<em>Roseanna</em> begins..."): give it a paragraph and let
        # the sanitiser's HTML parser sort out any nesting that creates.
        cleaned = clean_html(f"<p>{cleaned}</p>")
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    for spaced, tag in _SPACED_BLOCK_TAGS:  # no space needed either side of a block
        cleaned = cleaned.replace(spaced, tag)
    return cleaned.strip()


def html_to_text(markup: str) -> str:
    """Plain text from HTML: paragraphs, list items and line breaks become paragraphs
    separated by a blank line; every other tag is dropped and entities are decoded."""
    if "<" not in markup and "&" not in markup:  # plain already
        return _WHITESPACE.sub(" ", markup).strip()
    cleaned = clean_html(markup, frozenset({"p", "br", "ul", "ol", "li"}))
    paragraphs = []
    for chunk in _BREAKS.split(cleaned):
        text = _WHITESPACE.sub(" ", html.unescape(_ANY_TAG.sub("", chunk))).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def plain_text(text: str) -> str:
    """A description as plain text whichever way it is stored: for meta descriptions and
    structured data, where tags must not appear."""
    return html_to_text(text) if is_html(text) else text


def render_rich_text(text: str) -> SafeString:
    """HTML for a page: stored HTML sanitised again, plain text escaped with its paragraphs
    and line breaks kept (Django's `linebreaks`)."""
    if not text:
        return mark_safe("")
    if is_html(text):
        return mark_safe(clean_html(text))  # noqa: S308 - only ALLOWED_TAGS, no attributes
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped by linebreaks
