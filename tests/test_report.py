import csv
import json

import pyarrow.parquet as pq
import pytest

from claimlens.report import ReportExistsError, ReportWriter, ResumeError
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
        writer.write_document(
            {"documents": [_document("a.txt")], "sentences": [_sentence("a.txt", 1, tricky)]}
        )
    with open(tmp_path / "sentences.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["text"] == tricky
    assert list(rows[0]) == list(SENTENCE_COLUMNS)
    # the findings table exists with its header even when nothing was found
    assert (tmp_path / "findings.csv").read_text().startswith("finding_id,doc_id")


def test_nothing_appears_under_real_names_when_the_run_fails(tmp_path):
    with pytest.raises(RuntimeError), ReportWriter(tmp_path, "csv") as writer:
        writer.write_document({"documents": [_document("a.txt")], "sentences": []})
        raise RuntimeError("crashed")
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]


def test_refuses_to_clobber_without_overwrite(tmp_path):
    with ReportWriter(tmp_path, "csv") as writer:
        writer.write_document({"documents": [_document("a.txt")]})
    with pytest.raises(ReportExistsError, match="--overwrite"):
        ReportWriter(tmp_path, "csv")
    with ReportWriter(tmp_path, "csv", overwrite=True) as writer:
        writer.write_document({"documents": [_document("b.txt")]})
    assert "b.txt" in (tmp_path / "documents.csv").read_text()
    assert "a.txt" not in (tmp_path / "documents.csv").read_text()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_same_rows_give_same_bytes(tmp_path, fmt):
    outputs = []
    for run in ("one", "two"):
        with ReportWriter(tmp_path / run, fmt) as writer:
            sentences = [_sentence("d", i, f"Sentence {i}.") for i in range(1, 5)]
            writer.write_document({"documents": [_document("d")], "sentences": sentences})
        outputs.append((tmp_path / run / f"sentences.{fmt}").read_bytes())
    assert outputs[0] == outputs[1]


def test_jsonl_and_parquet_hold_the_same_rows(tmp_path):
    rows = [_sentence("d", i, f"Süße {i} “quoted”") for i in range(1, 4)]
    for fmt in ("jsonl", "parquet"):
        with ReportWriter(tmp_path / fmt, fmt) as writer:
            writer.write_document({"documents": [_document("d")], "sentences": rows})
    lines = (tmp_path / "jsonl" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == [r["text"] for r in rows]
    table = pq.read_table(tmp_path / "parquet" / "sentences.parquet")
    assert table.column("text").to_pylist() == [r["text"] for r in rows]
    assert table.column_names == list(SENTENCE_COLUMNS)


def _write_docs(writer: ReportWriter, names) -> None:
    for name in names:
        writer.write_document(
            {"documents": [_document(name)], "sentences": [_sentence(name, 1, f"{name} text")]}
        )


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_interrupt_publishes_finished_documents_and_resume_completes_the_same_report(tmp_path, fmt):
    names = [f"doc{i}" for i in range(6)]
    with ReportWriter(tmp_path / "full", fmt) as writer:
        _write_docs(writer, names)

    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt), ReportWriter(out, fmt) as writer:
        _write_docs(writer, names[:3])
        writer._in_document = True  # a fourth document is cut off half-way
        writer._tables["sentences"].write([_sentence("doc3", 1, "half")])
        raise KeyboardInterrupt
    published = (out / f"documents.{fmt}").read_text(encoding="utf-8")
    assert "doc2" in published and "doc3" not in published
    assert "half" not in (out / f"sentences.{fmt}").read_text(encoding="utf-8")

    with ReportWriter(out, fmt, resume=True) as writer:
        assert writer.done == {(n, "") for n in names[:3]}
        _write_docs(writer, [n for n in names if (n, "") not in writer.done])
    for table in ("documents", "sentences", "findings"):
        full = (tmp_path / "full" / f"{table}.{fmt}").read_bytes()
        assert (out / f"{table}.{fmt}").read_bytes() == full, table
    assert not (out / ".claimlens-checkpoint.json").exists()


def test_resume_refuses_a_report_made_with_other_rules(tmp_path):
    with pytest.raises(KeyboardInterrupt), ReportWriter(tmp_path, "csv", run_key={"rules": "1"}):
        raise KeyboardInterrupt
    with pytest.raises(ResumeError, match="other settings or rules"):
        ReportWriter(tmp_path, "csv", resume=True, run_key={"rules": "2"})


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_csv_cells_that_spreadsheets_would_run_are_neutralised(tmp_path, payload):
    with ReportWriter(tmp_path / "safe", "csv") as writer:
        writer.write_document(
            {"documents": [_document("d")], "sentences": [_sentence("d", 1, payload)]}
        )
    with ReportWriter(tmp_path / "raw", "csv", safe_csv=False) as writer:
        writer.write_document(
            {"documents": [_document("d")], "sentences": [_sentence("d", 1, payload)]}
        )

    def text_cell(folder):
        with open(folder / "sentences.csv", encoding="utf-8", newline="") as fh:
            return next(csv.DictReader(fh))["text"]

    assert text_cell(tmp_path / "safe") == "'" + payload
    assert text_cell(tmp_path / "raw") == payload


def test_harmless_cells_are_untouched(tmp_path):
    with ReportWriter(tmp_path, "csv") as writer:
        writer.write_document(
            {
                "documents": [_document("d")],
                "sentences": [_sentence("d", 1, "A 5-HTP dose = 50 mg")],
            }
        )
    with open(tmp_path / "sentences.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["text"] == "A 5-HTP dose = 50 mg"
