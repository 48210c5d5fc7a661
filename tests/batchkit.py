"""Helpers of the batch tests: generated inputs, order-free output, hostile files built on the fly.

Everything here is generated (samples/, samplegen, reportlab, zlib), so the
batch tests run without the corpus.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "samples" / "dh_2024_department_budget.pdf"
PLANTED = ROOT / "tests" / "data" / "planted" / "dh_2024_department_budget_planted.pdf"
SCANNED = ROOT / "tests" / "data" / "scanned" / "dh_2024_department_budget_scanned.pdf"
FONT = os.environ.get("SAMPLEGEN_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
NAMES = ("documents", "tables", "line_items", "performance_targets", "sections", "findings")


def generated_inputs(folder: Path, batch_docs: int = 4) -> Path:
    """The sample, its planted variant and `batch_docs` documents of samplegen's batch (needs the CJK font)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copy(PLANTED, folder / PLANTED.name)
    if batch_docs and os.path.exists(FONT):
        from samplegen.batch import build_batch

        for slug, (_, pdf, _) in list(build_batch(FONT, planted=False).items())[:batch_docs]:
            (folder / f"{slug}.pdf").write_bytes(pdf)
    return folder


def canonical(out: Path, raw: bool = False) -> dict[str, list]:
    """Every row of every dataset as sorted tuples (order-free comparison).

    Through `disclosure_etl.load`'s reader (committed generations only), or with
    `raw` as any reader globbing the folders sees them.
    """
    import pyarrow.parquet as pq

    from disclosure_etl.read.datasets import read_dataset

    got = {}
    for name in NAMES:
        table = pq.read_table(out / name) if raw else read_dataset(str(out), name)
        table = table.drop_columns([c for c in ("source", "fiscal_year") if c in table.column_names and (c == "source" or name != "documents")])
        cols = sorted(table.column_names)
        got[name] = sorted(tuple(str(r[c]) for c in cols) for r in table.to_pylist())
    return got


def rows_of(state: dict[str, list], doc_id: str) -> dict[str, list]:
    """One document's own rows in a `canonical` state (not the batch findings naming it: those
    depend on which other documents are in the output)."""
    return {name: [r for r in rows if doc_id in r and not (name == "findings" and "batch" in r)] for name, rows in state.items()}


def long_pdf(src: Path, copies: int, dest: Path) -> Path:
    """A document that takes a while: `src`'s pages repeated."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    part = pdfium.PdfDocument(str(src))
    for _ in range(copies):
        out.import_pages(part)
    out.save(str(dest))
    return dest


# ------------------------------------------------------------------ bombs


def flate_bomb(n_mb: int, unit: bytes = b"0 0 m 1 1 l S\n") -> bytes:
    """A valid zlib stream inflating to `n_mb` MiB of `unit` repeated, built in O(1) work.

    Full flushes make each compressed MiB identical, so it is repeated as bytes;
    the Adler-32 of the whole is computed from the MiB.
    """
    chunk = (unit * ((1 << 20) // len(unit) + 1))[: 1 << 20]
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    rest = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    adler = 1
    for _ in range(n_mb):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + first + rest * (n_mb - 1) + c.flush() + adler.to_bytes(4, "big")


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref from object bodies (1-based numbers; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", flate: bool = True) -> bytes:
    head = b"<< /Length %d%s%s >>" % (len(data), b" /Filter /FlateDecode" if flate else b"", extra)
    return head + b"\nstream\n" + data + b"\nendstream"


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def content_bomb(n_mb: int) -> bytes:
    """One page whose content stream inflates to `n_mb` MiB of path operators."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return pdf_from_objects([_CATALOG, _PAGES, page, _stream(flate_bomb(n_mb))])


def font_bomb(n_mb: int) -> bytes:
    """A small page whose embedded font program inflates to `n_mb` MiB."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 /LastChar 32 /Widths [500] /FontDescriptor 6 0 R >>"
    descriptor = b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>"
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")
    return pdf_from_objects([_CATALOG, _PAGES, page, _stream(content), font, descriptor, _stream(flate_bomb(n_mb), b" /Length1 1000")])


def form_bomb(form_kb: int, uses: int) -> bytes:
    """A page drawing one small form XObject `uses` times: small streams, a huge page to parse."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Fx 5 0 R >> >> >>"
    content = zlib.compress(b"q /Fx Do Q\n" * uses)
    unit = b"0 0 m 1 1 l S\n"
    body = zlib.compress(unit * (form_kb * 1024 // len(unit)))
    form = _stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]")
    return pdf_from_objects([_CATALOG, _PAGES, page, _stream(content), form])


def image_bomb(width: int, height: int) -> bytes:
    """A page showing an image that declares `width` × `height` pixels (its data is a few bytes)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im 5 0 R >> >> >>"
    content = zlib.compress(b"q 595 0 0 842 0 0 cm /Im Do Q")
    image = _stream(flate_bomb(1, b"\x00"), b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8" % (width, height))
    return pdf_from_objects([_CATALOG, _PAGES, page, _stream(content), image])


# ------------------------------------------------------------------ fuzzing


def content_ranges(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the objects holding page content (content streams and the forms pages draw)."""
    import io

    import pikepdf

    numbers: set[int] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            for c in contents if isinstance(contents, pikepdf.Array) else [contents]:
                if c is not None:
                    numbers.add(c.objgen[0])
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            numbers.update(x.objgen[0] for _, x in xobjects.items() if x.get("/Subtype") == "/Form")
    ranges = []
    for m in re.finditer(rb"(?m)^(\d+) 0 obj", data):
        if int(m.group(1)) in numbers:
            ranges.append((m.start(), data.find(b"endobj", m.end()) + 6))
    return ranges


Span = tuple[int, int]


def mutants(sources: list[bytes], n: int, seed: int) -> Iterator[tuple[int, int, str, bytes, list[Span]]]:
    """(i, source index, kind, bytes, byte ranges of the source it changed): byte flips anywhere, a few flips in the
    syntax between stream data (dictionaries, xref), truncation, a deleted object."""
    rng = random.Random(seed)
    outside = [_outside_streams(s) for s in sources]
    for i in range(n):
        src = rng.randrange(len(sources))
        data = bytearray(sources[src])
        kind = ("flip", "truncate", "delete", "syntax")[i % 4]
        if kind in ("flip", "syntax"):  # anywhere, or only in the syntax around stream data (dictionaries, xref)
            at = [rng.randrange(len(data)) if kind == "flip" else rng.choice(outside[src]) for _ in range(rng.randint(1, 64 if kind == "flip" else 4))]
            for pos in at:
                data[pos] = rng.randrange(256)
            touched = [(pos, pos + 1) for pos in at]
        elif kind == "truncate":
            cut = rng.randrange(len(data))
            data, touched = data[:cut], [(cut, len(sources[src]))]
        else:  # one whole object, header to endobj
            starts = [m.start() for m in re.finditer(rb"(?m)^\d+ \d+ obj\b", data)]
            start = rng.choice(starts)
            touched = [(start, data.find(b"endobj", start) + 6)]
            del data[touched[0][0] : touched[0][1]]
        yield i, src, kind, bytes(data), touched


def _outside_streams(data: bytes) -> list[int]:
    """Byte positions not inside any stream's data."""
    inside = bytearray(len(data))
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        inside[m.start(1) : m.end(1)] = b"\x01" * (m.end(1) - m.start(1))
    return [i for i, flag in enumerate(inside) if not flag]


def touches(touched: list[Span], ranges: list[Span]) -> bool:
    return any(a < end and start < b for a, b in touched for start, end in ranges)
