"""Pure: the filters of PDF streams undone with a bound on what they produce.

Each decoder works on chunks and stops once `cap` bytes are out, so a stream
inflating to gigabytes costs at most `cap` (plus a chunk) of memory; what the
limits pre-scan (`limits.py`) needs is the size and whether zlib's checks held.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

CHUNK = 1 << 20


def inflated_size(raw: bytes, filters: list[str], cap: int) -> int:
    """Bytes the filters would produce, counted up to cap + 1 without keeping them."""
    return inflate_check(raw, filters, cap)[0]


def inflate_check(raw: bytes, filters: list[str], cap: int) -> tuple[int, bool]:
    """(bytes the filters would produce, up to cap + 1; whether every Flate stage decoded intact)."""
    health = _Health()
    total = 0
    for chunk in _decode(raw, filters, cap, health):
        total += len(chunk)
        if total > cap:
            return cap + 1, health.intact
    return total, health.intact


class _Health:
    """Set by the Flate stages: False once data fails zlib's checks or ends before its end marker."""

    def __init__(self) -> None:
        self.intact = True


def decode_bounded(raw: bytes, filters: list[str], cap: int) -> bytes:
    """The decoded bytes, at most cap + 1 of them (more than cap means: over the limit)."""
    out = bytearray()
    for chunk in _decode(raw, filters, cap):
        out += chunk
        if len(out) > cap:
            break
    return bytes(out[: cap + 1])


def _decode(raw: bytes, filters: list[str], cap: int, health: _Health | None = None) -> Iterator[bytes]:
    chunks: Iterator[bytes] = iter([raw])
    for name in filters:
        step = _DECODERS.get(name)
        if step is None:  # an image codec (DCT, JPX, JBIG2, CCITT): its size is the image's
            break
        chunks = inflate(chunks, cap, health) if step is inflate else step(chunks, cap)
    return chunks


def inflate(chunks: Iterator[bytes], cap: int, health: _Health | None = None) -> Iterator[bytes]:
    d = zlib.decompressobj()
    total = 0
    for chunk in chunks:
        while chunk and not d.eof:
            try:
                out = d.decompress(chunk, CHUNK)
            except zlib.error:  # damaged data: PDFium keeps what came before the damage
                if health is not None:
                    health.intact = False
                return
            total += len(out)
            yield out
            if total > cap:
                return
            chunk = d.unconsumed_tail
    if health is not None and not d.eof and total:  # the data stops before its end marker
        health.intact = False


def _whole(chunks: Iterator[bytes], cap: int) -> bytes:
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > cap:
            break
    return bytes(data)


def _a85(chunks: Iterator[bytes], cap: int) -> Iterator[bytes]:
    data = re.sub(rb"\s+", b"", _whole(chunks, cap))
    data = data[2:] if data.startswith(b"<~") else data
    end = data.find(b"~>")
    try:
        yield base64.a85decode(data[:end] if end >= 0 else data)
    except ValueError:
        return


def _ahx(chunks: Iterator[bytes], cap: int) -> Iterator[bytes]:
    data = re.sub(rb"[^0-9A-Fa-f>]", b"", _whole(chunks, cap)).split(b">")[0]
    yield bytes.fromhex((data + b"0" if len(data) % 2 else data).decode())


def _run_length(chunks: Iterator[bytes], cap: int) -> Iterator[bytes]:
    data, i, out = _whole(chunks, cap), 0, bytearray()
    while i < len(data) and data[i] != 128 and len(out) <= cap:
        n = data[i]
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
    yield bytes(out)


def _lzw(chunks: Iterator[bytes], cap: int) -> Iterator[bytes]:
    """LZW as PDF uses it (early change); up to cap + 1 bytes."""
    data = _whole(chunks, cap)
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    out, prev, width, acc, bits = bytearray(), b"", 9, 0, 0
    for byte in data:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= width:
            bits -= width
            code = (acc >> bits) & ((1 << width) - 1)
            if code == 256:
                table, prev, width = table[:258], b"", 9
                continue
            if code == 257 or len(out) > cap:
                yield bytes(out)
                return
            entry = table[code] if code < len(table) else prev + prev[:1]
            out += entry
            if prev:
                table.append(prev + entry[:1])
            prev = entry
            width = min(12, max(9, (len(table) + 1).bit_length()))
    yield bytes(out)


_DECODERS = {"/FlateDecode": inflate, "/Fl": inflate, "/ASCII85Decode": _a85, "/A85": _a85,
             "/ASCIIHexDecode": _ahx, "/AHx": _ahx, "/RunLengthDecode": _run_length, "/RL": _run_length,
             "/LZWDecode": _lzw, "/LZW": _lzw}
