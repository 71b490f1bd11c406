"""Cover and author-photo uploads, their web renditions, and generated covers.

Every image is built in memory with Pillow; nothing here reads a binary fixture file.
"""

import contextlib
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image, ImageFile

from catalogue import covers
from tests.factories import AuthorFactory, BookFactory, ContributionFactory

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_TITLE = "<script>alert(1)</script>"


# --- Building images in memory -------------------------------------------------------


def image_bytes(
    image_format: str, size: tuple[int, int] = (400, 600), mode: str = "RGB", **options
) -> bytes:
    """A picture with some detail in it (so JPEGs are not trivially small), as file bytes."""
    image = Image.effect_noise(size, 40).convert(mode)
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def transparent_png(size: tuple[int, int] = (400, 600)) -> bytes:
    """A PNG whose left half is fully transparent black and right half opaque red."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def solid_jpeg(colour: tuple[int, int, int]) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (400, 600), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def sideways_jpeg(stored_size: tuple[int, int]) -> bytes:
    """A phone-style JPEG stored on its side with EXIF orientation 6 (turn 90 degrees
    clockwise to view). The stored left edge is red: upright, the top edge is red."""
    image = Image.new("RGB", stored_size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, stored_size[0] // 3, stored_size[1]))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def bilevel_png(width: int, height: int) -> bytes:
    """A valid all-black 1-bit PNG, written by hand: tiny on disk, huge once decoded.

    Pillow would need width x height bytes of memory just to create it, so the chunks are
    assembled directly, compressing one row at a time.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then 8 pixels per byte
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "cover.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(data: bytes, name: str = "cover.jpg") -> ValidationError:
    """Validate an upload that must be refused, and return the refusal."""
    with pytest.raises(ValidationError) as caught:
        covers.validate_image_upload(upload(data, name))
    return caught.value


def store(data: bytes, name: str = "covers/book.jpg") -> str:
    """Save an original into the (temporary) media folder, as the admin would."""
    return default_storage.save(name, ContentFile(data))


def open_stored(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


# --- Uploads that pass ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (image_bytes("JPEG"), "cover.jpg"),
        (transparent_png(), "cover.png"),
        (image_bytes("WEBP"), "cover.webp"),
    ],
    ids=["jpeg", "png-with-transparency", "webp"],
)
def test_real_jpeg_png_and_webp_images_pass_validation(data, name):
    covers.validate_image_upload(upload(data, name))


def test_image_exactly_the_minimum_width_passes_validation():
    covers.validate_image_upload(upload(image_bytes("JPEG", size=(covers.MIN_WIDTH, 300))))


@pytest.mark.parametrize(
    "data",
    [image_bytes("JPEG"), b"not an image at all"],
    ids=["accepted", "refused"],
)
def test_file_position_is_zero_after_validation(data):
    file = upload(data)
    file.seek(7)
    with contextlib.suppress(ValidationError):
        covers.validate_image_upload(file)
    assert file.tell() == 0


# --- Uploads that are refused --------------------------------------------------------

NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP image; this file is not one."


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Conquered City by Victor Serge\nA novel.\n", "cover.txt"),
        (image_bytes("GIF"), "cover.gif"),
        (image_bytes("BMP"), "cover.bmp"),
    ],
    ids=["text", "gif", "bmp"],
)
def test_non_images_and_unsupported_formats_are_refused(data, name):
    error = refusal(data, name)
    assert error.code == "invalid_image"
    assert error.messages == [NOT_AN_IMAGE]


def test_empty_file_is_refused():
    error = refusal(b"")
    assert error.code == "empty_file"
    assert error.messages == ["This file is empty; upload a JPEG, PNG or WebP image."]


def test_truncated_jpeg_is_refused():
    whole = image_bytes("JPEG", quality=95)
    error = refusal(whole[: len(whole) // 2])
    assert error.code == "damaged_image"
    assert error.messages == [
        "This image file is damaged or incomplete; export it again and upload the new file."
    ]


def test_png_with_corrupted_data_is_refused():
    damaged = bytearray(image_bytes("PNG"))
    damaged[len(damaged) // 2] ^= 0xFF
    error = refusal(bytes(damaged), "cover.png")
    assert error.code == "damaged_image"
    assert error.messages == [
        "This image file is damaged or incomplete; export it again and upload the new file."
    ]


def test_png_failing_its_checksum_is_refused():
    # The pixels decode, but a chunk after them fails its CRC: only verify() notices.
    whole = image_bytes("PNG")
    data = b"damaged in transit"
    bad_chunk = struct.pack(">I", len(data)) + b"tEXt" + data + b"\x00\x00\x00\x00"
    error = refusal(whole[:-12] + bad_chunk + whole[-12:], "cover.png")  # before IEND
    assert error.code == "damaged_image"


class UnreadableBigUpload:
    """An upload that reports more bytes than the limit and must never be read."""

    size = covers.MAX_UPLOAD_BYTES + 1

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("an over-size upload was read")

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0


def test_upload_over_the_byte_limit_is_refused_before_it_is_read():
    with pytest.raises(ValidationError) as caught:
        covers.validate_image_upload(UnreadableBigUpload())
    assert caught.value.code == "file_too_large"
    assert caught.value.messages == [
        "This file is larger than 5 MB; upload an image of 5 MB or less."
    ]


def test_upload_of_unknown_size_is_refused_once_it_passes_the_byte_limit():
    file = BytesIO(b"\xff" * (covers.MAX_UPLOAD_BYTES + 1))  # a plain file: no .size
    with pytest.raises(ValidationError) as caught:
        covers.validate_image_upload(file)
    assert caught.value.code == "file_too_large"
    assert file.tell() == 0


def test_image_narrower_than_the_minimum_is_refused():
    error = refusal(image_bytes("JPEG", size=(covers.MIN_WIDTH - 1, 300)))
    assert error.code == "image_too_small"
    assert error.messages == [
        "This image is only 199 pixels wide; upload one at least 200 pixels wide."
    ]


def test_sideways_photo_is_measured_as_it_will_be_shown():
    # Stored 450 x 190, shown upright 190 x 450: too narrow for a cover.
    error = refusal(sideways_jpeg((450, 190)))
    assert error.code == "image_too_small"
    assert error.messages == [
        "This image is only 190 pixels wide; upload one at least 200 pixels wide."
    ]


TOO_MANY_PIXELS = "This image has more than 25 megapixels; upload a smaller one."


def test_decompression_bomb_is_refused():
    bomb = bilevel_png(20_000, 20_000)  # 400 megapixels once decoded
    assert len(bomb) < 100_000
    error = refusal(bomb, "cover.png")
    assert error.code == "too_many_pixels"
    assert error.messages == [TOO_MANY_PIXELS]


def test_image_over_the_pixel_limit_is_refused_from_its_header_without_decoding(monkeypatch):
    def refuse_to_decode(image):
        raise AssertionError("pixels were decoded before the pixel count was checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
    error = refusal(bilevel_png(6_000, 5_000), "cover.png")  # 30 megapixels
    assert error.code == "too_many_pixels"
    assert error.messages == [TOO_MANY_PIXELS]


def test_pillow_decompression_bomb_warning_is_a_refusal_not_a_warning(monkeypatch):
    # With the shop's own limit out of the way, Pillow's guard must still refuse the
    # file: 100 megapixels is past Pillow's warning threshold but short of its error.
    monkeypatch.setattr(covers, "MAX_PIXELS", 10**12)
    assert Image.MAX_IMAGE_PIXELS < 100_000_000 <= 2 * Image.MAX_IMAGE_PIXELS
    error = refusal(bilevel_png(10_000, 10_000), "cover.png")
    assert error.code == "too_many_pixels"


def test_validation_will_not_run_with_truncated_images_allowed(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ImproperlyConfigured):
        covers.validate_image_upload(upload(image_bytes("JPEG")))


# --- Web renditions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "width", "expected"),
    [
        ("covers/abc.jpg", 320, "covers/renditions/abc-320.webp"),
        ("covers/conquered.city.png", 160, "covers/renditions/conquered.city-160.webp"),
        ("authors/serge.webp", 640, "authors/renditions/serge-640.webp"),
        ("loose.jpg", 160, "renditions/loose-160.webp"),
    ],
)
def test_rendition_name_is_a_webp_in_a_renditions_folder_beside_the_original(name, width, expected):
    assert covers.rendition_name(name, width) == expected


def test_jpeg_cover_gets_a_webp_rendition_at_each_width():
    name = store(image_bytes("JPEG", size=(1000, 1500)))

    renditions = covers.make_renditions(name)

    assert renditions == {w: covers.rendition_name(name, w) for w in (160, 320, 640)}
    for width, rendition in renditions.items():
        image = open_stored(rendition)
        assert image.format == "WEBP"
        assert image.size == (width, width * 3 // 2)


def test_transparent_png_renditions_are_flattened_onto_white():
    name = store(transparent_png((400, 600)), "covers/book.png")

    renditions = covers.make_renditions(name)

    for rendition in renditions.values():
        image = open_stored(rendition)
        assert image.format == "WEBP"
        assert image.mode == "RGB"
        left, right = image.getpixel((5, 20)), image.getpixel((image.width - 5, 20))
        assert min(left) > 235  # transparent black became white
        assert right[0] > 200 and right[1] < 60 and right[2] < 60  # red stayed red


def test_narrow_original_is_not_upscaled():
    name = store(image_bytes("JPEG", size=(250, 375)))

    renditions = covers.make_renditions(name)

    assert {w: open_stored(r).size for w, r in renditions.items()} == {
        160: (160, 240),
        320: (250, 375),
        640: (250, 375),
    }


def test_exif_rotated_jpeg_renditions_come_out_upright():
    name = store(sideways_jpeg((450, 300)))  # 300 x 450 upright, red along the top

    image = open_stored(covers.make_renditions(name)[320])

    assert image.size == (300, 450)
    top, bottom = image.getpixel((150, 10)), image.getpixel((150, 440))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_making_renditions_again_replaces_the_old_ones_under_the_same_names():
    name = store(solid_jpeg((255, 0, 0)))
    covers.make_renditions(name)
    default_storage.delete(name)
    assert store(solid_jpeg((0, 0, 255))) == name

    renditions = covers.make_renditions(name)

    assert renditions == {w: covers.rendition_name(name, w) for w in covers.RENDITION_WIDTHS}
    red, _green, blue = open_stored(renditions[160]).getpixel((80, 120))
    assert blue > 200 and red < 60


def test_delete_renditions_removes_every_rendition_and_keeps_the_original():
    name = store(image_bytes("JPEG"))
    renditions = covers.make_renditions(name)

    covers.delete_renditions(name)

    assert not any(default_storage.exists(r) for r in renditions.values())
    assert default_storage.exists(name)


def test_cover_srcset_lists_the_url_of_every_rendition_with_its_width():
    assert covers.cover_srcset("covers/abc.jpg") == (
        "/media/covers/renditions/abc-160.webp 160w, "
        "/media/covers/renditions/abc-320.webp 320w, "
        "/media/covers/renditions/abc-640.webp 640w"
    )


# --- Generated covers ----------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the shop's own generated markup


def background(svg: str) -> str:
    return parse(svg).find(f"{SVG}rect").get("fill")


def texts(svg: str) -> list[str]:
    return [text.text for text in parse(svg).iter(f"{SVG}text")]


def placeholder(**overrides) -> str:
    arguments = {"title": "Conquered City", "author": "Victor Serge", "key": "9781590172810"}
    return covers.placeholder_svg(**{**arguments, **overrides})


def test_placeholder_is_the_same_every_time_for_a_key():
    assert placeholder() == placeholder()
    assert background(placeholder()) in covers.COVER_PALETTE


def test_placeholder_colour_differs_between_keys():
    keys = [f"97800000000{n:02d}" for n in range(8)]
    assert len({background(placeholder(key=key)) for key in keys}) >= 2


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", covers.COVER_PALETTE)
def test_every_placeholder_colour_gives_white_text_enough_contrast(colour):
    contrast = (1.0 + 0.05) / (relative_luminance(colour) + 0.05)
    assert contrast >= 4.5


def test_placeholder_shows_the_title_and_author_words_and_parses_as_xml():
    svg = placeholder(title="The Case of Comrade Tulayev", author="Victor Serge")

    root = parse(svg)

    assert root.get("viewBox") == "0 0 200 300"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Cover of The Case of Comrade Tulayev by Victor Serge"
    assert root.find(f"{SVG}title").text == root.get("aria-label")
    shown = " ".join(texts(svg)).split()
    for word in ["The", "Case", "of", "Comrade", "Tulayev", "Victor", "Serge"]:
        assert word in shown


def test_placeholder_escapes_a_hostile_title_and_author():
    svg = placeholder(title=HOSTILE_TITLE, author='"><img src=x onerror=alert(1)>')

    assert "<script>" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text.startswith(f"Cover of {HOSTILE_TITLE} by ")
    assert not root.findall(f".//{SVG}script")


def test_placeholder_cuts_a_long_title_with_an_ellipsis_but_names_it_in_full():
    title = "A Very Long Title " * 10
    svg = placeholder(title=title)

    title_lines = texts(svg)[:-1]  # the last line is the author
    assert len(title_lines) <= 5
    assert title_lines[-1].endswith("\u2026")
    assert parse(svg).get("aria-label") == f"Cover of {title.strip()} by Victor Serge"


def test_placeholder_is_two_by_three_at_the_requested_width():
    root = parse(placeholder(width=160))
    assert (root.get("width"), root.get("height")) == ("160", "240")


def test_placeholder_styles_with_attributes_only_so_a_strict_csp_allows_it():
    svg = placeholder()
    assert not re.search(r"\sstyle=", svg)
    assert "<style" not in svg
    assert 'font-family="Georgia' in svg


# --- Template tags -------------------------------------------------------------------


def render(template: str, **context) -> str:
    return Template("{% load covers %}" + template).render(Context(context))


def test_book_cover_tag_links_a_rendition_never_the_original():
    book = BookFactory.build(title="Conquered City", subtitle="A Novel", cover="covers/cc.jpg")

    html = render("{% book_cover book %}", book=book)

    assert 'src="/media/covers/renditions/cc-320.webp"' in html
    assert 'srcset="/media/covers/renditions/cc-160.webp 160w, ' in html
    assert "/media/covers/cc.jpg" not in html
    assert 'alt="Cover of Conquered City: A Novel"' in html
    assert 'width="320" height="480"' in html
    assert 'sizes="320px"' in html
    assert 'loading="lazy"' in html
    assert 'class="cover"' in html


def test_book_cover_tag_at_a_smaller_width_links_the_matching_rendition():
    book = BookFactory.build(cover="covers/cc.jpg")

    html = render(
        '{% book_cover book width=160 sizes="(min-width: 40em) 160px, 40vw" %}', book=book
    )

    assert 'src="/media/covers/renditions/cc-160.webp"' in html
    assert 'width="160" height="240"' in html
    assert 'sizes="(min-width: 40em) 160px, 40vw"' in html


@pytest.mark.django_db
def test_book_cover_tag_inlines_a_generated_cover_for_a_book_without_one():
    book = BookFactory(title="Conquered City", cover="")
    ContributionFactory(book=book, author=AuthorFactory(name="Victor Serge"))

    html = render('{% book_cover book css_class="cover cover--small" %}', book=book)

    root = parse(html)
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == "cover cover--small"
    assert root.get("aria-label") == "Cover of Conquered City by Victor Serge"
    assert "<img" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("cover", ["covers/cc.jpg", ""], ids=["with-cover", "without-cover"])
def test_book_cover_tag_escapes_a_hostile_title(cover):
    book = BookFactory(title=HOSTILE_TITLE, cover=cover)

    html = render("{% book_cover book %}", book=book)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_author_photo_tag_shows_nothing_without_a_photo():
    author = AuthorFactory.build(photo="")
    assert render("{% author_photo author %}", author=author) == ""


def test_author_photo_tag_links_the_photo_rendition():
    author = AuthorFactory.build(name="Victor Serge", photo="authors/serge.jpg")

    html = render("{% author_photo author %}", author=author)

    assert 'src="/media/authors/renditions/serge-160.webp"' in html
    assert 'alt="Photo of Victor Serge"' in html
    assert "/media/authors/serge.jpg" not in html
