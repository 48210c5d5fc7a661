"""`python -m samplegen [OUTDIR] [--variant planted|scanned] [--family seed|jiangsu|central]`: write a sample PDF and its ground truth.

`--family` alone writes a layout family's document; with `--variant planted`, its planted variant.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from samplegen.families import FAMILIES
from samplegen.model import DocSpec
from samplegen.planted import planted_doc
from samplegen.planted_families import PLANTINGS
from samplegen.render import render_pdf
from samplegen.scanned import SLUG as SCANNED_SLUG
from samplegen.scanned import pdf_to_scanned
from samplegen.seed_data import seed_doc
from samplegen.text import DEFAULT_FONT_PATH, FontMissingError
from samplegen.truth import sections_json, tables_json, truth_csv

# The clean seed is what samples/ holds; `planted` carries one error of each kind;
# `scanned` is the seed as page images (its truth is the seed's, in samples/).
VARIANTS = {"seed": seed_doc, "planted": planted_doc, "scanned": seed_doc}


def build_outputs(doc: DocSpec, font_path: str) -> dict[str, bytes]:
    """File name -> content for one document; nothing written yet."""
    pdf, pages = render_pdf(doc, font_path)
    return {
        f"{doc.slug}.pdf": pdf,
        f"{doc.slug}.truth.csv": truth_csv(doc, pages).encode("utf-8"),
        f"{doc.slug}.tables.json": tables_json(doc, pages).encode("utf-8"),
        f"{doc.slug}.sections.json": sections_json(doc, pages).encode("utf-8"),
    }


def build_variant(variant: str, font_path: str) -> dict[str, bytes]:
    doc = VARIANTS[variant]()
    if variant == "scanned":
        pdf, _ = render_pdf(doc, font_path)
        return {f"{SCANNED_SLUG}.pdf": pdf_to_scanned(pdf)}
    return build_outputs(doc, font_path)


def build_family(family: str, variant: str, font_path: str) -> dict[str, bytes]:
    """A layout family's document (variant `seed`), or its planted variant."""
    doc = PLANTINGS[family].doc() if variant == "planted" else FAMILIES[family]()
    return build_outputs(doc, font_path)


def write_atomically(outdir: Path, files: dict[str, bytes]) -> None:
    """Each file goes to a temp name in outdir first, so none is ever half-written."""
    outdir.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        tmp = outdir / f".{name}.tmp"
        tmp.write_bytes(content)
        os.replace(tmp, outdir / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samplegen", description=__doc__)
    parser.add_argument("outdir", nargs="?", default="samples", help="output directory (default: samples/)")
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="seed", help="document to write (default: seed)")
    parser.add_argument("--family", choices=sorted(FAMILIES), help="a layout family's document (or its planted variant)")
    args = parser.parse_args(argv)
    if args.family and args.variant != "seed" and not (args.variant == "planted" and args.family in PLANTINGS):
        parser.error(f"family {args.family!r} has no {args.variant} variant (planted variants: {', '.join(sorted(PLANTINGS))})")
    font_path = os.environ.get("SAMPLEGEN_FONT", DEFAULT_FONT_PATH)
    try:
        if args.family:
            files = build_family(args.family, args.variant, font_path)
        else:
            files = build_variant(args.variant, font_path)
    except FontMissingError as exc:
        print(f"samplegen: {exc}", file=sys.stderr)
        return 2
    write_atomically(Path(args.outdir), files)
    for name in files:
        print(Path(args.outdir) / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
