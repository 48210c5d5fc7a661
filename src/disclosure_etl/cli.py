"""Command line (Click): the only code that prints or sets the exit code.

Exit codes: 0 when at least one document was extracted or skipped as already
extracted; 1 when every document failed; 2 on usage errors.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from collections.abc import Sequence

import click

from . import __version__
from .display import escape_text
from .settings import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, Engine, ExtractSettings

EXIT_OK, EXIT_ALL_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("disclosure_etl")

EXAMPLES = """\b
Examples:
  disclosure-etl extract samples --out output
  disclosure-etl extract ~/pdfs/ --out output --workers 4 --timeout 120
  disclosure-etl check samples/dh_2024_department_budget.pdf
  disclosure-etl report output
  disclosure-etl export output --xlsx budgets.xlsx
  disclosure-etl schema line_items

\b
Exit codes: 0 ok (at least one document extracted or already done),
1 every document failed, no PDF found, or an unusable folder; 2 usage error.
"""


def _examples(*lines: str, exit_codes: str = "") -> str:
    """A command's --help epilog: its examples (\\b keeps Click from rewrapping them)."""
    text = "\b\nExamples:\n" + "\n".join(f"  disclosure-etl {line}" for line in lines) + "\n"
    return text + (f"\n\b\nExit codes: {exit_codes}\n" if exit_codes else "")


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="disclosure-etl")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def main(verbose: int, quiet: bool) -> None:
    """Chinese budget disclosure PDFs -> canonical Parquet + a reconciliation report."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(message)s")


EXTRACT_EXAMPLES = _examples(
    "extract samples --out output",
    "extract ~/district-pdfs/ more.pdf --out output --workers 2",
    "extract ~/pdfs/ --out output --timeout 120 --force",
    "extract ~/province/ --out output --executor dask --scheduler tcp://scheduler-host:8786",
    exit_codes="0 at least one document extracted or already done; 1 every document failed, no PDF found, "
    "or --out unusable; 2 usage error.",
)


@main.command(epilog=EXTRACT_EXAMPLES)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", default="output", show_default=True, help="Output folder.")
@click.option("--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="number of cores", help="Worker processes.")
@click.option("--engine", type=click.Choice([e.value for e in Engine]), default=Engine.PDFIUM.value, show_default=True, help="Character reader.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address, tcp://HOST:PORT (with --executor dask).")
@click.option("--force", is_flag=True, help="Re-extract documents already in OUT (same sha256).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds allowed per document; the worker is killed past it.")
@click.option("--max-memory", type=click.IntRange(min=256), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="MB of memory a worker may allocate; a document needing more is reported too_large.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait while another run holds OUT; then exit 1.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.pass_context
def extract(ctx, paths, out, workers, engine, executor, scheduler, force, timeout, max_memory, wait, progress) -> None:  # type: ignore[no-untyped-def]
    """Extract PDFs (files or folders, searched recursively) into OUT."""
    from .batch import BatchSettings, run_batch
    from .batch.lock import OutputLocked
    from .progress import BatchProgress

    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT")
    _require_pdfs(paths)
    _require_out_folder(out)
    batch = BatchSettings(workers=workers, executor=executor, scheduler=scheduler, force=force, timeout_s=timeout,
                          max_memory_mb=max_memory, lock_wait_s=wait)
    quiet = logging.getLogger().level >= logging.ERROR
    emit = lambda line: click.echo(line, err=True)  # noqa: E731
    try:
        with BatchProgress(enabled=sys.stderr.isatty() if progress is None else progress, quiet=quiet, emit=emit) as bar:
            result = run_batch(list(paths), out, ExtractSettings(engine=Engine(engine)), batch, progress=bar.update, plan=bar.start)
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the output folder itself: disk full, read-only, permissions
        raise click.ClickException(f"cannot write to {escape_text(out)}: {exc.strerror or exc}") from None
    _print_summary(result, out, quiet)
    failed = sum(1 for s in result.summaries if s.status.value == "error")
    ctx.exit(EXIT_ALL_FAILED if result.summaries and failed == len(result.summaries) and not result.skipped else EXIT_OK)


def _require_pdfs(paths: Sequence[str]) -> None:
    from .pipeline import iter_pdf_paths

    if next(iter_pdf_paths(paths), None) is None:
        raise click.ClickException(f"no PDF found in {', '.join(paths)} (folders are searched recursively for *.pdf)")


def _require_out_folder(out: str) -> None:
    """--out must be a folder we can write in (created if missing)."""
    if os.path.exists(out) and not os.path.isdir(out):
        raise click.ClickException(f"--out {out} is a file, not a folder")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"--out {out}: cannot create the folder ({exc.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise click.ClickException(f"--out {out}: the folder is not writable")


def _print_digest(out: str) -> None:
    from .read.digest import read_digest

    for line in read_digest(out).lines():
        click.echo(line)


def _print_summary(result, out: str, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    statuses = Counter(s.status.value for s in result.summaries)
    codes = Counter(e.code for s in result.summaries for e in s.errors)
    kept = sum(1 for s in result.summaries if s.note.startswith("kept"))
    if result.skipped:
        statuses["already extracted"] = len(result.skipped)
    if quiet:
        return
    click.echo(f"\n{'status':<20}{'documents':>10}")
    for status, n in sorted(statuses.items()):
        click.echo(f"{status:<20}{n:>10}")
    for code, n in sorted(codes.items()):
        click.echo(f"  {code:<18}{n:>10}")
    if kept:
        click.echo(f"{kept} failed re-extraction(s): the earlier extraction was kept")
    click.echo(f"\nwrote {escape_text(out)}/ (documents/, line_items/, findings/ …, report.html)")
    _print_digest(out)


def _require_output(out_dir: str) -> None:
    from .read.datasets import has_output

    if not os.path.isdir(out_dir):
        raise click.ClickException(f"no folder at {out_dir}")
    if not has_output(out_dir):
        raise click.ClickException(f"no output in {out_dir} (no documents/*.parquet): run `disclosure-etl extract PDFS --out {out_dir}` first")


@main.command(epilog=_examples("report output", "report /data/province-2024",
                               exit_codes="0 written; 1 OUT_DIR holds no output of `extract`."))
@click.argument("out_dir", type=click.Path())
def report(out_dir: str) -> None:
    """Re-render the report (index, document pages, Markdown) from the Parquet in OUT_DIR."""
    from .write.rerender import rerender_report

    from .batch.lock import OutputLock, OutputLocked

    _require_output(out_dir)
    try:
        with OutputLock(out_dir):  # an extract writing the same folder would change the data under the report
            paths = rerender_report(out_dir)
    except OutputLocked as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {paths['report_html']} and {len(paths) - 2} document page(s)")
    _print_digest(out_dir)


@main.command(epilog=_examples("check samples/dh_2024_department_budget.pdf", "check scanned.pdf --engine pdfplumber",
                               "check suspicious.pdf --timeout 60 --max-memory 1024",
                               exit_codes="0 read (with or without findings); 1 the file could not be read "
                               "(refused, over a limit, timed out)."))
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.option("--engine", type=click.Choice([e.value for e in Engine]), default=Engine.PDFIUM.value)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIMEOUT_S, show_default=True,
              help="Seconds allowed; the worker reading the file is killed past it.")
@click.option("--max-memory", type=click.IntRange(min=256), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="MB of memory the worker may allocate; a document needing more is reported too_large.")
@click.option("--progress/--no-progress", default=None, help="Pages read by OCR as they are done (default: when stderr is a terminal).")
@click.pass_context
def check(ctx, pdf: str, engine: str, timeout: float, max_memory: int, progress: bool | None) -> None:  # type: ignore[no-untyped-def]
    """Extract one PDF in a worker (the limits of `extract`) and print its tables and findings (writes nothing)."""
    from .batch import BatchSettings
    from .batch.one import read_one
    from .terminal import PageProgress, print_check

    pages = PageProgress(escape_text(os.path.basename(pdf)), tty=sys.stderr.isatty(), enabled=progress is not False,
                         emit=lambda text, nl: click.echo(text, err=True, nl=nl))
    batch = BatchSettings(timeout_s=timeout, max_memory_mb=max_memory)
    result = read_one(pdf, ExtractSettings(engine=Engine(engine)), batch, pages)
    print_check(result)
    ctx.exit(EXIT_ALL_FAILED if result.status.value == "error" else EXIT_OK)


@main.command(epilog=_examples("schema", "schema line_items", "schema findings --markdown", "schema --markdown > docs/schema.md"))
@click.argument("table", required=False)
@click.option("--markdown", is_flag=True, help="As Markdown (docs/schema.md is this for every dataset).")
def schema(table: str | None, markdown: bool) -> None:
    """Print the canonical output schemas (or the one of TABLE)."""
    from .write.schema import SCHEMAS, arrow_schema, schema_markdown

    if table is not None and table not in SCHEMAS:
        raise click.BadParameter(f"unknown dataset {table!r}; one of: {', '.join(SCHEMAS)}", param_hint="TABLE")
    if markdown:
        click.echo(schema_markdown([table] if table else None), nl=False)
        return
    for name in [table] if table else list(SCHEMAS):
        click.echo(f"{name}\n{arrow_schema(name)}\n")


@main.command(epilog=_examples("checks", "checks --markdown > docs/checks.md"))
@click.option("--markdown", is_flag=True, help="Print docs/checks.md.")
def checks(markdown: bool) -> None:
    """List the reconciliation rules (the registry, data/rules.csv)."""
    from .reconcile.registry import checks_markdown, load_rules

    if markdown:
        click.echo(checks_markdown(), nl=False)
        return
    for r in load_rules().values():
        click.echo(f"{r.rule_id:45} {r.severity.value:8} {r.kind.value:10} {r.statement}")


@main.command(epilog=_examples("export output --xlsx budgets.xlsx", "export output --csv budgets-csv/",
                               "export output --xlsx budgets.xlsx --csv budgets-csv/",
                               exit_codes="0 written; 1 OUT_DIR holds no output of `extract`; 2 neither --xlsx nor --csv."))
@click.argument("out_dir", type=click.Path())
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), help="Excel workbook to write: documents, findings, one sheet per table.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Folder to write documents.csv, findings.csv and one CSV per table into.")
def export(out_dir: str, xlsx: str | None, csv_dir: str | None) -> None:
    """Export the tables of OUT_DIR as printed (Excel or CSV), with the documents and findings."""
    from .read.loader import load

    if not xlsx and not csv_dir:
        raise click.UsageError("give --xlsx FILE, --csv DIR, or both")
    _require_output(out_dir)
    out = load(out_dir)
    if xlsx:
        click.echo(f"wrote {out.to_excel(xlsx)}")
    if csv_dir:
        if os.path.exists(csv_dir) and not os.path.isdir(csv_dir):
            raise click.ClickException(f"--csv {csv_dir} is a file, not a folder")
        click.echo(f"wrote {len(out.to_csv(csv_dir))} CSV file(s) in {csv_dir}")


@main.command(epilog=_examples("bench samples --out output", "bench samples ../shared/corpus --repeats 3 --scaling",
                               "bench samples --engines ours --engines pdfium_chars"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", default="output", show_default=True, help="Writes OUT/bench/bench-<UTC>.json and OUT/bench/latest.json.")
@click.option("--repeats", type=click.IntRange(min=1), default=3, show_default=True, help="Passes per engine; the best is kept.")
@click.option("--engines", multiple=True, type=click.Choice(["ours", "pdfplumber", "camelot", "pdfium_chars"]),
              default=("ours", "pdfplumber", "camelot", "pdfium_chars"), help="Engines to time ('ours' is required).")
@click.option("--scaling", is_flag=True, help="Also measure 20- vs 200-document batches, the 2-worker speed-up, and the batch checks "
              "over outputs of --batch-docs documents.")
@click.option("--batch-docs", default="1000,10000", show_default=True, help="With --scaling: output sizes the batch checks are timed on.")
@click.option("--ocr", "ocr_pdf", type=click.Path(exists=True, dir_okay=False), help="An image-only PDF: OCR timed with and without page-wide detection.")
@click.option("--ocr-truth", type=click.Path(exists=True, dir_okay=False), help="With --ocr: its ground-truth CSV (table_id, page, subject_code, column_key, amount_yuan).")
@click.option("--ocr-repeats", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --ocr: passes of each way, each in a fresh process, taking turns; the best is kept.")
def bench(paths, out, repeats, engines, scaling, batch_docs, ocr_pdf, ocr_truth, ocr_repeats) -> None:  # type: ignore[no-untyped-def]
    """Time our pipeline against pdfplumber, camelot and raw PDFium on the same PDFs."""
    from .bench import run_bench

    if "ours" not in engines:
        raise click.UsageError("--engines must include 'ours'")
    if bool(ocr_pdf) != bool(ocr_truth):
        raise click.UsageError("--ocr and --ocr-truth go together")
    try:
        sizes = tuple(int(n) for n in batch_docs.split(","))
    except ValueError:
        raise click.BadParameter("a comma-separated list of document counts", param_hint="--batch-docs") from None
    extra = _scaling_sections(sizes) if scaling else None
    ocr = (ocr_pdf, ocr_truth) if ocr_pdf else None
    report_ = run_bench(list(paths), out, repeats=repeats, engines=tuple(engines), ocr=ocr, ocr_repeats=ocr_repeats, extra=extra)
    click.echo(report_.to_table(), nl=False)
    click.echo(f"wrote {out}/bench/latest.json")


def _scaling_sections(sizes: tuple[int, ...]):  # type: ignore[no-untyped-def]
    def sections(pdfs: list[str], bench_dir: str) -> dict[str, object]:
        from .bench_batch import run_batch_scale
        from .bench_scale import run_scaling

        return {"scaling": run_scaling(pdfs, bench_dir), "batch_checks": run_batch_scale(pdfs, bench_dir, sizes)}

    return sections


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI in-process and return its exit code (for tests and `python -m`)."""
    try:
        # Without standalone mode Click returns ctx.exit()'s code instead of exiting.
        code = main.main(args=list(argv) if argv is not None else None, prog_name="disclosure-etl", standalone_mode=False)
        return code if isinstance(code, int) else EXIT_OK
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Exception as exc:
        from .errors import DisclosureError

        if isinstance(exc, DisclosureError):
            click.echo(f"disclosure-etl: {exc}", err=True)
            return EXIT_ALL_FAILED
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
