"""Run claimlens on a Dask cluster (``pip install claimlens[dask]``).

Each partition is scanned by :func:`claimlens.scan.process_chunk` inside the worker; the spaCy
pipeline is built once per worker process and cached, not once per partition. The three
report tables come back as Dask DataFrames that share one graph, so computing them together
scans every partition once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd

from claimlens.document import Document
from claimlens.scan import DocResult, process_chunk
from claimlens.schema import DOCUMENT_COLUMNS, FINDING_COLUMNS, REPORT_TABLES, SENTENCE_COLUMNS

if TYPE_CHECKING:
    from spacy.language import Language

_COLUMNS = {
    "documents": DOCUMENT_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "findings": FINDING_COLUMNS,
}


@dataclass
class DaskScan:
    """Lazy report tables; ``dask.compute(*scan.tables())`` or :meth:`to_parquet`."""

    documents: dd.DataFrame
    sentences: dd.DataFrame
    findings: dd.DataFrame

    def tables(self) -> tuple[dd.DataFrame, dd.DataFrame, dd.DataFrame]:
        return self.documents, self.sentences, self.findings

    def to_parquet(self, out_dir: str | Path) -> None:
        """One folder per table, one file per input partition (``part.N.parquet``)."""
        writes = [
            frame.to_parquet(str(Path(out_dir) / name), write_index=False, compute=False)
            for name, frame in zip(REPORT_TABLES, self.tables(), strict=True)
        ]
        dask.compute(*writes)


@cache
def _pipeline(model: str | None) -> Language:
    from claimlens.pipeline import build_pipeline

    return build_pipeline(model)


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in _COLUMNS[table]})


def _to_frames(results: Iterable[DocResult]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict]] = {table: [] for table in REPORT_TABLES}
    for result in results:
        rows["documents"].append(result.document)
        rows["sentences"].extend(result.sentences)
        rows["findings"].extend(result.findings)
    # Every cell as a string: partitions must agree on one schema whatever they contain.
    return {
        table: pd.DataFrame(values, columns=list(_COLUMNS[table])).astype("object")
        if values
        else _empty(table)
        for table, values in rows.items()
    }


def _scan_partition(
    part: pd.DataFrame, text_col: str, id_col: str | None, model: str | None
) -> dict[str, pd.DataFrame]:
    ids = part[id_col] if id_col else part.index
    documents = []
    for doc_id, text in zip(ids, part[text_col], strict=True):
        text = "" if text is None or text != text else str(text)
        document = Document(doc_id=str(doc_id), source_path="", format="dataframe", text=text)
        if not text.strip():
            document.error = "empty text"
        documents.append(document)
    return _to_frames(process_chunk(_pipeline(model), documents))


def _scan_files(paths: Sequence[str], root: str | None, model: str | None, options: dict):
    from claimlens.ingest import iter_documents

    documents = []
    for path in paths:
        for document in iter_documents([path], **options):
            if root is not None:  # name it as a local scan of ``root`` would
                relative = Path(path).relative_to(root).as_posix()
                document.doc_id = relative + document.doc_id[len(Path(path).name) :]
            documents.append(document)
    return _to_frames(process_chunk(_pipeline(model), documents))


def _from_parts(parts: list) -> DaskScan:
    frames = [
        dd.from_delayed([dask.delayed(dict.__getitem__)(p, t) for p in parts], meta=_empty(t))
        for t in REPORT_TABLES
    ]
    return DaskScan(*frames)


def scan_dataframe(
    ddf: dd.DataFrame, text_col: str = "text", id_col: str | None = None, model: str | None = None
) -> DaskScan:
    """Scan a Dask DataFrame of articles, one per row (doc_id from ``id_col`` or the index)."""
    parts = [
        dask.delayed(_scan_partition)(part, text_col, id_col, model) for part in ddf.to_delayed()
    ]
    return _from_parts(parts)


def scan_bag(
    paths: Sequence[str | Path],
    *,
    root: str | Path | None = None,
    model: str | None = None,
    partition_size: int = 64,
    **ingest_options,
) -> DaskScan:
    """Scan a list of files (each read on the worker) in partitions of ``partition_size``."""
    files = [str(p) for p in paths]
    bag = db.from_sequence(files, partition_size=partition_size)
    root_str = str(root) if root is not None else None
    parts = [
        dask.delayed(_scan_files)(chunk, root_str, model, ingest_options)
        for chunk in bag.to_delayed()
    ]
    return _from_parts(parts)


def list_files(root: str | Path, suffixes: Sequence[str]) -> list[str]:
    """Files under ``root`` in the order a local scan reads them (sorted path components;
    links are not followed)."""
    found = [
        os.path.join(folder, name)
        for folder, _dirs, files in os.walk(root)
        for name in files
        if name.lower().endswith(tuple(suffixes)) and not os.path.islink(os.path.join(folder, name))
    ]
    return sorted(found, key=lambda p: Path(p).relative_to(root).parts)


def scan_to_parquet(
    paths: Sequence[str],
    out_dir: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    model: str | None = None,
    **ingest_options,
) -> tuple[int, list[tuple[str, str]]]:
    """The CLI's ``--engine dask``: each file is one task, read on the worker; folders are
    expanded here. Returns the number of documents and (doc_id, error) of the failed ones."""
    from dask.distributed import Client, LocalCluster

    from claimlens.ingest import SUPPORTED_SUFFIXES

    if scheduler:
        client = Client(scheduler)
    else:
        client = Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True))
    with client:
        scans = []
        for path in paths:
            if os.path.isdir(path):
                files = list_files(path, SUPPORTED_SUFFIXES)
                scans.append(scan_bag(files, root=path, model=model, **ingest_options))
            else:
                scans.append(scan_bag([path], model=model, **ingest_options))
        merged = DaskScan(*(dd.concat([getattr(s, t) for s in scans]) for t in REPORT_TABLES))
        merged.to_parquet(out_dir)
        columns = ["doc_id", "status", "error"]
        table = dd.read_parquet(str(Path(out_dir) / "documents"), columns=columns).compute()
    failed = table[table["status"] == "error"]
    return len(table), list(zip(failed["doc_id"], failed["error"], strict=True))
