"""Book descriptions in templates: {% load richtext %} then {{ book.description|rich_text }}.

A description imported from an ONIX feed is HTML (paragraphs and emphasis); one typed by
staff is plain text. `rich_text` renders either safely: see catalogue.richtext.
"""

from django import template
from django.utils.safestring import SafeString

from catalogue.richtext import plain_text, render_rich_text

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value: str | None) -> SafeString:
    """Sanitised HTML for an HTML description; escaped paragraphs for plain text."""
    return render_rich_text(value or "")


@register.filter
def as_plain_text(value: str | None) -> str:
    """The description without tags, for meta descriptions (autoescaped as usual)."""
    return plain_text(value or "")
