"""Command line: the only code that prints or sets the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence

from . import __version__
from .settings import Engine, ExtractSettings

EXIT_OK, EXIT_ALL_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="disclosure-etl",
        description="Chinese budget disclosure PDFs -> canonical Parquet + reconciliation report.",
        epilog="example: disclosure-etl extract samples --out output",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract PDFs (files or folders, recursively) into OUT")
    ex.add_argument("paths", nargs="+", help="PDF files or folders")
    ex.add_argument("--out", default="output", help="output folder (default: output)")
    ex.add_argument("--engine", choices=[e.value for e in Engine], default=os.environ.get("DISCLOSURE_ENGINE", Engine.PDFIUM.value))
    sc = sub.add_parser("schema", help="print the output schemas")
    sc.add_argument("--markdown", action="store_true", help="print docs/schema.md")
    return p


def _extract(args: argparse.Namespace) -> int:
    from .pipeline import run_batch

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        print(f"disclosure-etl: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    batch = run_batch(args.paths, args.out, ExtractSettings(engine=Engine(args.engine)))
    statuses = Counter(r.status.value for r in batch.results)
    for r in batch.results:
        for e in r.errors:
            print(f"{e.code}: {e.message}", file=sys.stderr)
    print(f"{len(batch.results)} document(s): " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
    print(f"wrote {args.out}/ (line_items.parquet, findings.parquet, report.html, …)")
    if batch.results and statuses.get("error", 0) == len(batch.results):
        return EXIT_ALL_FAILED
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .write.schema import SCHEMAS, arrow_schema, schema_markdown

    if args.markdown:
        sys.stdout.write(schema_markdown())
    else:
        for name in SCHEMAS:
            print(f"{name}\n{arrow_schema(name)}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return {"extract": _extract, "schema": _schema}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
