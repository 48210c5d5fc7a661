"""I/O: what a PDF would cost to read, measured before PDFium parses it.

A 3 MB PDF can hold a stream that inflates to gigabytes, or a page that
draws the same form a thousand times; PDFium inflates and parses whatever it
is given and aborts the process when memory runs out. So the document's
objects are walked first (pikepdf reads the structure without decoding) and
every stream is inflated here with a bound, its output counted and dropped:

- a stream other than an image's inflating past `max_stream_mb` refuses the
  whole document (`too_large`): fonts and colour profiles are shared by pages;
- a page whose content — its content streams, plus each form XObject it draws,
  counted once per `Do` — inflates past `max_page_content_mb`, or that holds an
  image of more than `max_image_pixels`, is not read (`page_too_large`); the
  rest of the document is.

Images are not inflated: PDFium decodes them line by line up to their
declared size, which is what the pixel limit bounds. The worker's memory
limit stays the backstop for anything this does not foresee.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field

from ..errors import ErrorCode, SourceError
from ..settings import ExtractSettings
from .fonts import unmapped_font
from .inflate import CHUNK, bounded_is_prefix, decode_bounded, decode_check, inflate, inflate_check
from .objects import missing_objects

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_TF = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+]?[\d.]+\s+Tf\b")
_MAX_FORM_DEPTH = 12


@dataclass(slots=True)
class PageLimits:
    """Pages (0-based) that must not be read, with the reason; empty when the walk was not possible."""

    refused: dict[int, str] = field(default_factory=dict)
    damaged: tuple[int, ...] = ()
    """Streams that cannot be decoded whole — compressed data failing zlib's own checks, a filter name
    PDF does not define, zlib data whose /Filter is gone: PDFium reads what it can, so text drawn with a
    damaged font, or in a damaged content stream, goes missing silently."""
    missing: tuple[int, ...] = ()
    """Objects the file refers to but does not hold (a font's ToUnicode map cut out): both readers
    take them as null, and the text they map reads as other characters."""
    syntax: tuple[str, ...] = ()
    """What qpdf had to guess while parsing objects (an unknown token, a key that is no name, a page
    without a MediaBox): PDFium guesses too, silently, and may read something else than was printed."""
    unresolved: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Pages (0-based) whose content draws with fonts or XObjects their resources do not hold (a damaged
    /Resources or /Font key, a font entry renamed): PDFium draws such text in a stand-in font, as other
    characters or none, and leaves such a form or image out, without a word."""
    unmapped: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Pages (0-based) whose content draws text with a font PDFium cannot map to Unicode (fonts.py), with
    those fonts: their characters read as the font's glyph numbers, whatever the page looks like."""


class _TooLarge(Exception):
    pass


def check_limits(path: str, settings: ExtractSettings) -> PageLimits:
    """Raises SourceError(too_large) for a document over a limit; returns the pages to leave unread."""
    import pikepdf

    try:
        pdf = pikepdf.open(path, suppress_warnings=True)
    except Exception:  # noqa: BLE001 - qpdf could not follow it; PDFium decides (its own errors name the file)
        return _raw_scan(path, settings)
    with pdf:
        damaged, decoded, existing = _check_streams(pdf, path, settings)
        limits = _check_pages(pdf, settings, decoded)
        del decoded
        limits.damaged = damaged
        limits.missing = missing_objects(path, existing)
        limits.syntax = syntax_damage(pdf.get_warnings()) + _fonts_without_program(pdf)
        return limits


_SUBSET = re.compile(r"^/[A-Z]{6}\+")
_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


def _fonts_without_program(pdf) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """Subset fonts (`ABCDEF+Name`) whose program is gone: a subset is embedded by definition, and
    without it PDFium substitutes a font and drops the glyphs the substitute lacks."""
    found: dict[str, None] = {}
    for page in pdf.pages:
        try:
            fonts = _get(_resources(page.obj), "/Font")
            for _name, font in (fonts.items() if fonts is not None else ()):
                for f in [font, *(_get(font, "/DescendantFonts") or [])]:
                    base, descriptor = str(_get(f, "/BaseFont") or ""), _get(f, "/FontDescriptor")
                    if str(_get(f, "/Subtype")) == "/Type0" or not _SUBSET.match(base):
                        continue  # a composite font's program is in its descendant
                    if descriptor is None or not any(k in descriptor for k in _PROGRAMS):
                        found[f"subset font {base[1:]} has no embedded program"] = None
        except Exception:  # noqa: BLE001 - a page whose resources cannot be listed is reported by qpdf's warnings
            continue
    return tuple(found)[:3]


# qpdf's warnings that say nothing was lost: the cross-reference table rebuilt (objects found
# where they are), a stream's /Length corrected, a page given its parent's resources.
_REPAIRED = re.compile(r"xref not found|reconstruct cross-reference|file is damaged|can't find startxref|invalid xref entry|"
                       r"recover(ed)? stream length|Resources is missing or invalid; repairing")


def syntax_damage(warnings: list[str]) -> tuple[str, ...]:
    """qpdf's warnings about objects it could not parse as written, without the file's path."""
    found = [re.sub(r"^.*?\.pdf\b[^:]*: ", "", w) for w in warnings if not _REPAIRED.search(w)]
    return tuple(dict.fromkeys(found))[:3]


_REUSE_BUDGET = 32 << 20
"""Bytes of decoded content the stream check keeps for the page walk, so that it decodes each content
stream once instead of twice (8% of the pre-scan's time over the corpus, 14% on the ASCII85-encoded
samples); past this budget the walk decodes again, as it would without it."""


def _check_streams(pdf, path: str, settings: ExtractSettings) -> tuple[tuple[int, ...], dict[tuple[int, int], bytes], set[tuple[int, int]]]:  # type: ignore[no-untyped-def]
    """Raises past the stream limit; returns the objects whose compressed data is damaged, the decoded
    content streams the page walk will read (`_Walk.decoded`, as far as the budget goes), and every
    object the file holds (`missing_objects`' `existing`).

    The objects are listed here, in the one pass over them: qpdf resolves every object of the file
    when they are first listed (dangling references fixed), and what it adds to its table afterwards
    is null, which pikepdf gives as None, not an object (scalars come back as Python values).
    """
    import pikepdf

    cap = settings.max_stream_mb << 20
    damaged = []
    decoded: dict[tuple[int, int], bytes] = {}
    existing: set[tuple[int, int]] = set()
    budget = _REUSE_BUDGET
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Object):
            existing.add(obj.objgen)
        try:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") == "/Image":
                continue
            filters = _filters(obj)
            keep = settings.max_page_content_mb << 20 if budget > 0 and _may_be_content(obj, filters) else None
            size, intact, data = _decodable(_raw(obj), filters, cap, keep)
        except Exception:  # noqa: BLE001 - a damaged object qpdf cannot describe: PDFium cannot use it either
            continue
        if keep is not None:
            decoded[obj.objgen] = data
            budget -= len(data)
        if size > cap:
            raise SourceError(path, f"a stream (object {obj.objgen[0]}) inflates past the {settings.max_stream_mb} MB limit; not read",
                              code=ErrorCode.TOO_LARGE)
        if not intact:
            damaged.append(obj.objgen[0])
    return tuple(damaged), decoded, existing


def _may_be_content(stream, filters: list[str]) -> bool:  # type: ignore[no-untyped-def]
    """A stream the page walk may decode (no font program, profile or metadata), whose walk-bounded
    decoding is a prefix of the stream check's (`bounded_is_prefix`)."""
    if not filters or not bounded_is_prefix(filters):
        return False
    try:
        kind, what = stream.get("/Subtype"), stream.get("/Type")
        return (kind is None or kind == "/Form") and (what is None or what == "/XObject") and not any(k in stream for k in _NOT_CONTENT)
    except Exception:  # noqa: BLE001 - not a dictionary qpdf can read: the walk decodes it itself
        return False


_NOT_CONTENT = ("/Length1", "/Length2", "/Length3", "/N")  # a font program's lengths, an ICC profile's components


_FILTERS = frozenset({"/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85", "/LZWDecode", "/LZW", "/FlateDecode", "/Fl",
                      "/RunLengthDecode", "/RL", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode", "/DCTDecode", "/DCT", "/JPXDecode", "/Crypt"})
"""Every filter PDF defines (ISO 32000 7.4, with the abbreviations of inline images): any other name is damage."""


def _decodable(raw: bytes, filters: list[str], cap: int, keep: int | None = None) -> tuple[int, bool, bytes]:
    """(the size PDFium would decode, whether it decodes whole, the first keep + 1 bytes decoded): zlib's
    checks hold, every filter is one PDF defines, and zlib data is not left without its filter (a damaged
    /Filter key: PDFium would parse the compressed bytes as they are)."""
    if not filters and raw.rstrip().endswith(b"~>"):  # ASCII85's end marker
        return len(raw), False, b""
    if not filters and raw[:1] == b"x":  # a zlib header
        size, intact = inflate_check(raw, ["/FlateDecode"], cap)
        return len(raw), not (intact and size > 0), b""
    size, intact, kept = decode_check(raw, filters, cap, keep)
    return size, intact and all(f in _FILTERS for f in filters), kept


def _check_pages(pdf, settings: ExtractSettings, decoded: dict[tuple[int, int], bytes]) -> PageLimits:  # type: ignore[no-untyped-def]
    limits = PageLimits()
    walk = _Walk(settings.max_page_content_mb << 20, settings.max_image_pixels, decoded)  # forms are shared: one walk
    for index, page in enumerate(pdf.pages):
        try:
            gaps = walk.page(page.obj)
        except _TooLarge as exc:
            limits.refused[index] = str(exc)
            continue
        except Exception:  # noqa: BLE001 - a damaged page: PDFium reports the page itself
            continue
        unmapped = tuple(g[len(_UNMAPPED) :] for g in gaps if g.startswith(_UNMAPPED))
        if unmapped:
            limits.unmapped[index] = unmapped
        if len(unmapped) < len(gaps):
            limits.unresolved[index] = tuple(g for g in gaps if not g.startswith(_UNMAPPED))
    return limits


# The walk gathers what it finds on a page (and caches it per form) as one set of strings; fonts
# that cannot be mapped are told apart from missing resources by this prefix.
_UNMAPPED = "unmapped:"


class _Walk:
    """Inflated content of a page, each form XObject counted once per `Do`; images checked for size;
    the fonts and XObjects the content names looked up as PDFium looks them up."""

    def __init__(self, cap: int, max_pixels: int, decoded: dict[tuple[int, int], bytes]):
        self.cap = cap
        self.max_pixels = max_pixels
        self.decoded = decoded
        """Streams the stream check decoded already: `decode_bounded(..., cap)` of each, by objgen."""
        self._forms: dict[tuple[int, int], tuple[int, frozenset[str]]] = {}
        self._active: set[tuple[int, int]] = set()
        self._page_resources = None
        self._gaps: set[str] = set()

    def page(self, page) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
        """Walk one page (raises _TooLarge past a limit); the names it draws with that no resource holds."""
        self._page_resources = _resources(page)
        self._gaps = set()
        contents = _contents(page)
        if not contents and page.get("/Contents") is None and _get(self._page_resources, "/Font"):
            self._gaps.add("fonts but no content stream")  # a blank page needs no fonts: its /Contents key is damaged
        self.cost(contents, self._page_resources, 0)
        return tuple(sorted(self._gaps))

    def cost(self, streams: list, resources, depth: int) -> int:  # type: ignore[no-untyped-def]
        """Bytes PDFium would parse for these content streams and the forms they draw."""
        data = b"".join(self._decode(s) for s in streams)
        total = len(data)
        uses = _DO.findall(data) if b"Do" in data else []  # most pages draw no XObject: no pass of the pattern
        xobjects = self._category(resources, "/XObject")
        fonts, font_names = self._category(resources, "/Font"), _TF.findall(data)
        self._gaps |= _unheld(uses, xobjects, "XObject") | _unheld(font_names, fonts, "font") | _unmapped_used(font_names, fonts)
        for name in uses if xobjects is not None else ():
            if total > self.cap:
                break
            xobj = _get(xobjects, "/" + name.decode("latin-1"))
            kind = _get(xobj, "/Subtype")
            if kind == "/Image":
                self._check_image(xobj)
            elif kind == "/Form":
                total += self._form_cost(xobj, resources, depth + 1)
        if total > self.cap:
            raise _TooLarge(f"its content inflates past the {self.cap >> 20} MB limit (forms counted each time they are drawn)")
        return total

    def _decode(self, stream) -> bytes:  # type: ignore[no-untyped-def]
        found = self.decoded.get(stream.objgen)
        return found if found is not None else decode_bounded(_raw(stream), _filters(stream), self.cap)

    def _category(self, resources, key: str):  # type: ignore[no-untyped-def]
        """Fonts or XObjects as PDFium finds them: in the form's own resources, else in the page's."""
        found = _get(resources, key)
        return found if found is not None else _get(self._page_resources, key)

    def _form_cost(self, form, parent_resources, depth: int) -> int:  # type: ignore[no-untyped-def]
        key = form.objgen
        if key in self._forms:
            cost, gaps = self._forms[key]
            self._gaps |= gaps
            return cost
        if key in self._active or depth > _MAX_FORM_DEPTH:  # a form drawing itself: PDFium stops there too
            return 0
        self._active.add(key)
        outer, self._gaps = self._gaps, set()
        try:
            own = _get(form, "/Resources")  # a form without resources draws with its parent's
            cost = self.cost([form], own if own is not None else parent_resources, depth)
            self._forms[key] = (cost, frozenset(self._gaps))
        finally:
            self._active.discard(key)
            self._gaps |= outer
        return cost

    def _check_image(self, image) -> None:  # type: ignore[no-untyped-def]
        pixels = int(_get(image, "/Width") or 0) * int(_get(image, "/Height") or 0)
        if pixels > self.max_pixels:
            raise _TooLarge(f"an image of {pixels / 1e6:.0f} megapixels exceeds the {self.max_pixels / 1e6:.0f} MP limit")


def _unheld(names: list[bytes], held, what: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The names content uses (`/F1 12 Tf`, `/Im0 Do`) that the resource dictionary `held` has no entry for."""
    if not names:
        return set()
    try:
        keys = set(held.keys()) if held is not None else set()
    except Exception:  # noqa: BLE001 - not a dictionary: PDFium finds nothing in it either
        keys = set()
    found = (_key(raw) for raw in set(names))
    return {f"{what} {name} not in its resources" for name in found if name is not None and name not in keys}


def _unmapped_used(names: list[bytes], fonts) -> set[str]:  # type: ignore[no-untyped-def]
    """The fonts content draws with (`/F1 12 Tf`) that PDFium cannot map to Unicode, by their BaseFont."""
    found = set()
    for key in {_key(raw) for raw in set(names)} - {None}:
        font = _get(fonts, key)
        if font is not None and unmapped_font(font):
            found.add(_UNMAPPED + str(_get(font, "/BaseFont") or key).lstrip("/"))
    return found


def _key(raw: bytes) -> str | None:
    """A name from content as pikepdf spells a key ('/F1', `#xx` escapes undone); None when not ASCII."""
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return "/" + raw.decode("ascii")
    except UnicodeDecodeError:
        return None


def _resources(page):  # type: ignore[no-untyped-def]
    """The page's resources, inherited from its page-tree parents when it has none of its own."""
    node, hops = page, 0
    while node is not None and hops < 64:
        found = _get(node, "/Resources")
        if found is not None:
            return found
        node, hops = _get(node, "/Parent"), hops + 1
    return None


def _get(obj, key):  # type: ignore[no-untyped-def]
    if obj is None or key is None:
        return obj
    try:
        return obj.get(key)
    except Exception:  # noqa: BLE001 - not a dictionary
        return None


def _contents(page) -> list:  # type: ignore[no-untyped-def]
    import pikepdf

    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def _raw(stream) -> bytes:  # type: ignore[no-untyped-def]
    try:
        return bytes(stream.read_raw_bytes())
    except Exception:  # noqa: BLE001 - a stream qpdf cannot read is one PDFium cannot inflate either
        return b""


def _filters(stream) -> list[str]:  # type: ignore[no-untyped-def]
    import pikepdf

    value = stream.get("/Filter")
    names = [value] if isinstance(value, pikepdf.Name) else list(value) if isinstance(value, pikepdf.Array) else []
    # A damaged name may not be UTF-8: compared as bytes, it is simply no known filter.
    return [bytes(v.unparse()).decode("latin-1") for v in names if isinstance(v, pikepdf.Name)]


def _raw_scan(path: str, settings: ExtractSettings) -> PageLimits:
    """Without a structure to walk: every zlib stream in the file's bytes, against the stream limit."""
    cap = settings.max_stream_mb << 20
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for m in re.finditer(rb"(?<!end)stream\r?\n", data):  # type: ignore[call-overload]
            pieces = (data[at : at + CHUNK] for at in range(m.end(), len(data), CHUNK))
            if sum(len(c) for c in inflate(pieces, cap)) > cap:
                raise SourceError(path, f"a stream at byte {m.start()} inflates past the {settings.max_stream_mb} MB limit; not read",
                                  code=ErrorCode.TOO_LARGE)
    return PageLimits()
