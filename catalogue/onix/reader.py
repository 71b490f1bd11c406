"""Reading an ONIX 3.0 file: `OnixReader` streams its products as `ProductRecord`s,
`check_onix` refuses a file that is not a complete ONIX 3.0 message (`OnixRefused`:
ONIX 2.1, other XML, an archive, a wrong encoding, a truncated file, entities), and
`canonical_tag` gives the reference name for a tag in either form."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers import expat

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from catalogue.onix.codelists import REFERENCE_NAMES, SHORT_TAGS
from catalogue.onix.records import ProductRecord, element_text, product_record

# --- Refusals -------------------------------------------------------------------------

ONIX_21_MESSAGE = "This is an ONIX 2.1 file; the shop reads ONIX 3.0."
SUPPORTED_RELEASES = ("3.0", "3.1")
# No text or attribute in a feed comes near this; a longer one is a broken or hostile file
# (expat re-reads an unfinished token with every piece fed to it, so a 50 MB attribute
# would take minutes, and a 100 MB text node gigabytes).
MAX_FIELD_BYTES = 1 << 20


class OnixRefused(ValueError):
    """The whole file is refused; str(error) is one line fit to show staff."""


_NAMES: dict[str, str] = {
    **{name.lower(): name for name in REFERENCE_NAMES},
    **{name: name for name in REFERENCE_NAMES},
    **SHORT_TAGS,
}
_CANONICAL_CACHE: dict[str, str] = {}
_CANONICAL_CACHE_LIMIT = 10_000  # a hostile feed could invent endless tag names


def canonical_tag(tag: str) -> str:
    """The reference name for a tag as it appears in a file: namespace dropped, short tag
    or lower-case composite translated. Tags the shop does not read keep their local name
    (XHTML inside a <Text> stays <p>, <em>...)."""
    name = _CANONICAL_CACHE.get(tag)
    if name is None:
        local = tag.rpartition("}")[2]
        name = _NAMES.get(local, local)
        if len(_CANONICAL_CACHE) < _CANONICAL_CACHE_LIMIT:
            _CANONICAL_CACHE[tag] = name
    return name


# --- What the reader yields -----------------------------------------------------------


def _refusal(error: Exception, *, started: bool) -> OnixRefused:
    """A one-line refusal for a parser error. `started`: the root element had been read."""
    if isinstance(error, EntitiesForbidden):
        return OnixRefused(
            f"This file declares an XML entity ({error.name}); the shop refuses entity "
            "declarations, which can read local files or expand without limit."
        )
    if isinstance(error, ExternalReferenceForbidden):
        return OnixRefused(
            f"This file refers to an external resource ({error.sysid}); the shop refuses it."
        )
    if isinstance(error, DefusedXmlException):
        return OnixRefused(f"This file uses an XML feature the shop refuses: {error}.")
    if isinstance(error, ParseError):
        line, column = error.position
        reason = expat.ErrorString(error.code) if error.code else str(error)
        if started:
            return OnixRefused(
                f"The XML breaks off or is malformed at line {line}, column {column} "
                f"({reason}); the file may be truncated."
            )
        if (
            line == 1
            and column == 0
            and error.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]
        ):
            return OnixRefused("The file is empty.")
        return OnixRefused(f"This is not an XML file ({reason} at line {line}, column {column}).")
    return OnixRefused(str(error))


def _check_root(root: Element) -> str:
    """The ONIX release of a message's root element, or OnixRefused."""
    namespace, _, local = root.tag.rpartition("}")
    if local not in ("ONIXMessage", "ONIXmessage"):
        raise OnixRefused(
            f"This is not an ONIX file: its root element is <{local}>, not <ONIXMessage>."
        )
    release = root.get("release", "").strip()
    if not release:
        match = re.search(r"/onix/(\d\.\d)/", namespace)
        release = match.group(1) if match else "2.1"  # ONIX 3 requires the attribute
    if release.startswith("2."):
        raise OnixRefused(ONIX_21_MESSAGE)
    if release not in SUPPORTED_RELEASES:
        raise OnixRefused(
            f"ONIX release {release} is not supported; the shop reads ONIX 3.0 and 3.1."
        )
    return release


class _ProductBuilder:
    """Parser target: builds elements with ElementTree's TreeBuilder, turns each finished
    <Product> into a ProductRecord (or reads the <Header>) and removes it from the root, so
    the tree never holds more than the products of one piece of the file. Checks the root
    element as soon as it starts.

    No Python runs for each element: after the root, expat calls the TreeBuilder's own
    start, end and data. After each piece of the file, `collect` takes the root's finished
    children: all but the last, which may still be open (`close` takes that one too). ONIX
    has no <Product> or <Header> other than the root's children. Tags are made canonical
    (`canonical_tag`) a product at a time, just before it is read."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self.root: Element | None = None
        self.release = ""
        self.defaults: dict[str, str] = {}
        self.records: list[ProductRecord] = []
        self.products_read = 0

    def attach(self, parser: expat.XMLParserType) -> None:
        """Have expat call the TreeBuilder directly (attributes as a dict, as it expects)."""
        self._parser = parser
        parser.ordered_attributes = False
        parser.StartElementHandler = self._start_root
        parser.EndElementHandler = self._builder.end
        parser.CharacterDataHandler = self._builder.data

    def _start_root(self, tag: str, attrib: dict[str, str]) -> None:
        self.root = self._builder.start(tag, attrib)
        self.release = _check_root(self.root)
        self._parser.StartElementHandler = self._builder.start

    def collect(self, *, finished: bool = False) -> None:
        """Read and remove the root's finished children (all of them once `finished`)."""
        root = self.root
        if root is None:
            return
        done = len(root) if finished else len(root) - 1
        if done <= 0:
            return
        for child in root[:done]:
            for element in child.iter():
                element.tag = _CANONICAL_CACHE.get(element.tag) or canonical_tag(element.tag)
                if element.text is not None and len(element.text) > MAX_FIELD_BYTES:
                    # Only CDATA can get here past _LengthGuard's byte count.
                    record = element_text(child, "RecordReference")
                    field = f"the text of <{element.tag}>"
                    raise OnixRefused(_too_long(self.products_read + 1, record, field))
            if child.tag == "Product":
                self.products_read += 1
                self.records.append(
                    product_record(child, position=self.products_read, defaults=self.defaults)
                )
            elif child.tag == "Header":
                self.defaults = {
                    field: element_text(child, field)
                    for field in ("DefaultCurrencyCode", "DefaultPriceType")
                }
        del root[:done]

    def close(self) -> None:
        self._builder.close()
        self.collect(finished=True)


class OnixReader:
    """Streams the products of an ONIX 3.0 message from a binary file object.

    Iterating gives one ProductRecord per <Product>. The file is fed, 16 KB at a time, to
    defusedxml's parser (`_defused_parser`), whose target keeps only the products of the
    piece being read (small pieces keep few objects alive for the garbage collector).
    Raises OnixRefused for a file that is not ONIX 3.0 or not (complete) XML, at the point
    the reader finds out.
    """

    CHUNK = 1 << 14

    def __init__(self, stream: IO[bytes], *, chunk_size: int = CHUNK) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self._builder = _ProductBuilder()

    @property
    def release(self) -> str:
        return self._builder.release

    @property
    def products_read(self) -> int:
        return self._builder.products_read

    def __iter__(self) -> Iterator[ProductRecord]:
        builder = self._builder
        parser = _defused_parser(builder)
        builder.attach(parser.parser)
        guard = _LengthGuard()
        try:
            while chunk := self.stream.read(self.chunk_size):
                guard.feed(chunk)
                parser.feed(chunk)
                builder.collect()
                if builder.records:
                    yield from builder.records
                    builder.records.clear()
            parser.close()
        except (ParseError, DefusedXmlException) as error:
            raise _refusal(error, started=builder.root is not None) from None
        yield from builder.records
        builder.records.clear()


def _defused_parser(target: object) -> DefusedET.XMLParser:
    """defusedxml's XMLParser: entity declarations and external references are refused
    (a DOCTYPE is let through, so that the release check can name ONIX 2.1). Its catch-all
    handler is taken off, so that expat runs at C speed between the target's calls; an
    entity reference it cannot resolve (possible only with an external DTD, which is
    never read) refuses the file."""
    parser = DefusedET.XMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    parser.parser.DefaultHandlerExpand = None
    parser.parser.SkippedEntityHandler = _undefined_entity
    return parser


class _DiscardTarget:
    """A parser target that builds nothing: for checking that a file is well-formed."""

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def _undefined_entity(name: str, is_parameter_entity: bool) -> None:
    raise OnixRefused(f"This file uses an entity the shop cannot resolve (&{name};).")


# Publishers often send their feeds compressed: say so, rather than "not XML".
_ARCHIVES = {
    b"PK\x03\x04": "This is a zip archive, not XML: unzip it and import the ONIX file inside.",
    b"\x1f\x8b": "This file is gzip-compressed, not XML: unpack it (gunzip) and import the "
    "ONIX file inside.",
}


def _refuse_archive(head: bytes) -> None:
    for magic, message in _ARCHIVES.items():
        if head.startswith(magic):
            raise OnixRefused(message)


def check_onix_start(stream: IO[bytes]) -> str:
    """The quick part of `check_onix`, for an upload to be refused before it is queued:
    refuse an empty file, an archive, anything but XML whose root is an ONIX 3.0 message,
    and entity declarations before the root; return the release. Reads only as far as the
    root element and seeks back to the start."""
    _refuse_archive(stream.read(4))
    stream.seek(0)
    try:
        for _event, element in DefusedET.iterparse(stream, events=("start",)):
            return _check_root(element)
        raise OnixRefused("The file is empty.")
    except (ParseError, DefusedXmlException) as error:
        raise _refusal(error, started=False) from None
    finally:
        stream.seek(0)


def check_onix(stream: IO[bytes]) -> str:
    """Refuse (OnixRefused) anything but a complete, well-formed ONIX 3.0 message without
    entity declarations or overlong fields; return its release. Reads the whole stream
    (fast: nothing is built) and leaves it at the end; seek back before importing."""
    release = check_onix_start(stream)
    root_found = True
    parser = None
    guard = _LengthGuard()
    try:
        parser = _defused_parser(_DiscardTarget())
        while chunk := stream.read(MAX_FIELD_BYTES):
            guard.feed(chunk)
            parser.feed(chunk)
        parser.close()
    except (ParseError, DefusedXmlException) as error:
        refusal = None
        if parser is not None and isinstance(error, ParseError):
            refusal = _encoding_refusal(stream, error, parser.parser.CurrentByteIndex)
        raise (refusal or _refusal(error, started=root_found)) from None
    return release


_XML_DECLARATION = re.compile(
    rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']"
)


def _encoding_refusal(stream: IO[bytes], error: ParseError, byte_index: int) -> OnixRefused | None:
    """When expat stopped at bytes that the file's own encoding (its XML declaration's,
    else UTF-8) cannot decode, or at a control character, a refusal that says so: the
    commonest fault in a feed is text saved as Windows-1252 in a file that says it is
    UTF-8, and "malformed, may be truncated" would send staff looking for the wrong
    thing."""
    if error.code != expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN] or byte_index < 0:
        return None
    stream.seek(0)
    declaration = _XML_DECLARATION.match(stream.read(256))
    declared = declaration.group(1).decode("ascii") if declaration else "UTF-8"
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        return None
    if codec.name.startswith(("utf-16", "utf-32")):  # bytes are not characters there
        return None
    stream.seek(byte_index)
    window = stream.read(4)
    if not window:
        return None
    line, column = error.position
    if window[0] < 0x20 and window[0] not in b"\t\n\r":
        return OnixRefused(
            f"Line {line}, column {column} has a control character (0x{window[0]:02X}) that "
            "XML does not allow; the file needs correcting where it was made."
        )
    try:
        codecs.getincrementaldecoder(codec.name)().decode(window, final=False)
    except UnicodeDecodeError:
        says = "the encoding the file declares" if declaration else "XML's default encoding"
        return OnixRefused(
            f"Line {line}, column {column} has a byte (0x{window[0]:02X}) that is not "
            f"{declared}, {says}: the file was probably saved in another encoding, such as "
            f"Windows-1252. Save it as {declared} (or declare its real encoding) and import "
            "it again."
        )
    return None


# --- Overlong fields ----------------------------------------------------------------

_MARKERS = re.compile(
    rb"<(?:[\w.-]+:)?(?:(?P<product>Product|product)[\s>]"
    rb"|(?:RecordReference|a001)\b[^>]*>\s*(?P<record>[^<\s]{1,100}))"
)
_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.:-]*)")
_OVERLAP = 256


def _too_long(position: int, record: str, field: str) -> str:
    """`field`: "the text of <Text>", "an attribute of <Contributor>"..."""
    if position:
        where = f"Product {position}" + (f" (record {record})" if record else "")
    else:
        where = "Before the first product"
    limit = MAX_FIELD_BYTES // (1 << 20)
    return (
        f"{where}: {field} is longer than {limit} MB, more than any ONIX field needs; the "
        "file is refused. It needs correcting where it was made."
    )


class _LengthGuard:
    """Counts, in the raw bytes and before expat sees them, how far the file runs without a
    "<". Neither text nor an attribute value may contain one (only CDATA can), so no text
    node or tag is longer than that run: a run past MAX_FIELD_BYTES refuses the file,
    naming the product (counted, with its last RecordReference) and the element. A few
    C-speed searches per piece fed; the parser never holds more than a megabyte of an
    unfinished token."""

    def __init__(self) -> None:
        self.run = 0  # bytes since the last "<"
        self.closed = False  # a ">" came after it: the run is text
        self.tail = b""
        self.products = 0
        self.record = ""
        self.tag = ""

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
            self.closed = self.closed or b">" in chunk
            if self.run > MAX_FIELD_BYTES:
                self._refuse()
            return
        if self.run + first > MAX_FIELD_BYTES:
            self.run += first
            self.closed = self.closed or b">" in chunk[:first]
            self._refuse()
        buffer = self.tail + chunk
        skip = len(self.tail)
        for match in _MARKERS.finditer(buffer):
            if match.end() <= skip:
                continue  # seen with the previous piece
            if match.group("product"):
                self.products += 1
                self.record = ""
            else:
                self.record = match.group("record").decode("utf-8", "replace")
        last = chunk.rfind(b"<")
        self.run = len(chunk) - last - 1
        self.closed = b">" in chunk[last:]
        tag = _TAG.match(buffer, skip + last)
        if tag:
            self.tag = ("/" if tag.group(1) else "") + tag.group(2).decode("utf-8", "replace")
        self.tail = buffer[-_OVERLAP:]

    def _refuse(self) -> None:
        name = self.tag.lstrip("/")
        tag = canonical_tag(name) if name else "?"
        if self.tag.startswith("/"):
            field = f"the text after </{tag}>"
        elif self.closed:
            field = f"the text of <{tag}>"
        else:
            field = f"an attribute of <{tag}>"
        raise OnixRefused(_too_long(self.products, self.record, field))


# --- Mapping --------------------------------------------------------------------------
