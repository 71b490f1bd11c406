"""The one HTML reader every suite uses: a small tree of a page (the standard library's
parser, no extra dependency), and what storefront tests read from it: book cards, facts,
sections, JSON-LD, head tags, form errors."""

import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from django.http import HttpResponse

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None" = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self) -> Iterator["Element"]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, *, css_class: str | None = None, **attrs: str
    ) -> list["Element"]:
        """Elements inside this one with the tag, class and attributes given (a trailing
        underscore in an attribute name is dropped: for_="x", and other underscores
        become hyphens: aria_label="x")."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if element is not self
            and (tag is None or element.tag == tag)
            and (css_class is None or css_class in element.classes)
            and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, **kwargs: str) -> "Element":
        """The first match; fails the test when there is none."""
        found = self.find_all(tag, **kwargs)
        assert found, f"no <{tag or '*'}> matching {kwargs} in the page"
        return found[0]

    def text(self) -> str:
        """The text inside, with runs of whitespace collapsed to one space."""
        parts: list[str] = []

        def walk(node: Element | str) -> None:
            if isinstance(node, str):
                parts.append(node)
            else:
                for child in node.children:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def raw_text(self) -> str:
        """The text inside exactly as written (for <script> contents)."""
        return "".join(child for child in self.children if isinstance(child, str))

    def ancestors(self) -> Iterator["Element"]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, predicate: Callable[["Element"], bool]) -> "Element | None":
        return next((node for node in self.ancestors() if predicate(node)), None)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag is ignored.
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(content: str | bytes | HttpResponse) -> Element:
    """The page as a tree of Elements."""
    if isinstance(content, HttpResponse):
        content = content.content
    if isinstance(content, bytes):
        content = content.decode()
    builder = _TreeBuilder()
    builder.feed(content)
    builder.close()
    return builder.root


def book_card_titles(page: Element) -> list[str]:
    """The titles of the book cards in (part of) a page, in the order shown."""
    return [card.find("h3").text() for card in page.find_all("article", css_class="book-card")]


def facts(page: Element) -> list[tuple[str, str]]:
    """The book page's facts list (Published, ISBN, ...) as (name, value) pairs, in order."""
    return [
        (row.find("dt").text(), row.find("dd").text())
        for row in page.find("dl", css_class="facts").find_all("div")
    ]


def listed_titles(response: HttpResponse) -> list[str]:
    """The titles in a listing's results, in order."""
    results = parse(response).find("section", css_class="listing__results")
    return book_card_titles(results)


def section_headed(page: Element, heading: str) -> Element:
    """The <section> whose <h2> reads `heading`."""
    for section in page.find_all("section"):
        h2 = section.find_all("h2")
        if h2 and h2[0].text() == heading:
            return section
    raise AssertionError(f"no section headed {heading!r}")


def section_headings(page: Element) -> list[str]:
    return [
        section.find("h2").text() for section in page.find_all("section") if section.find_all("h2")
    ]


def json_ld(response: HttpResponse) -> dict:
    scripts = parse(response).find_all("script", type="application/ld+json")
    assert len(scripts) == 1, f"expected one JSON-LD script, found {len(scripts)}"
    return json.loads(scripts[0].raw_text())


def meta_content(page: Element, **attrs: str) -> str:
    return page.find("meta", **attrs).get("content")


def canonical(response: HttpResponse) -> str:
    links = parse(response).find_all("link", rel="canonical")
    assert len(links) == 1, f"expected one canonical link, found {len(links)}"
    return links[0].get("href")


def form_errors(response: HttpResponse) -> list[str]:
    """The messages in the listing's "could not be used" box."""
    boxes = parse(response).find_all(css_class="form-errors")
    return [li.text() for box in boxes for li in box.find_all("li")]


def result_count(response: HttpResponse) -> str:
    return parse(response).find(css_class="listing__count").text()


def count_in(text: str) -> int:
    match = re.match(r"(\d+) books?\b", text)
    assert match, f"no result count in {text!r}"
    return int(match.group(1))


def start_tags(content: str | bytes | HttpResponse) -> list[Element]:
    """Every element of a page, in document order, as a browser would parse its start tags."""
    return [element for element in parse(content).iter() if element.tag != "#document"]


def form_data(form: Element) -> dict[str, str]:
    """What a browser would send for the form as it stands (its named inputs)."""
    return {
        field.get("name"): field.get("value") or ""
        for field in form.find_all("input")
        if field.get("name")
    }
