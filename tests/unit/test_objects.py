"""The object-header scan finds exactly what its regular expression finds, on real and on random bytes."""

from __future__ import annotations

import random

import pytest

from conftest import SAMPLES, corpus_dir
from disclosure_etl.extract.objects import OBJECT_RE, missing_objects, object_headers


def _by_regex(data: bytes) -> list[tuple[int, int, int]]:
    return [(int(m.group(1)), int(m.group(2)), m.end()) for m in OBJECT_RE.finditer(data)]


def _near_headers(rng: random.Random, n: int) -> bytes:
    """Headers and near-headers: digit runs of 0-9, zero to three spaces, `obj` or `endobj`, and what may touch them."""
    def digits() -> bytes:
        return bytes(rng.choice(b"0123456789") for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 6, 7, 8, 9])))

    def spaces() -> bytes:
        return bytes(rng.choice(b" \t\n\r\x0b\x0c") for _ in range(rng.choice([0, 1, 1, 1, 2, 3])))

    parts = []
    for _ in range(n):
        parts += [rng.choice([b"", b".", b"x", b"7", b"\n", b"_", b"\xff"]), digits(), spaces(), digits(), spaces(),
                  rng.choice([b"obj", b"obj", b"endobj", b"ob"]), rng.choice([b"", b"x", b"1", b" ", b"_", b"<<", b"\n", b"\x00"])]
    return b"".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_the_scan_equals_the_regex_on_random_near_headers(seed):
    data = _near_headers(random.Random(seed), 300)
    found = _by_regex(data)
    assert list(object_headers(data)) == found and len(found) >= 10


def test_the_scan_equals_the_regex_on_edge_cases():
    for data in [b"obj", b"1 0 obj", b"1 0 obj ", b"1 0 objx", b"1.1 0 obj", b"x1 0 obj", b"12345678 0 obj", b"1234567 0 obj",
                 b"1 123456 obj", b"1 12345 obj", b"1  \n\t 0 \r\n obj<<", b"1 0obj", b"10 obj", b"a1 0 obj", b"_1 0 obj",
                 b"1 0 obj1 0 obj", b"1 0 obj 2 0 obj", b"endobj 3 0 obj"]:
        assert list(object_headers(data)) == _by_regex(data), data


def test_the_scan_equals_the_regex_on_every_sample_and_corpus_pdf():
    pdfs = sorted(SAMPLES.glob("*.pdf")) + (sorted(corpus.rglob("*.pdf")) if (corpus := corpus_dir()) else [])
    for pdf in pdfs:
        data = pdf.read_bytes()
        found = list(object_headers(data))
        assert found == _by_regex(data) and len(found) > 20


def test_a_reference_to_an_object_the_file_does_not_hold_is_missing(tmp_path):
    path = tmp_path / "refs.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Extra 9 0 R >>\nendobj\n"
                     b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n%%EOF\n")
    assert missing_objects(str(path), set()) == (9,)
    assert missing_objects(str(path), {(9, 0)}) == ()
