"""End-to-end: the installed ``claimlens`` command on real files."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from badinput import make_bad_input_folder
from conftest import ROOT

RAW = ROOT / "data" / "raw"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("claimlens")
    return subprocess.run(
        [str(exe), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def raw_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("raw")
    proc = run_cli("scan", str(RAW), "-o", str(out), "--emit-text", "--raw-csv", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_sentence_is_an_exact_slice_of_the_reported_text(raw_report):
    texts = {r["doc_id"]: r["text"] for r in read_csv(raw_report / "texts.csv")}
    sentences = read_csv(raw_report / "sentences.csv")
    assert sentences
    for row in sentences:
        text = texts[row["doc_id"]]
        assert text[int(row["start_char"]) : int(row["end_char"])] == row["text"]
        assert "\n" not in row["text"] and row["text"] == row["text"].strip()


def test_every_example_article_is_read(raw_report):
    documents = read_csv(raw_report / "documents.csv")
    assert documents and all(d["status"] == "ok" for d in documents), documents
    formats = {d["format"] for d in documents}
    assert {"txt", "md", "html", "jsonl"} <= formats
    jsonl_rows = [d for d in documents if d["format"] == "jsonl"]
    assert len(jsonl_rows) >= 3 and all("#" in d["doc_id"] for d in jsonl_rows)
    per_doc = {}
    for row in read_csv(raw_report / "sentences.csv"):
        per_doc[row["doc_id"]] = per_doc.get(row["doc_id"], 0) + 1
    assert {d["doc_id"]: int(d["n_sentences"]) for d in documents} == per_doc


def test_the_examples_yield_both_kinds_of_finding(raw_report):
    kinds = {row["kind"] for row in read_csv(raw_report / "findings.csv")}
    assert kinds == {"unsupported", "contradiction"}


def test_two_workers_and_a_rerun_give_identical_bytes(raw_report, tmp_path):
    proc = run_cli(
        "scan", str(RAW), "-o", str(tmp_path), "--emit-text", "--raw-csv", "--workers", "2", "-q"
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("documents.csv", "sentences.csv", "findings.csv", "texts.csv"):
        assert (tmp_path / name).read_bytes() == (raw_report / name).read_bytes(), name


def test_existing_report_is_not_clobbered_without_overwrite(raw_report):
    before = (raw_report / "sentences.csv").read_bytes()
    proc = run_cli("scan", str(RAW), "-o", str(raw_report), "-q")
    assert proc.returncode == 2
    assert "--overwrite" in proc.stderr and "Traceback" not in proc.stderr
    assert (raw_report / "sentences.csv").read_bytes() == before


def test_bad_input_is_listed_and_everything_else_is_processed(tmp_path):
    expected = make_bad_input_folder(tmp_path / "in")
    out = tmp_path / "out"
    proc = run_cli("scan", str(tmp_path / "in"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    documents = {d["doc_id"]: d for d in read_csv(out / "documents.csv")}
    error_lines = [line for line in proc.stderr.splitlines() if ": error: " in line]
    for name, status in expected.items():
        matching = [d for doc_id, d in documents.items() if doc_id.split("#")[0] == name]
        if status == "ok":
            assert matching and all(d["status"] == "ok" for d in matching), name
            continue
        failed = [d for d in matching if d["status"] == "error"]
        assert failed, f"{name} not reported as an error: {matching}"
        for row in failed:
            assert row["error"] and "\n" not in row["error"]
            assert any(row["doc_id"] in line for line in error_lines), row["doc_id"]
    proc = run_cli("scan", str(tmp_path / "in"), "-o", str(out), "--overwrite", "--strict", "-q")
    assert proc.returncode == 1


def test_stdin_and_jsonl_output(tmp_path):
    text = "Turmeric cures arthritis. It is completely safe."
    proc = run_cli("scan", "-", "-o", str(tmp_path), "--format", "jsonl", "-q", stdin=text)
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


def test_rules_command_lists_rule_ids():
    proc = run_cli("rules")
    assert proc.returncode == 0, proc.stderr
    from claimlens.rules import all_rules

    for _, rule in all_rules():
        assert rule.id in proc.stdout


def test_doc_ids_never_become_paths(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"id": "../../escape", "text": "Kratom is completely safe. It can cause seizures."},
        {"id": "/etc/passwd", "text": "Turmeric cures arthritis."},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    proc = run_cli("scan", str(feed), "-o", str(out), "--html", "--emit-text", "-q")
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert written == [
        "deep",
        "deep/out",
        "deep/out/documents.csv",
        "deep/out/findings.csv",
        "deep/out/report.html",
        "deep/out/sentences.csv",
        "deep/out/texts.csv",
        "feed.jsonl",
    ]
    ids = [r["doc_id"] for r in read_csv(out / "documents.csv")]
    assert ids == ["feed.jsonl#../../escape", "feed.jsonl#/etc/passwd"]


def test_explain_prints_the_article_with_its_findings(tmp_path):
    article = tmp_path / "tea.txt"
    article.write_text(
        "Slim Tea Review\nOur tea is completely safe and has no side effects. "
        "In rare cases it can cause liver damage.\n",
        encoding="utf-8",
    )
    proc = run_cli("explain", str(article))
    assert proc.returncode == 0, proc.stderr
    assert "Slim Tea Review" in proc.stdout and "liver damage" in proc.stdout
    assert "contradiction" in proc.stdout and "unsupported" in proc.stdout


def test_interrupted_scan_resumes_to_the_same_report(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = sorted(RAW.glob("*.txt")) + sorted(RAW.glob("*.md"))
    for i in range(40):  # long enough documents that an interrupt lands mid-run
        source = texts[i % len(texts)]
        body = (source.read_text(encoding="utf-8") + f"\nEdition {i}.\n") * 10
        (corpus / f"{i:03d}{source.suffix}").write_text(body, encoding="utf-8")
    full = tmp_path / "full"
    assert run_cli("scan", str(corpus), "-o", str(full), "-q").returncode == 0

    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("claimlens")
    proc = subprocess.Popen(
        [str(exe), "scan", str(corpus), "-o", str(out), "-q"], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _documents_done(out):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    published = read_csv(out / "documents.csv")
    assert 0 < len(published) < 40  # the documents finished so far, as a consistent report

    resumed = run_cli("scan", str(corpus), "-o", str(out), "--resume", "-q")
    assert resumed.returncode == 0, resumed.stderr
    for name in ("documents.csv", "sentences.csv", "findings.csv"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def _documents_done(out: Path) -> bool:
    """True once the running scan has written at least two documents' rows."""
    partial = out / ".documents.csv.partial"
    try:
        return partial.read_bytes().count(b"\n") >= 3  # header + 2 rows
    except OSError:
        return False


def test_sentences_only_gives_the_same_sentences_without_analysis(raw_report, tmp_path):
    proc = run_cli("scan", str(RAW), "-o", str(tmp_path), "--sentences-only", "--raw-csv", "-q")
    assert proc.returncode == 0, proc.stderr
    full = read_csv(raw_report / "sentences.csv")
    fast = read_csv(tmp_path / "sentences.csv")
    keys = ("doc_id", "sent_id", "start_char", "end_char", "block", "paragraph", "text")
    assert [[r[k] for k in keys] for r in fast] == [[r[k] for k in keys] for r in full]
    assert all(not r["claim_types"] and not r["certainty"] for r in fast)
    assert read_csv(tmp_path / "findings.csv") == []
