"""Cover and author-photo images for templates: {% load covers %}.

{% book_cover book %} shows a book's cover at 320 pixels, {% book_cover book width=160 %}
at 160. Pages link the WebP renditions made on upload, never the original file; a book
without a cover gets its generated typographic cover, inline, so no card is ever empty.
{% author_photo author %} does the same for author photos and shows nothing without one.
"""

from django import template
from django.db.models.fields.files import FieldFile
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalogue import covers
from catalogue.models import Author, Book

register = template.Library()


@register.simple_tag
def book_cover(
    book: Book,
    width: int = 320,
    sizes: str | None = None,
    css_class: str = "cover",
    loading: str = "lazy",
) -> SafeString:
    """The book's cover as an <img>, or its generated cover as inline SVG. Pass
    loading="eager" for a cover at the top of the page."""
    if book.cover:
        return _rendition_img(
            book.cover,
            width=width,
            sizes=sizes,
            alt=f"Cover of {book.full_title}",
            css_class=css_class,
            loading=loading,
        )
    return covers.placeholder_svg(
        title=book.full_title,
        author=book.author_names,
        key=book.isbn,
        width=width,
        css_class=css_class,
    )


@register.simple_tag
def author_photo(
    author: Author, width: int = 160, sizes: str | None = None, css_class: str = "author-photo"
) -> SafeString | str:
    """The author's photo as an <img>, or nothing when there is no photo."""
    if not author.photo:
        return ""
    return _rendition_img(
        author.photo, width=width, sizes=sizes, alt=f"Photo of {author.name}", css_class=css_class
    )


@register.simple_tag
def cover_url(book: Book, width: int = 640) -> str:
    """The URL of the book's cover rendition nearest `width` (for og:image), or ""."""
    if not book.cover:
        return ""
    return book.cover.storage.url(covers.rendition_name(book.cover.name, _rendition_width(width)))


def _rendition_img(
    image: FieldFile,
    *,
    width: int,
    sizes: str | None,
    alt: str,
    css_class: str,
    loading: str = "lazy",
) -> SafeString:
    """An <img> of the renditions of a stored image, displayed `width` pixels wide.

    src is the smallest rendition at least that wide, for browsers without srcset; srcset
    and sizes let the others pick a sharper one on high-density screens. The height
    attribute is a 2:3 layout hint that stops the page jumping while images load; the
    stylesheet keeps the real proportions with height: auto.
    """
    name, storage = image.name, image.storage
    return format_html(
        '<img src="{src}" srcset="{srcset}" sizes="{sizes}" width="{width}" height="{height}" '
        'alt="{alt}" loading="{loading}" decoding="async" class="{css_class}">',
        src=storage.url(covers.rendition_name(name, _rendition_width(width))),
        srcset=covers.cover_srcset(name, storage),
        sizes=sizes or f"{width}px",
        width=width,
        height=width * 3 // 2,
        alt=alt,
        css_class=css_class,
        loading="eager" if loading == "eager" else "lazy",
    )


def _rendition_width(width: int) -> int:
    """The smallest rendition at least `width` pixels wide, else the largest there is."""
    return next((w for w in covers.RENDITION_WIDTHS if w >= width), covers.RENDITION_WIDTHS[-1])
