import csv
import json

import pyarrow.parquet as pq
import pytest

from claimlens.report import ReportExistsError, ReportWriter
from claimlens.schema import DOCUMENT_COLUMNS, SENTENCE_COLUMNS


def _sentence(doc_id: str, sent_id: int, text: str) -> dict:
    row = dict.fromkeys(SENTENCE_COLUMNS, "")
    row.update(doc_id=doc_id, sent_id=sent_id, start_char=0, end_char=len(text), text=text)
    return row


def _document(doc_id: str) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS, "")
    row.update(doc_id=doc_id, status="ok", n_chars=10, n_sentences=1)
    return row


def test_csv_roundtrip_keeps_quotes_commas_and_newlines(tmp_path):
    tricky = 'He said, "it cures\nanxiety" – 100%'
    with ReportWriter(tmp_path, "csv") as writer:
        writer.write("documents", [_document("a.txt")])
        writer.write("sentences", [_sentence("a.txt", 1, tricky)])
    with open(tmp_path / "sentences.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["text"] == tricky
    assert list(rows[0]) == list(SENTENCE_COLUMNS)
    # the findings table exists with its header even when nothing was found
    assert (tmp_path / "findings.csv").read_text().startswith("finding_id,doc_id")


def test_nothing_appears_under_real_names_when_the_run_fails(tmp_path):
    with pytest.raises(RuntimeError), ReportWriter(tmp_path, "csv") as writer:
        writer.write("sentences", [_sentence("a.txt", 1, "x")])
        raise RuntimeError("interrupted")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_refuses_to_clobber_without_overwrite(tmp_path):
    with ReportWriter(tmp_path, "csv") as writer:
        writer.write("documents", [_document("a.txt")])
    with pytest.raises(ReportExistsError, match="--overwrite"):
        ReportWriter(tmp_path, "csv")
    with ReportWriter(tmp_path, "csv", overwrite=True) as writer:
        writer.write("documents", [_document("b.txt")])
    assert "b.txt" in (tmp_path / "documents.csv").read_text()
    assert "a.txt" not in (tmp_path / "documents.csv").read_text()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_same_rows_give_same_bytes(tmp_path, fmt):
    outputs = []
    for run in ("one", "two"):
        with ReportWriter(tmp_path / run, fmt) as writer:
            writer.write("sentences", [_sentence("d", i, f"Sentence {i}.") for i in range(1, 5)])
        outputs.append((tmp_path / run / f"sentences.{fmt}").read_bytes())
    assert outputs[0] == outputs[1]


def test_jsonl_and_parquet_hold_the_same_rows(tmp_path):
    rows = [_sentence("d", i, f"Süße {i} “quoted”") for i in range(1, 4)]
    for fmt in ("jsonl", "parquet"):
        with ReportWriter(tmp_path / fmt, fmt) as writer:
            writer.write("sentences", rows)
    lines = (tmp_path / "jsonl" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == [r["text"] for r in rows]
    table = pq.read_table(tmp_path / "parquet" / "sentences.parquet")
    assert table.column("text").to_pylist() == [r["text"] for r in rows]
    assert table.column_names == list(SENTENCE_COLUMNS)
