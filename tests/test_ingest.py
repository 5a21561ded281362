"""claimlens.ingest: every input a scan meets becomes a Document, broken ones with a reason."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from claimlens.document import Document
from claimlens.ingest import SUPPORTED_SUFFIXES, iter_documents

from badinput import GOOD_HTML, HUGE_FILE_BYTES, LATIN1_TEXT, make_bad_input_folder
from conftest import SHARED


def read(*paths: str | Path, **options) -> list[Document]:
    return list(iter_documents([str(p) for p in paths], **options))


def by_id(documents: list[Document]) -> dict[str, Document]:
    return {d.doc_id: d for d in documents}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))
    return path


# ---------------------------------------------------------------- the mixed bad-input folder


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> tuple[Path, dict[str, str], list[Document]]:
    root = tmp_path_factory.mktemp("bad") / "in"
    expected = make_bad_input_folder(root)
    return root, expected, read(root)


def test_every_bad_file_is_reported_and_everything_else_is_read(bad_folder):
    _, expected, documents = bad_folder
    per_file: dict[str, str] = {}
    for doc in documents:
        name = doc.doc_id.split("#")[0]
        per_file[name] = "error" if doc.error or per_file.get(name) == "error" else "ok"
    assert per_file == expected
    for doc in documents:
        if doc.error:
            assert "\n" not in doc.error and doc.text == "" and doc.blocks is None
        else:
            assert doc.text.strip()


def test_broken_rows_do_not_take_the_other_rows_down(bad_folder):
    _, _, documents = bad_folder
    rows = [(d.doc_id, d.status) for d in documents if d.format in ("jsonl", "csv")]
    assert rows == [
        ("invalid.jsonl.gz", "error"),
        ("no_text_column.csv", "error"),
        ("one_broken_line.jsonl#1", "ok"),
        ("one_broken_line.jsonl#2", "ok"),
        ("one_broken_line.jsonl#3", "error"),
        ("one_broken_line.jsonl#4", "ok"),
        ("ragged.csv#1", "ok"),
        ("ragged.csv#2", "error"),
        ("ragged.csv#3", "ok"),
    ]
    docs = by_id(documents)
    assert docs["one_broken_line.jsonl#2"].url == "https://example.org/cbd"
    assert docs["one_broken_line.jsonl#4"].text == (
        "Echinacea did not prevent colds in a large trial."
    )
    assert docs["ragged.csv#3"].title == "Iron"
    assert docs["ragged.csv#3"].text == "Too much iron is harmful, especially for children."


def test_bad_input_reasons_are_specific(bad_folder):
    _, _, documents = bad_folder
    errors = {d.doc_id: d.error for d in documents if d.error}
    assert errors["binary.txt"] == "binary file (PNG image), not text"
    assert errors["empty.txt"] == "empty file"
    assert "whitespace" in errors["whitespace.txt"]
    assert errors["huge.txt"] == (
        f"document too large: {HUGE_FILE_BYTES} chars > limit 5000000 (--max-doc-chars)"
    )
    assert errors["no_text_column.csv"] == "no 'text' column; columns are: a, b"
    assert errors["one_broken_line.jsonl#3"].startswith("invalid JSON on line 3")
    assert "6 fields" in errors["ragged.csv#2"]
    assert errors["invalid.jsonl.gz"].startswith("invalid gzip file")
    assert errors["symlink_loop.txt"] == "symlink loop"
    assert "photo.png" not in {d.doc_id for d in documents}


def test_latin1_and_malformed_html_are_read_correctly(bad_folder):
    _, _, documents = bad_folder
    docs = by_id(documents)
    assert docs["latin1.txt"].text == LATIN1_TEXT
    page = docs["malformed.html"]
    blocks = [(b.kind, page.text[b.start : b.end]) for b in page.blocks]
    assert ("heading", "Do detox teas work?") in blocks
    assert ("paragraph", "Detox teas often contain laxatives such as senna") in blocks
    assert [text for kind, text in blocks if kind == "list_item"] == ["Cramps", "Dehydration"]


def test_a_file_the_user_cannot_read_is_an_error_and_the_rest_is_read():
    # chmod 000 does not stop root, so as root the reading runs in a child that drops to nobody.
    folder = Path(tempfile.mkdtemp(prefix="claimlens-perm-"))
    try:
        folder.chmod(0o755)
        write(folder / "good.txt", "Zinc may shorten colds.\n").chmod(0o644)
        write(folder / "secret.txt", "Nobody may read this.\n").chmod(0)
        if os.geteuid() == 0:
            script = (
                "import json, os, sys\n"
                "from claimlens.ingest import iter_documents\n"
                "os.setgid(65534); os.setuid(65534)\n"
                "docs = iter_documents([sys.argv[1]])\n"
                "print(json.dumps([[d.doc_id, d.text, d.error] for d in docs]))\n"
            )
            proc = subprocess.run(
                [sys.executable, "-c", script, str(folder)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert proc.returncode == 0, proc.stderr
            results = json.loads(proc.stdout)
        else:
            if os.access(folder / "secret.txt", os.R_OK):
                pytest.skip("this user can read mode-000 files")
            results = [[d.doc_id, d.text, d.error] for d in read(folder)]
    finally:
        shutil.rmtree(folder)
    assert results == [
        ["good.txt", "Zinc may shorten colds.\n", None],
        ["secret.txt", "", "cannot read file: permission denied"],
    ]


# ---------------------------------------------------------------- naming, order, filters


def test_doc_ids_are_relative_posix_paths_plus_row_ids(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.txt", "Kratom is a plant.")
    write(root / "sub" / "deep" / "b.md", "# Title\n\nText.")
    write(
        root / "rows.jsonl",
        '{"id": "x1", "text": "first"}\n{"text": "second"}\n\n{"id": 0, "text": "fourth"}\n',
    )
    write(
        root / "table.csv",
        'id,title,url,text\nr1,T1,https://example.org/1,"one, with comma"\n,T2,,two\n',
    )
    docs = read(root)
    assert [d.doc_id for d in docs] == [
        "a.txt",
        "rows.jsonl#x1",
        "rows.jsonl#2",
        "rows.jsonl#0",
        "sub/deep/b.md",
        "table.csv#r1",
        "table.csv#2",
    ]
    deep = by_id(docs)["sub/deep/b.md"]
    assert deep.source_path == os.path.join(str(root), "sub", "deep", "b.md")
    assert deep.format == "md" and deep.blocks is None and deep.text == "# Title\n\nText."
    first_row = by_id(docs)["table.csv#r1"]
    assert (first_row.text, first_row.title, first_row.url) == (
        "one, with comma",
        "T1",
        "https://example.org/1",
    )
    assert by_id(docs)["table.csv#2"].url is None
    assert {d.format for d in docs} == {"txt", "md", "jsonl", "csv"}

    single = read(root / "sub" / "deep" / "b.md")
    assert [(d.doc_id, d.source_path) for d in single] == [
        ("b.md", str(root / "sub" / "deep" / "b.md"))
    ]
    assert [d.doc_id for d in read(root / "rows.jsonl", id_field="missing")] == [
        "rows.jsonl#1",
        "rows.jsonl#2",
        "rows.jsonl#4",
    ]


def test_rows_use_the_requested_text_and_id_fields(tmp_path):
    path = write(
        tmp_path / "posts.jsonl",
        '{"slug": "cbd", "body": "CBD may help sleep."}\n{"slug": "tea", "text": "no body here"}\n',
    )
    docs = read(path, text_field="body", id_field="slug")
    assert [(d.doc_id, d.text, d.error) for d in docs] == [
        ("posts.jsonl#cbd", "CBD may help sleep.", None),
        ("posts.jsonl#tea", "", "no 'body' field"),
    ]


def test_folders_are_walked_in_sorted_order_and_paths_keep_theirs(tmp_path):
    for name in ("b.txt", "a/z.txt", "a.txt", "a/b/c.md", "C.txt"):
        write(tmp_path / name, f"Text of {name}.")
    expected = ["C.txt", "a/b/c.md", "a/z.txt", "a.txt", "b.txt"]
    assert [d.doc_id for d in read(tmp_path)] == expected
    assert [d.doc_id for d in read(tmp_path / "b.txt", tmp_path / "a")] == [
        "b.txt",
        "b/c.md",
        "z.txt",
    ]


def test_include_and_exclude_match_relative_paths_and_basenames(tmp_path):
    for name in ("notes/a.md", "notes/drafts/b.md", "c.txt", "d.html"):
        write(tmp_path / name, "<p>Some text.</p>" if name.endswith("html") else "Some text.")
    assert [d.doc_id for d in read(tmp_path, include=["*.md"])] == [
        "notes/a.md",
        "notes/drafts/b.md",
    ]
    assert [d.doc_id for d in read(tmp_path, include=["*.md"], exclude=["drafts"])] == [
        "notes/a.md"
    ]
    assert [d.doc_id for d in read(tmp_path, exclude=["notes/*"])] == ["c.txt", "d.html"]
    assert [d.doc_id for d in read(tmp_path, include=["c.*", "notes/drafts/*"])] == [
        "c.txt",
        "notes/drafts/b.md",
    ]
    assert [d.doc_id for d in read(tmp_path / "c.txt", include=["*.md"])] == ["c.txt"]


def test_unknown_suffixes_are_skipped_in_folders_but_read_when_given(tmp_path):
    write(tmp_path / "a.txt", "Kept.")
    write(tmp_path / "notes.rst", "Read as text when named explicitly.")
    write(tmp_path / "data.json", '{"text": "not a supported format"}')
    assert [d.doc_id for d in read(tmp_path)] == ["a.txt"]
    (doc,) = read(tmp_path / "notes.rst")
    assert (doc.doc_id, doc.format, doc.text) == (
        "notes.rst",
        "txt",
        "Read as text when named explicitly.",
    )
    assert set(SUPPORTED_SUFFIXES) >= {
        ".txt",
        ".md",
        ".html",
        ".htm",
        ".jsonl",
        ".csv",
        ".jsonl.gz",
        ".csv.gz",
    }


def test_missing_path_is_an_error_document(tmp_path):
    (doc,) = read(tmp_path / "nowhere.txt")
    assert doc.doc_id == "nowhere.txt" and doc.error == (
        "cannot read file: no such file or directory"
    )


def test_stdin_is_one_text_document_in_path_order(tmp_path):
    path = write(tmp_path / "a.txt", "From a file.")
    text = "Kratom cures pain.\r\nIt is completely safe.\n"
    docs = list(iter_documents([path, "-"], stdin=io.StringIO(text)))
    assert [(d.doc_id, d.source_path, d.format, d.text) for d in docs] == [
        ("a.txt", str(path), "txt", "From a file."),
        ("stdin", "-", "txt", text),
    ]
    (empty,) = iter_documents(["-"], stdin=io.StringIO(""))
    assert empty.error == "empty input"


def test_stdin_bytes_are_decoded_like_a_file(monkeypatch):
    latin1 = LATIN1_TEXT.replace("\n", "\r\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(latin1.encode("latin-1"))))
    (doc,) = iter_documents(["-"])
    assert doc.text == latin1
    (same,) = iter_documents(["-"], stdin=io.TextIOWrapper(io.BytesIO(latin1.encode("latin-1"))))
    assert same.text == latin1
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    (empty,) = iter_documents(["-"])
    assert empty.error == "empty input"


# ---------------------------------------------------------------- symlinks


def test_symlinks_stay_inside_the_scanned_folder_and_loops_end(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "inside.txt", "Inside the root.")
    write(outside / "secret.txt", "Outside text must never be read.")
    os.symlink("inside.txt", root / "link_in.txt")
    os.symlink("../outside/secret.txt", root / "link_out.txt")
    os.symlink("../outside", root / "outdir")
    os.symlink("b.txt", root / "a.txt")
    os.symlink("a.txt", root / "b.txt")
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")
    os.symlink("missing.txt", root / "dangling.txt")
    docs = by_id(read(root))
    assert docs["link_in.txt"].text == "Inside the root."
    assert docs["inside.txt"].text == "Inside the root."
    assert docs["a.txt"].error == docs["b.txt"].error == "symlink loop"
    assert docs["sub/up"].error == "symlink loop"
    assert "outside the scanned folder" in docs["link_out.txt"].error
    assert "outside the scanned folder" in docs["outdir"].error
    assert docs["dangling.txt"].error.startswith("broken symlink")
    assert not any("Outside text" in d.text for d in docs.values())


# ---------------------------------------------------------------- text fidelity


def test_utf8_bom_is_dropped_and_crlf_is_kept(tmp_path):
    content = "Kratom guide\r\n\r\nFirst sentence. Second sentence.\r\n- an item\r\n"
    (doc,) = read(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + content.encode("utf-8")))
    assert doc.text == content
    assert doc.text.index("Second") == content.index("Second")
    (utf16,) = read(write(tmp_path / "utf16.txt", content.encode("utf-16")))
    assert utf16.text == content


def test_control_characters_become_spaces_without_shifting_offsets(tmp_path):
    raw = "Kratom\x00is\x07safe.\x1b[0m Tabs\tand\x0cfeeds stay\r\nput.\x7f"
    (doc,) = read(write(tmp_path / "ctl.txt", raw))
    assert doc.error is None
    assert doc.text == "Kratom is safe. [0m Tabs\tand feeds stay\r\nput. "
    assert len(doc.text) == len(raw)


def test_binary_data_without_a_known_signature_is_rejected(tmp_path):
    (doc,) = read(write(tmp_path / "blob.txt", bytes(range(256)) * 64))
    assert doc.error.startswith("binary file") and doc.error.endswith("not text")
    (pdf,) = read(write(tmp_path / "paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"))
    assert pdf.error == "binary file (PDF document), not text"


def test_cp1252_page_with_declared_charset(tmp_path):
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 detox</title>'
        '<link rel="canonical" href="https://example.org/detox"></head>'
        "<body><h1>Caf\u00e9 detox</h1><p>It \u201ccleanses\u201d the liver \u2013 "
        "na\u00efve claim.</p><p>Second paragraph.</p></body></html>"
    )
    (doc,) = read(write(tmp_path / "page.html", page.encode("cp1252")))
    assert (doc.title, doc.url) == ("Caf\u00e9 detox", "https://example.org/detox")
    assert "It \u201ccleanses\u201d the liver \u2013 na\u00efve claim." in doc.text.splitlines()


# ---------------------------------------------------------------- HTML structure


def test_html_keeps_headings_and_list_items_and_drops_boilerplate(tmp_path):
    (doc,) = read(write(tmp_path / "turmeric.html", GOOD_HTML))
    assert (doc.doc_id, doc.format, doc.error) == ("turmeric.html", "html", None)
    assert doc.title == "Turmeric for joint pain"
    blocks = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert blocks == [
        ("title", "Turmeric for joint pain"),
        (
            "paragraph",
            "Turmeric is a yellow spice whose main active compound, curcumin, has "
            "been studied for osteoarthritis. Small trials suggest it may ease knee pain "
            "about as much as ibuprofen, but most of them were short and funded by "
            "manufacturers.",
        ),
        ("heading", "How people take it"),
        ("list_item", "Capsules of standardised curcumin extract, usually 500 mg twice a day."),
        ("list_item", "Ground turmeric in food, which delivers far less curcumin."),
        (
            "paragraph",
            "Curcumin is poorly absorbed, so many products add black pepper extract to "
            "raise blood levels. High doses can upset the stomach and may interact "
            "with blood thinners.",
        ),
    ]
    assert [b.paragraph for b in doc.blocks] == list(range(len(blocks)))
    assert doc.text == "\n".join(text for _, text in blocks)
    for boilerplate in ("analytics", "Shop supplements", "Copyright", "font-family"):
        assert boilerplate not in doc.text


def test_html_edge_cases(tmp_path):
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><h2>Echinacea</h2><p>Echinacea did not prevent colds.</p></body></html>"
    )
    (doc,) = read(write(tmp_path / "x.htm", xhtml))
    # Without a <title>, the page's first heading is its title.
    assert doc.title == "Echinacea"
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("title", "Echinacea"),
        ("paragraph", "Echinacea did not prevent colds."),
    ]
    (scripts,) = read(write(tmp_path / "scripts.html", "<html><script>var a = 1;</script></html>"))
    assert scripts.error == "no text found in HTML"


# ---------------------------------------------------------------- compressed and large input


def test_gzipped_rows_and_truncated_gzip(tmp_path):
    rows = "".join(json.dumps({"id": f"r{i}", "text": f"Row {i} text."}) + "\n" for i in range(3))
    write(tmp_path / "ok" / "rows.jsonl.gz", gzip.compress(rows.encode("utf-8")))
    write(tmp_path / "ok" / "table.csv.gz", gzip.compress(b"text\nCSV row in gzip.\n"))
    docs = read(tmp_path / "ok")
    assert [(d.doc_id, d.format, d.text) for d in docs] == [
        ("rows.jsonl.gz#r0", "jsonl", "Row 0 text."),
        ("rows.jsonl.gz#r1", "jsonl", "Row 1 text."),
        ("rows.jsonl.gz#r2", "jsonl", "Row 2 text."),
        ("table.csv.gz#1", "csv", "CSV row in gzip."),
    ]
    truncated = gzip.compress((rows * 2000).encode("utf-8"))
    (last,) = read(write(tmp_path / "cut.jsonl.gz", truncated[: len(truncated) // 2]))[-1:]
    assert last.doc_id == "cut.jsonl.gz" and last.error.startswith("invalid gzip file")


def test_max_doc_chars_counts_characters_not_bytes(tmp_path):
    write(tmp_path / "long.txt", "x" * 1000)
    write(tmp_path / "accents.txt", "\u00e9" * 600)  # 1200 bytes, 600 characters
    write(
        tmp_path / "rows.jsonl",
        json.dumps({"text": "y" * 1000}) + "\n" + json.dumps({"text": "short"}) + "\n",
    )
    docs = by_id(read(tmp_path, max_doc_chars=700))
    assert docs["long.txt"].error == "document too large: 1000 chars > limit 700 (--max-doc-chars)"
    assert docs["accents.txt"].text == "\u00e9" * 600
    assert docs["rows.jsonl#1"].error.startswith("document too large: 1000 chars")
    assert docs["rows.jsonl#2"].text == "short"


def test_rows_are_streamed_not_read_up_front(tmp_path):
    path = write(
        tmp_path / "many.jsonl",
        "".join(
            json.dumps({"text": f"Article {i}: " + "kratom " * 20}) + "\n" for i in range(50_000)
        ),
    )
    documents = iter_documents([path])
    first = next(documents)
    with open(path, "w", encoding="utf-8"):
        pass  # truncate: rows not read yet can no longer be seen
    rest = list(documents)
    assert first.doc_id == "many.jsonl#1" and first.text.startswith("Article 0: ")
    assert len(rest) < 1000


# ---------------------------------------------------------------- real data


def test_real_seed_articles_are_read_unchanged(seeds_dir):
    docs = read(seeds_dir, include=["*.txt"])
    files = sorted(seeds_dir.glob("*.txt"))
    assert [d.doc_id for d in docs] == [f.name for f in files] and len(files) == 5
    for doc, path in zip(docs, files, strict=True):
        assert (doc.status, doc.format) == ("ok", "txt")
        assert doc.text == path.read_bytes().decode("utf-8")


def test_real_labelled_jsonl_and_csv_rows():
    eval_dir = SHARED / "eval"
    if not eval_dir.is_dir():
        pytest.skip("../shared/eval is not beside the project")
    jsonl = eval_dir / "bioscope_hedge" / "dev.jsonl"
    with jsonl.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    docs = read(jsonl)
    assert [(d.doc_id, d.text) for d in docs] == [
        (f"dev.jsonl#{r['id']}", r["text"]) for r in records
    ]
    frame = pd.read_csv(eval_dir / "healthfc" / "dev.csv", dtype=str, keep_default_na=False)
    docs = read(eval_dir / "healthfc" / "dev.csv", text_field="en_claim")
    assert [(d.text, d.url) for d in docs] == list(zip(frame.en_claim, frame.url, strict=True))
    assert all(d.status == "ok" for d in docs)


def test_oversize_documents_are_truncated_when_asked(tmp_path):
    long_text = "Ashwagandha may lower stress. " * 400  # 12,000 chars
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "a", "text": long_text}) + "\n")
    (tmp_path / "short.txt").write_text("Short and fine.", encoding="utf-8")

    skipped = {d.doc_id: d for d in iter_documents([tmp_path], max_doc_chars=1000)}
    assert skipped["long.txt"].error.startswith("document too large: 12000 chars")
    assert skipped["feed.jsonl#a"].error.startswith("document too large")

    kept = {
        d.doc_id: d for d in iter_documents([tmp_path], max_doc_chars=1000, oversize="truncate")
    }
    for doc_id in ("long.txt", "feed.jsonl#a"):
        doc = kept[doc_id]
        assert doc.error is None and doc.text == long_text[:1000]
        assert doc.meta["note"] == "truncated to the first 1000 chars (--max-doc-chars)"
    assert kept["short.txt"].text == "Short and fine." and "note" not in kept["short.txt"].meta


def test_truncating_a_huge_file_reads_only_what_it_keeps(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "w", encoding="utf-8") as fh:
        for _ in range(20_000):
            fh.write("Süße Kräuter können die Verdauung beruhigen. ")  # non-ASCII, 2-byte chars
    (doc,) = iter_documents([path], max_doc_chars=5_000, oversize="truncate")
    assert doc.error is None and len(doc.text) == 5_000
    assert doc.text.startswith("Süße Kräuter") and "\ufffd" not in doc.text
