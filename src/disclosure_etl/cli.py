"""Command line: the only code that prints or sets the exit code.

Exit codes: 0 when at least one document was extracted (or skipped as already
extracted); 1 when every document failed; 2 on usage errors.
"""

from __future__ import annotations

import argparse
import logging
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
        epilog="example: disclosure-etl extract samples --out output --workers 2",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract PDFs (files or folders, recursively) into OUT")
    ex.add_argument("paths", nargs="+", help="PDF files or folders")
    ex.add_argument("--out", default="output", help="output folder (default: output)")
    ex.add_argument("--engine", choices=[e.value for e in Engine], default=os.environ.get("DISCLOSURE_ENGINE", Engine.PDFIUM.value))
    ex.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: number of cores)")
    ex.add_argument("--executor", choices=["local", "dask"], default="local")
    ex.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT (with --executor dask)")
    ex.add_argument("--force", action="store_true", help="re-extract documents already in OUT (same sha256)")
    ex.add_argument("--timeout", type=float, default=None, help="seconds allowed per document (the worker is killed past it)")
    be = sub.add_parser("bench", help="time our pipeline against pdfplumber, camelot and raw PDFium on the same PDFs")
    be.add_argument("paths", nargs="+", help="PDF files or folders")
    be.add_argument("--out", default="output", help="writes OUT/bench/bench-<UTC>.json and OUT/bench/latest.json")
    be.add_argument("--repeats", type=int, default=3, help="passes per engine; the best is kept (default: 3)")
    be.add_argument("--engines", nargs="+", default=["ours", "pdfplumber", "camelot", "pdfium_chars"],
                    choices=["ours", "pdfplumber", "camelot", "pdfium_chars"], help="engines to time ('ours' is required)")
    be.add_argument("--scaling", action="store_true", help="also measure peak RSS of 20- vs 200-document batches and the 2-worker speed-up")
    sc = sub.add_parser("schema", help="print the output schemas")
    sc.add_argument("--markdown", action="store_true", help="print docs/schema.md")
    return p


def _extract(args: argparse.Namespace) -> int:
    from .batch import BatchSettings, run_batch

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        print(f"disclosure-etl: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.executor == "dask" and not args.scheduler:
        print("disclosure-etl: --executor dask needs --scheduler tcp://HOST:PORT", file=sys.stderr)
        return EXIT_USAGE
    batch = BatchSettings(workers=max(1, args.workers), executor=args.executor, scheduler=args.scheduler, force=args.force, timeout_s=args.timeout)
    result = run_batch(args.paths, args.out, ExtractSettings(engine=Engine(args.engine)), batch, progress=_progress(args.quiet))
    statuses = Counter(s.status.value for s in result.summaries)
    if result.skipped:
        statuses["skipped"] = len(result.skipped)
    if not args.quiet:
        print(f"{sum(statuses.values())} document(s): " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
        print(f"wrote {args.out}/ (documents/, line_items/, findings/ …, report.html)")
    if result.summaries and statuses.get("error", 0) == len(result.summaries) and not result.skipped:
        return EXIT_ALL_FAILED
    return EXIT_OK


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    def report(summary) -> None:  # type: ignore[no-untyped-def]
        for e in summary.errors:
            print(f"{e.code}: {e.message}", file=sys.stderr)
        if not quiet:
            logging.getLogger("disclosure_etl").info("%s %s (%d pages)", summary.status.value, summary.path, summary.n_pages)

    return report


def _bench(args: argparse.Namespace) -> int:
    from .bench import run_bench
    from .errors import DisclosureError

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing or args.repeats < 1 or "ours" not in args.engines:
        print("disclosure-etl: bench needs existing PATHS, --repeats >= 1 and 'ours' among --engines", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = run_bench(args.paths, args.out, repeats=args.repeats, engines=tuple(args.engines))
    except DisclosureError as exc:
        print(f"disclosure-etl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(report.to_table())
    if args.scaling:
        from .bench_scale import run_scaling, scaling_table

        sys.stdout.write(scaling_table(run_scaling(args.paths, args.out)))
    print(f"wrote {args.out}/bench/latest.json")
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
    level = logging.ERROR if args.quiet else (logging.DEBUG if args.verbose > 1 else logging.INFO if args.verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")
    return {"extract": _extract, "schema": _schema, "bench": _bench}[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
