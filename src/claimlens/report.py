"""Streaming, atomic report writers (CSV, JSONL, Parquet).

Rows are appended to hidden temporary files in the output folder while the scan runs; only
when every table is complete are they renamed over the final names, so a crashed or
interrupted run never leaves a half-written report under a real name. No timestamps or other
volatile values are written: the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from claimlens.schema import REPORT_TABLES, TABLES

FORMATS = ("csv", "jsonl", "parquet")
PARQUET_ROW_GROUP = 50_000


class ReportExistsError(FileExistsError):
    """The output folder already holds a report and --overwrite was not given."""


class _TableWriter:
    def __init__(self, path: Path, columns: Sequence[str], fmt: str) -> None:
        self.final = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.columns = list(columns)
        self.fmt = fmt
        self._buffer: list[dict[str, Any]] = []
        self._parquet = None
        self._file: IO[str] | None = None
        if fmt == "parquet":
            return
        self._file = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        if fmt == "csv":
            self._csv = csv.writer(self._file, lineterminator="\n")
            self._csv.writerow(self.columns)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        if self.fmt == "csv":
            self._csv.writerows([row[c] for c in self.columns] for row in rows)
        elif self.fmt == "jsonl":
            assert self._file is not None
            for row in rows:
                self._file.write(json.dumps({c: row[c] for c in self.columns}, ensure_ascii=False))
                self._file.write("\n")
        else:
            self._buffer.extend(rows)
            if len(self._buffer) >= PARQUET_ROW_GROUP:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = {c: [_cell(row[c]) for row in self._buffer] for c in self.columns}
        table = pa.table({c: pa.array(v, type=pa.string()) for c, v in columns.items()})
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.tmp, table.schema)
        self._parquet.write_table(table)
        self._buffer.clear()

    def close(self) -> None:
        if self.fmt == "parquet":
            if self._buffer or self._parquet is None:
                self._flush_parquet()
            self._parquet.close()
        else:
            assert self._file is not None
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def discard(self) -> None:
        try:
            self.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def _cell(value: Any) -> str:
    """Parquet columns are typed as strings so that every chunk has one schema."""
    return "" if value is None else str(value)


class ReportWriter:
    """Writes documents / sentences / findings tables into ``out_dir``; use as a context
    manager: the tables appear under their real names only if the block completes."""

    def __init__(
        self,
        out_dir: Path,
        fmt: str = "csv",
        *,
        overwrite: bool = False,
        tables: Sequence[str] = REPORT_TABLES,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.paths = {table: out_dir / f"{table}.{fmt}" for table in tables}
        existing = [p for p in self.paths.values() if p.exists()]
        if existing and not overwrite:
            raise ReportExistsError(
                f"{existing[0]} exists; pass --overwrite to replace the report in {out_dir}"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        self._tables = {
            name: _TableWriter(path, TABLES[name], fmt) for name, path in self.paths.items()
        }

    def write(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        self._tables[table].write(rows)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            for writer in self._tables.values():
                writer.discard()
            return
        for writer in self._tables.values():
            writer.close()
        for writer in self._tables.values():
            os.replace(writer.tmp, writer.final)
