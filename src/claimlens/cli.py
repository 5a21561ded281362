"""The ``claimlens`` command: a thin typer layer over the importable API.

Exit codes: 0 when the scan completed (documents that could not be read are listed in
documents.csv and on stderr); 1 with ``--strict`` when any document failed, or when a command
could not run; 2 for usage errors (bad options, an existing report without ``--overwrite``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from claimlens.pipeline import COMPONENTS, SEGMENTATION_ONLY
from claimlens.report import FORMATS, ReportExistsError, ReportWriter, ResumeError
from claimlens.rules import ruleset_version
from claimlens.scan import ScanSummary, iter_results
from claimlens.schema import REPORT_TABLES

app = typer.Typer(
    help="Audit health claims in articles: claims, hedging, evidence, unsupported and "
    "contradictory statements, sentence by sentence with character offsets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _err(message: str) -> None:
    print(f"claimlens: {message}", file=sys.stderr, flush=True)


def _input_size(paths: list[str]) -> int | None:
    """Bytes of the files a scan will read, for the progress bar's ETA (None for stdin).

    The bar advances by decoded characters, so for HTML (markup dropped) or non-ASCII text the
    ETA is an estimate; it is never used for anything but display."""
    from claimlens.ingest import SUPPORTED_SUFFIXES

    total = 0
    for path in paths:
        if path == "-":
            return None
        if os.path.isfile(path):
            total += os.path.getsize(path)
        for folder, _dirs, files in os.walk(path):
            total += sum(
                os.path.getsize(os.path.join(folder, name))
                for name in files
                if name.lower().endswith(SUPPORTED_SUFFIXES)
                and os.path.isfile(os.path.join(folder, name))
            )
    return total or None


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = Console(stderr=True)
    return Progress(
        TextColumn("scanning"),
        BarColumn(),
        TextColumn("{task.fields[docs]} docs"),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not enabled or not console.is_terminal,
        transient=True,
    )


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("data/out"),
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet.")] = "csv",
    overwrite: Annotated[bool, typer.Option(help="Replace an existing report.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    model: Annotated[
        str | None, typer.Option(help="An installed spaCy pipeline, e.g. en_core_web_sm.")
    ] = None,
    include: Annotated[list[str] | None, typer.Option(help="Only paths matching glob.")] = None,
    exclude: Annotated[list[str] | None, typer.Option(help="Skip paths matching glob.")] = None,
    text_field: Annotated[str, typer.Option(help="Text column of JSONL/CSV rows.")] = "text",
    id_field: Annotated[str, typer.Option(help="Id column of JSONL/CSV rows.")] = "id",
    max_doc_chars: Annotated[
        int, typer.Option(min=1, help="Longer documents are skipped or truncated (--oversize).")
    ] = 5_000_000,
    oversize: Annotated[
        str, typer.Option(help="skip (error row) or truncate documents over --max-doc-chars.")
    ] = "skip",
    emit_text: Annotated[
        bool, typer.Option(help="Also write texts.<format>: the text offsets refer to.")
    ] = False,
    raw_csv: Annotated[
        bool,
        typer.Option(
            help="Write CSV cells as they are, without neutralising spreadsheet "
            "formulas (=, +, -, @): for machine consumers."
        ),
    ] = False,
    sentences_only: Annotated[
        bool, typer.Option(help="Segmentation only: sentences with offsets and blocks, no claims.")
    ] = False,
    html: Annotated[
        bool, typer.Option("--html", help="Also write report.html for reviewers.")
    ] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any document failed.")] = False,
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run in OUT (csv/jsonl).")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="local, or dask: Parquet tables partitioned by file chunk.")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (implies --engine dask).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
) -> None:
    """Scan articles and write documents, sentences and findings tables to OUT."""
    from claimlens.ingest import OVERSIZE_POLICIES, iter_documents

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    if oversize not in OVERSIZE_POLICIES:
        raise typer.BadParameter("choose skip or truncate", param_hint="--oversize")
    if engine not in ("local", "dask"):
        raise typer.BadParameter("choose local or dask", param_hint="--engine")
    ingest_options = {
        "include": include or (),
        "exclude": exclude or (),
        "text_field": text_field,
        "id_field": id_field,
        "max_doc_chars": max_doc_chars,
        "oversize": oversize,
    }
    if scheduler or engine == "dask":
        _scan_on_dask(
            paths, out, scheduler, workers, model, overwrite, strict, quiet, **ingest_options
        )
        return
    tables = (*REPORT_TABLES, "texts") if emit_text else REPORT_TABLES
    components = SEGMENTATION_ONLY if sentences_only else COMPONENTS
    run_key = {
        "rules": ruleset_version(),
        "model": model or "blank:en",
        "ingest": json.dumps(ingest_options, sort_keys=True, default=list),
        "components": ",".join(components),
    }
    try:
        writer = ReportWriter(
            out,
            fmt,
            overwrite=overwrite,
            tables=tables,
            resume=resume,
            run_key=run_key,
            safe_csv=not raw_csv,
        )
    except ReportExistsError as err:
        _err(str(err))
        raise typer.Exit(2) from None
    except ResumeError as err:
        _err(f"cannot resume: {err}")
        raise typer.Exit(2) from None
    documents = iter_documents(paths, stdin=sys.stdin, **ingest_options)
    if writer.done:
        documents = (d for d in documents if (d.doc_id, d.sha256) not in writer.done)
    summary = ScanSummary()
    started = time.perf_counter()
    try:
        with writer, _progress(not quiet) as progress:
            total = _input_size(paths) if progress.live.is_started else None
            task = progress.add_task("scan", total=total, docs=0)
            results = iter_results(documents, model=model, workers=workers, components=components)
            for result in results:
                summary.add(result)
                row = result.document
                if row["status"] == "error":
                    _err(f"error: {row['doc_id']}: {row['error']}")
                tables_rows = {
                    "documents": [row],
                    "sentences": result.sentences,
                    "findings": result.findings,
                    "texts": [{"doc_id": row["doc_id"], "text": result.text}],
                }
                writer.write_document(tables_rows)
                progress.update(task, completed=summary.chars, docs=summary.documents)
    except KeyboardInterrupt:
        _err(
            f"interrupted: the report in {out} holds the {writer.documents_written} documents "
            "finished so far; rerun the same command with --resume to process the rest"
        )
        raise typer.Exit(130) from None
    if html:
        from claimlens.html_report import write_html_report

        html_path = write_html_report(out)
    if not quiet:
        found = ", ".join(f"{n} {kind}" for kind, n in summary.findings.items())
        _err(
            f"{summary.documents} documents ({summary.errors} errors), {summary.sentences} "
            f"sentences, findings: {found}; {time.perf_counter() - started:.1f}s"
        )
        for path in writer.paths.values():
            print(path)
        if html:
            print(html_path)
    if strict and summary.errors:
        raise typer.Exit(1)


def _scan_on_dask(paths, out, scheduler, workers, model, overwrite, strict, quiet, **options):
    """Tables go to OUT/<table>/part.N.parquet; output order follows the input files."""
    import shutil

    from claimlens.dask import scan_to_parquet

    targets = [out / table for table in REPORT_TABLES]
    if any(t.exists() for t in targets) and not overwrite:
        _err(f"{out} holds a report; pass --overwrite to replace it")
        raise typer.Exit(2)
    for target in targets:
        shutil.rmtree(target, ignore_errors=True)
    if "-" in paths:
        raise typer.BadParameter("stdin cannot be scanned on a Dask cluster", param_hint="PATHS")
    started = time.perf_counter()
    documents, errors = scan_to_parquet(
        paths, out, scheduler=scheduler, workers=max(workers, 1), model=model, **options
    )
    if not quiet:
        _err(
            f"{documents} documents ({errors} errors) on Dask; {time.perf_counter() - started:.1f}s"
        )
        for target in targets:
            print(target)
    if strict and errors:
        raise typer.Exit(1)


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="A folder written by claimlens scan.")],
) -> None:
    """Render OUT_DIR's tables as a self-contained report.html."""
    from claimlens.html_report import write_html_report

    try:
        print(write_html_report(out_dir))
    except FileNotFoundError as err:
        _err(str(err))
        raise typer.Exit(1) from None


@app.command()
def explain(
    path: Annotated[str, typer.Argument(help="One article file, or - for stdin.")],
    model: Annotated[str | None, typer.Option(help="An installed spaCy pipeline.")] = None,
) -> None:
    """Print one article in the terminal with its claims, cues and findings highlighted."""
    from claimlens.explain import explain_documents
    from claimlens.ingest import iter_documents

    explain_documents(iter_documents([path], stdin=sys.stdin), model=model)


@app.command()
def rules() -> None:
    """List every rule: id, kind, what it matches, and an example."""
    from rich.console import Console
    from rich.table import Table

    from claimlens.rules import all_rules

    table = Table("id", "kind", "rule set", "description", "example", show_lines=False)
    for ruleset, rule in all_rules():
        table.add_row(
            rule.id, rule.kind, f"{ruleset.name} v{ruleset.version}", rule.description, rule.example
        )
    Console(width=200).print(table)


@app.command("eval")
def eval_gold(
    gold: Annotated[Path, typer.Argument(help="gold.jsonl (format of shared/seeds).")],
    texts: Annotated[Path, typer.Option(help="Folder holding the articles named in gold.")],
    model: Annotated[str | None, typer.Option(help="An installed spaCy pipeline.")] = None,
) -> None:
    """Score findings against a gold file: recall, precision, F1 per kind."""
    from claimlens.evaluate.gold import evaluate_gold

    print(evaluate_gold(gold, texts, model=model).format())


@app.command("eval-dataset")
def eval_dataset(
    name: Annotated[
        str,
        typer.Argument(
            help="bioscope_hedge, causal_language, "
            "press_release_claim_strength or science_certainty."
        ),
    ],
    path: Annotated[Path, typer.Argument(help="The dataset file.")],
    model: Annotated[str | None, typer.Option(help="An installed spaCy pipeline.")] = None,
) -> None:
    """Score a component on a public labelled dataset."""
    from claimlens.evaluate.datasets import evaluate_dataset

    print(evaluate_dataset(name, path, model=model).format())
