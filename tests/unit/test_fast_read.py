"""The read stage's speed tricks give exactly what the plain code gives."""

from __future__ import annotations

import base64
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_etl.extract import limits
from disclosure_etl.extract.charboxes import columns_to_records
from disclosure_etl.extract.inflate import a85_decode, bounded_is_prefix, decode_bounded, decode_check
from disclosure_etl.records import BBox, Char, Rule
from disclosure_etl.settings import ExtractSettings


def _a85_reference(data: bytes) -> bytes | None:
    try:
        return base64.a85decode(data)
    except ValueError:
        return None


def _a85_ours(data: bytes) -> bytes | None:
    try:
        return a85_decode(data)
    except ValueError:
        return None


_DIGITS = st.sampled_from(list(b"!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstu"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_DIGITS, st.sampled_from(list(b"zu!~y\x00\x7f"))), max_size=40).map(bytes))
def test_a85_agrees_with_base64_on_any_digits(data):
    """Short groups, 'z' inside a group, overflowing groups, bytes outside the alphabet: the same bytes or the same refusal."""
    assert _a85_ours(data) == _a85_reference(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_a85_decodes_what_base64_encodes(raw):
    encoded = base64.a85encode(raw)
    assert a85_decode(encoded) == raw
    assert _a85_ours(encoded[:-3]) == _a85_reference(encoded[:-3])


def test_records_from_columns_equal_records_from_the_class():
    xs = [0.5, 1.0, float("nan")]
    boxes = columns_to_records(BBox, xs, [2.0, 3.0, 4.0], [5.0, 6.0, 7.0], [8.0, 9.0, 10.0])
    assert [(b.x0, b.top, b.x1, b.bottom) for b in boxes[:2]] == [(0.5, 2.0, 5.0, 8.0), (1.0, 3.0, 6.0, 9.0)]
    assert boxes[:2] == list(map(BBox, xs, [2.0, 3.0, 4.0], [5.0, 6.0, 7.0], [8.0, 9.0, 10.0]))[:2]
    chars = columns_to_records(Char, ["a", "b", "c"], boxes)
    assert chars[:2] == [Char("a", boxes[0]), Char("b", boxes[1])] and chars[2].confidence == 1.0
    assert columns_to_records(Rule, [1.0], [2.0], [3.0], [4.0]) == [Rule(1.0, 2.0, 3.0, 4.0)]
    assert columns_to_records(BBox, [], [], [], []) == []
    with pytest.raises(AttributeError):
        boxes[0].x0 = 3.0  # type: ignore[misc]  # frozen as ever
    with pytest.raises(TypeError):
        columns_to_records(Char, ["a"])


_CHAINS = [["/FlateDecode"], ["/ASCII85Decode", "/FlateDecode"], ["/AHx", "/Fl"], ["/ASCII85Decode"]]


def _encode(payload: bytes, chain: list[str]) -> bytes:
    for name in reversed(chain):
        if name in ("/FlateDecode", "/Fl"):
            payload = zlib.compress(payload)
        elif name == "/ASCII85Decode":
            payload = base64.a85encode(payload) + b"~>"
        else:
            payload = payload.hex().encode() + b">"
    return payload


@pytest.mark.parametrize("chain", _CHAINS)
@pytest.mark.parametrize("cap", [10, 1000, 1 << 20])
def test_a_stream_checked_once_keeps_what_the_page_walk_decodes(chain, cap):
    payload = bytes(range(256)) * 40 + b"BT /F1 12 Tf (x) Tj ET" * 100
    raw = _encode(payload, chain)
    assert bounded_is_prefix(chain)
    size, intact, kept = decode_check(raw, chain, 1 << 28, keep=cap)
    assert kept == decode_bounded(raw, chain, cap) and size == len(payload) and intact
    damaged = raw[: len(raw) // 2] + b"\x00" * 7 + raw[len(raw) // 2 :]
    assert decode_check(damaged, chain, 1 << 28, keep=cap)[2] == decode_bounded(damaged, chain, cap)


def test_chains_a_cap_could_cut_elsewhere_are_decoded_again():
    assert not bounded_is_prefix(["/FlateDecode", "/FlateDecode"])
    assert not bounded_is_prefix(["/RunLengthDecode", "/FlateDecode"])
    assert not bounded_is_prefix(["/FlateDecode", "/ASCII85Decode"])
    assert not bounded_is_prefix(["/DCTDecode"])


def test_the_page_walk_finds_the_same_with_and_without_reused_streams(monkeypatch):
    from conftest import SAMPLES, corpus_dir

    pdfs = sorted(SAMPLES.glob("*.pdf")) + (sorted(corpus.rglob("*.pdf"))[:6] if (corpus := corpus_dir()) else [])
    settings_ = ExtractSettings(max_page_content_mb=1)

    def found(pdf):  # type: ignore[no-untyped-def]
        got = limits.check_limits(str(pdf), settings_)
        return got.refused, got.damaged, got.missing, got.syntax, got.unresolved

    reused = [found(pdf) for pdf in pdfs]
    monkeypatch.setattr(limits, "_REUSE_BUDGET", 0)
    assert [found(pdf) for pdf in pdfs] == reused and len(pdfs) > 5


def _chars_one_by_one(text, keep, boxes, frame):  # type: ignore[no-untyped-def]
    """The per-character reading boxes_to_chars replaces."""
    out = []
    for i, (x0, top, x1, low) in zip(keep, zip(*[iter(boxes)] * 4)):
        if x1 <= x0:
            continue
        if frame.rotation != 0:
            out.append(Char(text[i], frame.box(x0, low, x1, top)))
            continue
        y0, y1 = frame.height - (low - frame.bottom), frame.height - (top - frame.bottom)
        left = frame.left
        out.append(Char(text[i], BBox(x0 - left, y1, x1 - left, y0) if y1 <= y0 else BBox(x0 - left, y0, x1 - left, y1)))
    return tuple(out)


_COORD = st.one_of(st.floats(-50, 900, width=32), st.just(float("nan")), st.just(0.0))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_COORD, _COORD, _COORD, _COORD), max_size=12), st.sampled_from([0, 90, 180, 270]))
def test_characters_mapped_at_once_equal_characters_mapped_one_by_one(boxes, rotation):
    import ctypes
    import math

    from disclosure_etl.extract.charboxes import boxes_to_chars
    from disclosure_etl.extract.paths import PageFrame

    frame = PageFrame(12.0, -3.5, 595.0, 842.0, rotation)
    flat = [v for box in boxes for v in box]
    buffer = (ctypes.c_float * len(flat))(*flat)
    text = "".join(chr(0x4E00 + i) for i in range(len(boxes)))
    keep = list(range(len(boxes)))

    def key(chars):  # type: ignore[no-untyped-def]  # NaN == NaN here
        return [(c.text, *(("nan" if math.isnan(v) else v) for v in (c.bbox.x0, c.bbox.top, c.bbox.x1, c.bbox.bottom))) for c in chars]

    assert key(boxes_to_chars(text, keep, buffer, frame)) == key(_chars_one_by_one(text, keep, buffer[:], frame))
