"""Streaming, atomic, resumable report writers (CSV, JSONL, Parquet).

CSV follows RFC 4180 (CRLF row ends), so a field holding a bare carriage return is quoted.

While a scan runs, rows are appended to hidden ``.<table>.<fmt>.partial`` files in the output
folder, and every few seconds a checkpoint records how many documents are complete and the
byte length of each partial file at that moment. Only a completed run renames the partial
files over the real names, so a crashed run never leaves a half-written report under a real
name. An interrupted run (Ctrl-C) publishes the documents finished so far; ``--resume`` cuts
the partial files back to the last checkpoint and carries on after the documents it lists.
No timestamps or other volatile values are written: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from claimlens.schema import NUMERIC_COLUMNS, REPORT_TABLES, TABLES

FORMATS = ("csv", "jsonl", "parquet")
RESUMABLE_FORMATS = ("csv", "jsonl")
PARQUET_ROW_GROUP = 50_000
CHECKPOINT_SECONDS = 2.0
CHECKPOINT_NAME = ".claimlens-checkpoint.json"


class ReportExistsError(FileExistsError):
    """The output folder already holds a report and --overwrite was not given."""


class ResumeError(ValueError):
    """--resume cannot continue the partial report in the output folder."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = "".join(FORMULA_STARTS)


def neutralise_formula(value: Any) -> Any:
    """Spreadsheets run a cell starting with = + - @ (or tab/CR before one) as a formula;
    article text is untrusted, so such cells get a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_formula(value: Any) -> Any:
    """The inverse of :func:`neutralise_formula`, for readers of our own CSV."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _cell(value: Any) -> str:
    """Parquet columns are typed as strings so that every chunk has one schema."""
    return "" if value is None else str(value)


class _TableWriter:
    def __init__(
        self, path: Path, columns: Sequence[str], fmt: str, resume_at: int | None, safe_csv: bool
    ):
        self.final = path
        # Only text columns can hold a formula: counts and offsets are non-negative numbers.
        self._text_columns = [c for c in columns if c not in NUMERIC_COLUMNS] if safe_csv else []
        self.partial = path.with_name(f".{path.name}.partial")
        self.columns = list(columns)
        self.fmt = fmt
        self._buffer: list[dict[str, Any]] = []
        self._parquet = None
        if fmt == "parquet":
            return
        if resume_at is None:
            self._file = open(self.partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
            if fmt == "csv":
                csv.writer(self._file, lineterminator="\r\n").writerow(self.columns)
        else:
            os.truncate(self.partial, resume_at)
            self._file = open(self.partial, "a", encoding="utf-8", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._file, lineterminator="\r\n")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        if self.fmt == "csv":
            columns = self.columns
            self._csv.writerows([safe[c] for c in columns] for safe in map(self._safe, rows))
        elif self.fmt == "jsonl":
            for row in rows:
                self._file.write(json.dumps({c: row[c] for c in self.columns}, ensure_ascii=False))
                self._file.write("\n")
        else:
            self._buffer.extend(rows)
            if len(self._buffer) >= PARQUET_ROW_GROUP:
                self._flush_parquet()

    def _safe(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with formula-like text cells neutralised (a copy only when one is)."""
        risky = [c for c in self._text_columns if (row[c] or " ")[0] in _FORMULA_FIRST]
        if not risky:
            return row
        return {**row, **{c: neutralise_formula(row[c]) for c in risky}}

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrays = {
            c: pa.array([_cell(r[c]) for r in self._buffer], pa.string()) for c in self.columns
        }
        table = pa.table(arrays)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.partial, table.schema)
        self._parquet.write_table(table)
        self._buffer.clear()

    def offset(self) -> int:
        """Flush and return the partial file's length (the checkpoint position)."""
        self._file.flush()
        return self._file.tell()

    def close(self) -> None:
        if self.fmt == "parquet":
            if self._buffer or self._parquet is None:
                self._flush_parquet()
            self._parquet.close()
        else:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()


class ReportWriter:
    """Writes the report tables into ``out_dir``; use as a context manager.

    Leaving the block normally publishes the report; ``KeyboardInterrupt`` publishes the
    documents finished so far and keeps the partial files for ``--resume``; any other error
    publishes nothing (the partial files and checkpoint stay for ``--resume``).
    """

    def __init__(
        self,
        out_dir: Path,
        fmt: str = "csv",
        *,
        overwrite: bool = False,
        tables: Sequence[str] = REPORT_TABLES,
        resume: bool = False,
        run_key: Mapping[str, str] | None = None,
        safe_csv: bool = True,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out_dir = out_dir
        self.fmt = fmt
        self.paths = {table: out_dir / f"{table}.{fmt}" for table in tables}
        self.checkpoint_path = out_dir / CHECKPOINT_NAME
        self._key = {"format": fmt, "tables": list(tables), "safe_csv": safe_csv, **(run_key or {})}
        self.done: set[tuple[str, str]] = set()  # (doc_id, sha256) already in the report
        self.documents_written = 0
        checkpoint = self._load_checkpoint() if resume else None
        existing = [p for p in self.paths.values() if p.exists()]
        if existing and not (overwrite or checkpoint):
            raise ReportExistsError(
                f"{existing[0]} exists; pass --overwrite to replace the report in {out_dir}"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        offsets = checkpoint["offsets"] if checkpoint else {}
        self._tables = {
            name: _TableWriter(path, TABLES[name], fmt, offsets.get(name), safe_csv)
            for name, path in self.paths.items()
        }
        if checkpoint:
            self.documents_written = checkpoint["documents"]
            self.done = self._read_done_keys()
        self._in_document = False
        if fmt in RESUMABLE_FORMATS:
            self._record_offsets()
            self.checkpoint()

    def _load_checkpoint(self) -> dict | None:
        if self.fmt not in RESUMABLE_FORMATS:
            raise ResumeError(f"--resume works with {' or '.join(RESUMABLE_FORMATS)} output")
        if not self.checkpoint_path.exists():
            return None  # nothing to resume: a fresh run
        try:
            checkpoint = json.loads(self.checkpoint_path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise ResumeError(f"unreadable checkpoint {self.checkpoint_path}: {err}") from err
        if checkpoint.get("key") != self._key:
            raise ResumeError(
                f"the partial report in {self.out_dir} was made with other settings or rules "
                f"({checkpoint.get('key')}); rerun with --overwrite instead of --resume"
            )
        for name, path in self.paths.items():
            partial = path.with_name(f".{path.name}.partial")
            if not partial.exists() or partial.stat().st_size < checkpoint["offsets"][name]:
                raise ResumeError(f"{partial} is missing or shorter than its checkpoint")
        return checkpoint

    def _read_done_keys(self) -> set[tuple[str, str]]:
        self._tables["documents"].offset()
        with open(self._tables["documents"].partial, encoding="utf-8", newline="") as fh:
            if self.fmt == "csv":
                rows = csv.DictReader(fh)
            else:
                rows = (json.loads(line) for line in fh if line.strip())
            return {(row["doc_id"], row["sha256"]) for row in rows}

    def write_document(self, rows: Mapping[str, Iterable[dict[str, Any]]]) -> None:
        """All rows of one document; the documents row goes last, so a checkpoint never
        counts a document whose sentences or findings are missing."""
        self._in_document = True
        for table, table_rows in rows.items():
            if table != "documents" and table in self._tables:
                self._tables[table].write(table_rows)
        self._tables["documents"].write(rows["documents"])
        self.documents_written += 1
        if self.fmt in RESUMABLE_FORMATS:
            self._record_offsets()
        self._in_document = False
        if self.fmt in RESUMABLE_FORMATS and time.monotonic() - self._last_checkpoint > (
            CHECKPOINT_SECONDS
        ):
            self.checkpoint()

    def _record_offsets(self) -> None:
        """Where the last complete document ends (a flush and a tell: cheap per document)."""
        self._offsets = {name: writer.offset() for name, writer in self._tables.items()}

    def checkpoint(self) -> None:
        state = {"key": self._key, "documents": self.documents_written, "offsets": self._offsets}
        tmp = self.checkpoint_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.checkpoint_path)
        self._last_checkpoint = time.monotonic()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            for writer in self._tables.values():
                writer.close()
            for writer in self._tables.values():
                os.replace(writer.partial, writer.final)
            self.checkpoint_path.unlink(missing_ok=True)
            return
        if self.fmt not in RESUMABLE_FORMATS:
            if issubclass(exc_type, KeyboardInterrupt):  # no resume: publish what is done
                self.__exit__(None, None, None)
            return
        self.checkpoint()  # at the last complete document, never half of one
        if issubclass(exc_type, KeyboardInterrupt):
            self._publish_copy()

    def _publish_copy(self) -> None:
        """The report of the documents finished so far, under the real names; the partial
        files stay where they are for --resume."""
        for name, writer in self._tables.items():
            writer.offset()
            tmp = writer.final.with_name(f".{writer.final.name}.publish")
            shutil.copyfile(writer.partial, tmp)
            os.truncate(tmp, self._offsets[name])
            os.replace(tmp, writer.final)
