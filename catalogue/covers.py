"""Book covers and author photos: upload checks, web renditions and generated covers.

Staff upload a cover (or an author photo) in the admin. Before it is stored,
`validate_image_upload` makes sure it is a real JPEG, PNG or WebP image of a sensible size,
so a renamed PDF, a half-uploaded file or a decompression bomb never reaches the media
folder. Once stored, `make_renditions` writes WebP copies 160, 320 and 640 pixels wide;
pages only ever link those copies, never the original, which may be a 20 MB scan.

A book without a cover gets a typographic cover from `placeholder_svg`: its title and
author in white on a dark colour picked from its ISBN, so every book card has an image and
the same book always gets the same colour.
"""

import functools
import hashlib
import posixpath
import textwrap
import unicodedata
import warnings
from io import BytesIO
from typing import IO, Protocol

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from PIL import ExifTags, Image, ImageFile, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# 25 megapixels is a 4000 x 6000 scan; a cover or author photo never needs more.
MAX_PIXELS = 25_000_000
MIN_WIDTH = 200
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
RENDITION_WIDTHS = (160, 320, 640)
RENDITION_QUALITY = 80

# EXIF orientations that turn the picture a quarter turn, swapping its width and height.
_QUARTER_TURNS = {5, 6, 7, 8}


class UploadLike(Protocol):
    """What the checks need from an upload: Django's UploadedFile and File both fit."""

    size: int | None

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...


# --- Upload checks -------------------------------------------------------------------


def validate_image_upload(file: UploadLike) -> None:
    """Refuse an upload that is not a usable cover or author photo.

    Raises ValidationError with one sentence staff can act on, and a code per reason:
    file_too_large, empty_file, invalid_image, too_many_pixels, damaged_image,
    image_too_small. The file is always left at position 0 so Django can save it.
    """
    try:
        _check_byte_size(getattr(file, "size", None))
        data = _read_upload(file)
        with warnings.catch_warnings():
            # Pillow only warns about a possible decompression bomb; the shop refuses it.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _check_header(data)
            width = _decoded_display_width(data)
        _check_width(width)
    finally:
        file.seek(0)


def _check_byte_size(size: int | None) -> None:
    """Refuse a file larger than MAX_UPLOAD_BYTES, before anything reads it."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This file is larger than %(limit)d MB; upload an image of %(limit)d MB or less.",
            code="file_too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )


def _read_upload(file: UploadLike) -> bytes:
    """Read the whole upload, reading at most one byte past the limit."""
    file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    _check_byte_size(len(data))  # for files that do not know their size, or misreport it
    if not data:
        raise ValidationError(
            "This file is empty; upload a JPEG, PNG or WebP image.", code="empty_file"
        )
    return data


def _open(data: bytes) -> ImageFile.ImageFile:
    """Open image bytes, reading the header only.

    Only the parsers for the formats the shop accepts are tried, so a GIF, a BMP or an
    exotic format is refused as "not an image" without Pillow's other parsers touching it.
    """
    return Image.open(BytesIO(data), formats=sorted(ALLOWED_FORMATS))


def _check_header(data: bytes) -> None:
    """Check the format and pixel count from the header, before any pixel is decoded."""
    try:
        with _open(data) as image:
            _check_pixels(image.size)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except OSError as error:  # Pillow's UnidentifiedImageError is an OSError
        raise _not_an_image() from error


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _decoded_display_width(data: bytes) -> int:
    """Decode every pixel and return the width the picture has once turned upright.

    verify() checks the file's structure (PNG checksums) but misses a JPEG cut short, so
    the image is opened again and fully loaded: a truncated file fails there.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ImproperlyConfigured(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is on, so damaged uploads would be accepted; "
            "leave it off."
        )
    try:
        with _open(data) as image:
            image.verify()
        with _open(data) as image:
            image.load()
            return _display_width(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:
        # Pillow reports damage as OSError, SyntaxError, struct.error, zlib.error and more;
        # to the shop they all mean the same thing: the file cannot be shown.
        raise ValidationError(
            "This image file is damaged or incomplete; export it again and upload the new file.",
            code="damaged_image",
        ) from error


def _display_width(image: Image.Image) -> int:
    """Width as customers see it: a phone photo stored sideways is turned by its EXIF tag."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return image.height if orientation in _QUARTER_TURNS else image.width


def _check_width(width: int) -> None:
    if width < MIN_WIDTH:
        raise ValidationError(
            "This image is only %(width)d pixels wide; upload one at least %(minimum)d "
            "pixels wide.",
            code="image_too_small",
            params={"width": width, "minimum": MIN_WIDTH},
        )


def _not_an_image() -> ValidationError:
    return ValidationError(
        "Upload a JPEG, PNG or WebP image; this file is not one.", code="invalid_image"
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        "This image has more than %(megapixels)d megapixels; upload a smaller one.",
        code="too_many_pixels",
        params={"megapixels": MAX_PIXELS // 1_000_000},
    )


# --- Web renditions ------------------------------------------------------------------


def rendition_name(name: str, width: int) -> str:
    """Storage name of the WebP copy of a stored original at one width.

    covers/abc.jpg at 320 -> covers/renditions/abc-320.webp
    """
    folder, filename = posixpath.split(name)
    stem = posixpath.splitext(filename)[0]
    return posixpath.join(folder, "renditions", f"{stem}-{width}.webp")


def make_renditions(name: str, storage: Storage | None = None) -> dict[int, str]:
    """Write the WebP copies of a stored original, replacing any older ones.

    The picture is turned upright (EXIF orientation) and put on white where it is
    transparent. A copy is never wider than the original: for a 500-pixel original the
    640 copy is 500 pixels wide. Returns {width: storage name}.
    """
    storage = storage or default_storage
    with storage.open(name, "rb") as original:
        image = _upright_rgb(original)
    renditions = {}
    for width in RENDITION_WIDTHS:
        target = rendition_name(name, width)
        storage.delete(target)  # storage.save would otherwise pick a new name beside it
        renditions[width] = storage.save(target, ContentFile(_webp_bytes(image, width)))
    return renditions


def delete_renditions(name: str, storage: Storage | None = None) -> None:
    """Remove the WebP copies of an original (its cover was replaced or removed)."""
    storage = storage or default_storage
    for width in RENDITION_WIDTHS:
        storage.delete(rendition_name(name, width))


def delete_image(name: str, storage: Storage | None = None) -> None:
    """Remove a replaced or removed original and its WebP copies."""
    storage = storage or default_storage
    delete_renditions(name, storage)
    storage.delete(name)


def cover_srcset(name: str, storage: Storage | None = None) -> str:
    """The srcset attribute value listing every rendition of a stored original."""
    storage = storage or default_storage
    return ", ".join(
        f"{storage.url(rendition_name(name, width))} {width}w" for width in RENDITION_WIDTHS
    )


def _upright_rgb(file: IO[bytes]) -> Image.Image:
    """Decode an original, turned upright and flattened onto white, in RGB."""
    with Image.open(file, formats=sorted(ALLOWED_FORMATS)) as image:
        # A big JPEG can be decoded at a reduced scale, still at least as wide as needed.
        image.draft(None, (max(RENDITION_WIDTHS), max(RENDITION_WIDTHS)))
        image.load()
        upright = ImageOps.exif_transpose(image)
    return _flatten_on_white(upright)


def _flatten_on_white(image: Image.Image) -> Image.Image:
    if not _has_transparency(image):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info


def _webp_bytes(image: Image.Image, width: int) -> bytes:
    """One rendition: `width` pixels wide (or the original's width if narrower), as WebP."""
    if width < image.width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    image.save(buffer, "WEBP", quality=RENDITION_QUALITY)
    return buffer.getvalue()


# --- Generated covers ----------------------------------------------------------------

# Dark backgrounds for generated covers. Each gives white text a contrast ratio of at
# least 4.5:1 (WCAG AA); tests check it.
COVER_PALETTE = (
    "#1f3a5f",  # navy
    "#2e4a3a",  # forest
    "#5a1f2b",  # wine
    "#3b2f5c",  # plum
    "#4a3b1f",  # umber
    "#1f4a4a",  # teal
    "#6b2a1a",  # rust
    "#2b2b2b",  # charcoal
    "#3d4a1f",  # olive
    "#4a1f4a",  # aubergine
)
_SERIF = "Georgia, 'Times New Roman', Times, serif"
_TITLE_CHARS_PER_LINE = 15
_TITLE_MAX_LINES = 5
_AUTHOR_CHARS_PER_LINE = 26
_AUTHOR_MAX_LINES = 2
_ELLIPSIS = "\u2026"


# A pure function of its arguments, asked for the same books again and again (a basket,
# a shelf): each process keeps the most recent few thousand, a few MB at most.
@functools.lru_cache(maxsize=2048)
def placeholder_svg(
    *, title: str, author: str, key: str, width: int = 320, css_class: str = ""
) -> SafeString:
    """A generated 2:3 cover for a book without one, as inline SVG markup.

    The background colour comes from `key` (the ISBN), so a book keeps its colour across
    pages, servers and deploys. Long titles are cut with an ellipsis; the accessible name
    ("Cover of <title> by <author>") always carries the full text. Every text is escaped,
    and styling uses attributes only (no style=), so a strict Content-Security-Policy
    leaves it alone.
    """
    title, author = _clean(title), _clean(author)
    label = f"Cover of {title} by {author}" if author else f"Cover of {title}"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        'viewBox="0 0 200 300" width="{width}" height="{height}"{class_attr}>'
        "<title>{label}</title>"
        '<rect width="200" height="300" fill="{colour}"/>'
        '<rect x="10" y="10" width="180" height="280" fill="none" stroke="#ffffff" '
        'stroke-opacity="0.4" stroke-width="1"/>'
        "{title_lines}{author_lines}</svg>",
        label=label,
        width=width,
        height=width * 3 // 2,
        class_attr=format_html(' class="{}"', css_class) if css_class else "",
        colour=_colour_for(key),
        title_lines=_title_lines(title),
        author_lines=_author_lines(author),
    )


def _clean(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace collapsed."""
    printable = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(printable.split())


def _colour_for(key: str) -> str:
    """Pick a palette colour from a stable hash (Python's hash() changes per process)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return COVER_PALETTE[int.from_bytes(digest[:8], "big") % len(COVER_PALETTE)]


def _wrap(text: str, chars_per_line: int, max_lines: int) -> list[str]:
    """Wrap text into at most max_lines lines, ending with an ellipsis if cut short."""
    lines = textwrap.wrap(text, chars_per_line)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    if len(last) >= chars_per_line:
        last = last[: chars_per_line - 1].rstrip()
    return [*lines[: max_lines - 1], last + _ELLIPSIS]


def _text_lines(
    lines: list[str], *, first_y: int, line_height: int, font_size: int, italic: bool = False
) -> SafeString:
    font_style = "italic" if italic else "normal"
    return format_html_join(
        "",
        '<text x="100" y="{}" text-anchor="middle" fill="#ffffff" font-family="{}" '
        'font-size="{}" font-style="{}">{}</text>',
        (
            (first_y + index * line_height, _SERIF, font_size, font_style, line)
            for index, line in enumerate(lines)
        ),
    )


def _title_lines(title: str) -> SafeString:
    """The title in large serif type, centred on the upper part of the cover."""
    lines = _wrap(title, _TITLE_CHARS_PER_LINE, _TITLE_MAX_LINES)
    line_height = 24
    first_y = 120 - (len(lines) - 1) * line_height // 2
    return _text_lines(lines, first_y=first_y, line_height=line_height, font_size=20)


def _author_lines(author: str) -> SafeString:
    """A short rule, then the author in smaller italic type near the foot of the cover."""
    if not author:
        return SafeString()
    lines = _wrap(author, _AUTHOR_CHARS_PER_LINE, _AUTHOR_MAX_LINES)
    return format_html(
        '<line x1="80" y1="215" x2="120" y2="215" stroke="#ffffff" stroke-width="1"/>{}',
        _text_lines(lines, first_y=240, line_height=16, font_size=12, italic=True),
    )
