"""Turn files, folders and stdin into Documents, one article at a time, without ever raising.

A reviewer scans folders of scraped pages where some files are always broken, so every problem
becomes a Document with ``error`` set to a one-line reason (and empty text) and the scan goes on.
Large JSONL/CSV corpora are read row by row; nothing holds more than one document in memory.

Policies callers can rely on:

- Order: folders are walked depth-first with the entries of every folder sorted by name, so the
  same tree always yields the same sequence. Paths given on the command line keep their order.
- doc_id: the path relative to the scanned folder (posix separators); a file given explicitly is
  identified by its name; stdin (``"-"``) is ``"stdin"``. Rows of JSONL/CSV files get
  ``#<id>`` appended: the row's ``id_field`` when present, else its 1-based row number (the line
  number for JSONL, the data-row number for CSV).
- Filters: ``include``/``exclude`` are fnmatch globs tested against the relative path and the
  basename of entries found while walking a folder (an excluded folder is not entered). Files
  given explicitly are always read.
- Formats: inside a folder only ``SUPPORTED_SUFFIXES`` are read, anything else is skipped
  silently; a file given explicitly with another suffix is read as plain text.
- Symlinks: links are followed only while their target stays inside the scanned folder. A link
  pointing outside it, a link loop (``a -> b -> a``), a folder link back to one of its own
  ancestors and a dangling link with a supported name each become an error Document
  ("symlink points outside the scanned folder, not followed", "symlink loop", "broken
  symlink: ...") so a reviewer sees why a file is missing; the walk never recurses forever.
- Text: offsets must stay valid, so decoding is the only change to the length of the text (a
  BOM is dropped); control characters become spaces and ``\\r\\n`` is kept as it is.
- HTML: main text extracted with trafilatura (plain lxml extraction when trafilatura finds at
  most one block), one block per line, with ``Document.blocks``, ``title`` and ``url`` set.
- Limits: ``max_doc_chars`` applies to each document's decoded text (for HTML, to the page
  source); a file's size is checked before it is read whole. ``oversize="truncate"`` keeps the
  first ``max_doc_chars`` characters instead (reading at most 4 bytes a character) and says so
  in ``meta["note"]``.
"""

from __future__ import annotations

import codecs
import csv
import errno
import fnmatch
import gzip
import io
import itertools
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura
from trafilatura.metadata import extract_title, extract_url

from claimlens.document import Block, Document

# trafilatura logs every page it cannot parse; here that is an expected, handled case (lxml
# fallback or an error Document), and its messages would bury the scan's own error lines.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

OVERSIZE_POLICIES = ("skip", "truncate")
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".jsonl.gz", ".csv.gz")
_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".csv": "csv",
}
_MULTI_RECORD = ("jsonl", "csv")

# Signatures of binary formats that end up in scraped folders under text names.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that never occur in text files (everything below 0x20 except tab, newlines, form feed,
# vertical tab and escape); more than this share of them in the first bytes means binary data.
_BINARY_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_NOT_BINARY_BYTES = bytes(b for b in range(256) if b not in _BINARY_BYTES)
_BINARY_SHARE = 0.05
_SNIFF_BYTES = 65536
_CHUNK_BYTES = 1 << 20
# When charset-normalizer finds several equally plausible decodings, prefer the encodings most
# used on the web (a Latin-1/Windows-1252 page is far likelier than a Baltic one).
_WEB_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "gb18030",
    "cp932",
    "euc_kr",
    "big5",
    "iso8859_2",
    "koi8_r",
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HTML_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
)
# Block kinds of the elements in trafilatura's XML and in raw HTML; any other element is inline.
_XML_BLOCKS = {
    "head": "heading",
    "item": "list_item",
    "p": "paragraph",
    "quote": "paragraph",
    "code": "paragraph",
    "row": "paragraph",
    "list": "paragraph",
    "table": "paragraph",
    "main": "paragraph",
    "div": "paragraph",
}
_HTML_BLOCKS = {
    **{f"h{level}": "heading" for level in range(1, 7)},
    "li": "list_item",
    "dt": "list_item",
    **dict.fromkeys(
        (
            "p",
            "div",
            "blockquote",
            "pre",
            "tr",
            "td",
            "th",
            "dd",
            "ul",
            "ol",
            "dl",
            "table",
            "section",
            "article",
            "main",
            "body",
            "figcaption",
            "address",
        ),
        "paragraph",
    ),
}
# Inline elements that still separate words (table cells, line breaks).
_WORD_BREAKS = frozenset(("cell", "lb", "br"))


class _Unreadable(Exception):
    """A file or row that cannot become text; the message is the Document's error."""


@dataclass(frozen=True)
class _Options:
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    text_field: str
    id_field: str
    max_doc_chars: int
    truncate: bool  # oversize documents: keep the first max_doc_chars chars instead of skipping


def iter_documents(
    paths: Sequence[str | Path],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    text_field: str = "text",
    id_field: str = "id",
    max_doc_chars: int = 5_000_000,
    oversize: str = "skip",
    stdin: TextIO | None = None,
) -> Iterator[Document]:
    """Yield one Document per article found in ``paths`` (files, folders or ``"-"``).

    Never raises for bad input: unreadable files and rows come back with ``error`` set.
    ``stdin`` replaces ``sys.stdin`` for ``"-"`` (tests, embedding). A document longer than
    ``max_doc_chars`` is an error (``oversize="skip"``) or keeps its first ``max_doc_chars``
    characters with ``meta["note"]`` saying so (``oversize="truncate"``).
    """
    if oversize not in OVERSIZE_POLICIES:
        raise ValueError(f"oversize must be one of {', '.join(OVERSIZE_POLICIES)}")
    options = _Options(
        tuple(include), tuple(exclude), text_field, id_field, max_doc_chars, oversize == "truncate"
    )
    if isinstance(paths, (str, Path)):  # one path, not a sequence of one-letter paths
        paths = [paths]
    for given in paths:
        path = str(given)
        if path == "-":
            yield _read_stdin(stdin, options)
        elif os.path.isdir(path):
            yield from _iter_folder(path, options)
        else:
            name = os.path.basename(path.rstrip("/\\")) or path
            yield from _read_file(path, name, _format_of(name) or "txt", options)


# ---------------------------------------------------------------- walking


def _format_of(name: str) -> str | None:
    """The format a file name stands for, or None when it is not a supported suffix."""
    lowered = name.lower()
    if lowered.endswith(".gz"):
        fmt = _FORMATS.get(os.path.splitext(lowered[:-3])[1])
        return fmt if fmt in _MULTI_RECORD else None
    return _FORMATS.get(os.path.splitext(lowered)[1])


def _matches(relative: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _is_inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _iter_folder(root: str, options: _Options) -> Iterator[Document]:
    root_real = os.path.realpath(root)
    yield from _walk(root, "", root_real, (root_real,), options)


def _walk(
    folder: str, relative_folder: str, root_real: str, ancestors: tuple[str, ...], options: _Options
) -> Iterator[Document]:
    """Depth-first, name-sorted walk that reads supported files and reports broken links."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield _error(relative_folder or ".", folder, "txt", f"cannot list folder: {_reason(exc)}")
        return
    for entry in entries:
        relative = f"{relative_folder}/{entry.name}" if relative_folder else entry.name
        if _matches(relative, entry.name, options.exclude):
            continue
        fmt = _format_of(entry.name)
        wanted = not options.include or _matches(relative, entry.name, options.include)
        problem = _link_problem(entry.path, root_real) if entry.is_symlink() else None
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder and problem is None:
            real = os.path.realpath(entry.path)
            if real in ancestors:
                problem = "symlink loop"
            else:
                yield from _walk(entry.path, relative, root_real, (*ancestors, real), options)
                continue
        if problem is not None:
            if is_folder or (wanted and (fmt is not None or problem == "symlink loop")):
                yield _error(relative, entry.path, fmt or "txt", problem)
        elif fmt is not None and wanted and entry.is_file():
            yield from _read_file(entry.path, relative, fmt, options)


def _link_problem(path: str, root_real: str) -> str | None:
    """Why a symlink must not be followed, or None when its target is inside the root."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        return f"broken symlink: {_reason(exc)}"
    if not _is_inside(os.path.realpath(path), root_real):
        return "symlink points outside the scanned folder, not followed"
    return None


# ---------------------------------------------------------------- reading files


def _error(doc_id: str, source_path: str, fmt: str, reason: str) -> Document:
    return Document(
        doc_id=doc_id, source_path=source_path, format=fmt, error=" ".join(reason.split())
    )


def _reason(exc: BaseException) -> str:
    """A short, one-line reason for an OS or library error."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _too_large(chars: int, limit: int) -> str:
    return f"document too large: {chars} chars > limit {limit} (--max-doc-chars)"


def _fit(text: str, options: _Options, meta: dict[str, str]) -> str:
    """Apply --max-doc-chars: raise for "skip", cut and note it for "truncate"."""
    if len(text) <= options.max_doc_chars:
        return text
    if not options.truncate:
        raise _Unreadable(_too_large(len(text), options.max_doc_chars))
    meta["note"] = f"truncated to the first {options.max_doc_chars} chars (--max-doc-chars)"
    return text[: options.max_doc_chars]


def _read_file(path: str, doc_id: str, fmt: str, options: _Options) -> Iterator[Document]:
    if fmt in _MULTI_RECORD:
        yield from _read_records(path, doc_id, fmt, options)
        return
    try:
        meta: dict[str, str] = {}
        text, meta["encoding"] = _read_text(path, options, fmt, meta)
        if fmt == "html":
            yield _html_document(Document(doc_id, path, fmt, meta=meta), text)
            return
        if not text.strip():
            raise _Unreadable("no text: whitespace only")
        yield Document(doc_id, path, fmt, text=text, meta=meta)
    except _Unreadable as exc:
        yield _error(doc_id, path, fmt, str(exc))
    except Exception as exc:  # never let one bad file stop a scan
        yield _error(doc_id, path, fmt, f"cannot read file: {_reason(exc)}")


def _read_text(path: str, options: _Options, fmt: str, meta: dict[str, str]) -> tuple[str, str]:
    """Decoded, control-free text of a single-document file and the encoding used."""
    max_chars = options.max_doc_chars
    cut = False
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            _reject_binary(head)
            size = os.fstat(handle.fileno()).st_size
            if size > max_chars and options.truncate:
                # Enough bytes for max_chars characters in any encoding we decode (<= 4 bytes
                # a char); a cut multi-byte character at the end is dropped before decoding.
                budget = 4 * max_chars + 4
                data = head + handle.read(max(0, budget - len(head)))
                cut = size > len(data)
            elif size > max_chars and not options.truncate:
                chars = _count_chars(handle, head, _encoding_of_sample(head))
                if chars > max_chars:
                    raise _Unreadable(_too_large(chars, max_chars))
                handle.seek(len(head))
                data = head + handle.read()
            else:
                data = head + handle.read()
    except OSError as exc:
        raise _Unreadable(f"cannot read file: {_reason(exc)}") from exc
    declared = _declared_charset(head) if fmt == "html" else None
    text, encoding = _decode(data[:-4] if cut else data, declared)
    return _replace_controls(_fit(text, options, meta)), encoding


def _count_chars(handle: BinaryIO, head: bytes, encoding: str) -> int:
    """Characters in a file too big to hold, decoded chunk by chunk."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    chars = len(decoder.decode(head))
    while chunk := handle.read(_CHUNK_BYTES):
        chars += len(decoder.decode(chunk))
    return chars + len(decoder.decode(b"", final=True))


def _reject_binary(head: bytes) -> None:
    if not head:
        raise _Unreadable("empty file")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise _Unreadable(f"binary file ({kind}), not text")
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return  # UTF-16/32 text is full of NUL bytes
    binary_bytes = len(head.translate(None, _NOT_BINARY_BYTES))
    if binary_bytes > _BINARY_SHARE * len(head):
        raise _Unreadable(
            f"binary file ({binary_bytes} control bytes in the first {len(head)}), not text"
        )


def _encoding_of_sample(sample: bytes, declared: str | None = None) -> str:
    """BOM, then valid UTF-8, then the charset a page declares, then charset-normalizer.

    ``sample`` may end inside a multi-byte character: it is the start of a longer stream.
    """
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return declared or _detect_encoding(sample)


def _decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    encoding = _encoding_of_sample(data, declared)
    return data.decode(encoding, errors="replace"), encoding


def _declared_charset(head: bytes) -> str | None:
    """The known codec named by an HTML ``<meta charset>``, if any."""
    found = _HTML_META_CHARSET.search(head)
    if not found:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None
    # Browsers read pages labelled Latin-1 or ASCII as Windows-1252, and so do their authors.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _detect_encoding(data: bytes) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise _Unreadable("unknown text encoding (binary file?), not text")
    plausible = {
        name
        for match in matches
        if match.chaos <= best.chaos + 0.01
        for name in match.could_be_from_charset
    }
    return next((name for name in _WEB_ENCODINGS if name in plausible), best.encoding)


def _replace_controls(text: str) -> str:
    """Control characters become spaces: same length, so offsets never shift."""
    return _CONTROL_CHARS.sub(" ", text) if _CONTROL_CHARS.search(text) else text


# ---------------------------------------------------------------- stdin


def _read_stdin(stream: TextIO | None, options: _Options) -> Document:
    """One text document from stdin; bytes are decoded like a file when they are available.

    Reading the bytes keeps ``\r\n`` and copes with any encoding, which the text layer of
    ``sys.stdin`` (newline translation, locale codec) would not.
    """
    stream = stream or sys.stdin
    try:
        binary = getattr(stream, "buffer", None)
        if binary is not None:
            data = binary.read()
            if data:
                _reject_binary(data[:_SNIFF_BYTES])
            text, _ = _decode(data)
        else:
            text = stream.read()
        if not text:
            raise _Unreadable("empty input")
        meta: dict[str, str] = {}
        text = _fit(text, options, meta)
        if not text.strip():
            raise _Unreadable("no text: whitespace only")
        return Document("stdin", "-", "txt", text=_replace_controls(text), meta=meta)
    except _Unreadable as exc:
        return _error("stdin", "-", "txt", str(exc))
    except Exception as exc:
        return _error("stdin", "-", "txt", f"cannot read stdin: {_reason(exc)}")


# ---------------------------------------------------------------- JSONL / CSV


def _read_records(path: str, file_id: str, fmt: str, options: _Options) -> Iterator[Document]:
    """One Document per row; a broken row is an error Document, a broken file one error."""
    rows = 0
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as binary:
            parse = _jsonl_rows if fmt == "jsonl" else _csv_rows
            for row_number, row in parse(_text_stream(binary), options):
                rows += 1
                yield _row_document(row, row_number, path, file_id, fmt, options)
    except _Unreadable as exc:
        yield _error(file_id, path, fmt, str(exc))
        return
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield _error(file_id, path, fmt, f"invalid gzip file: {_reason(exc)}{_after(rows)}")
        return
    except Exception as exc:
        yield _error(file_id, path, fmt, f"cannot read file: {_reason(exc)}{_after(rows)}")
        return
    if not rows:
        yield _error(file_id, path, fmt, "no records")


def _after(rows: int) -> str:
    return f" (after row {rows})" if rows else ""


def _text_stream(binary: BinaryIO) -> TextIO:
    """A text stream over a plain or gzipped file, its encoding sniffed from the first bytes."""
    head = binary.read(_SNIFF_BYTES)
    _reject_binary(head)
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding=_encoding_of_sample(head), newline="")


# A row is (row number, fields), or (row number, _Unreadable) when it cannot be parsed.
_Row = tuple[int, Mapping[str, Any] | _Unreadable]


def _jsonl_rows(stream: TextIO, options: _Options) -> Iterator[_Row]:
    for line_number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                line_number,
                _Unreadable(
                    f"invalid JSON on line {line_number}: {exc.msg} (at character {exc.pos + 1})"
                ),
            )
            continue
        if not isinstance(record, dict):
            yield line_number, _Unreadable(f"line {line_number} is not a JSON object")
            continue
        yield line_number, record


def _csv_rows(stream: TextIO, options: _Options) -> Iterator[_Row]:
    first_line = stream.readline()
    delimiter = max(",;\t", key=first_line.count)
    # Article texts are long; the csv module's default cap is 128 KiB per field.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_doc_chars + 1))
    reader = csv.reader(itertools.chain([first_line], stream), delimiter=delimiter)
    columns = [name.strip() for name in next(reader, [])]
    if options.text_field not in columns:
        raise _Unreadable(f"no '{options.text_field}' column; columns are: {', '.join(columns)}")
    row_number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_number += 1
            yield row_number, _Unreadable(f"malformed CSV row {row_number}: {exc}")
            continue
        if not cells:
            continue
        row_number += 1
        if len(cells) != len(columns):
            yield (
                row_number,
                _Unreadable(
                    f"CSV row {row_number} has {len(cells)} fields, the header has {len(columns)}"
                ),
            )
        else:
            yield row_number, dict(zip(columns, cells, strict=True))


def _row_document(
    row: Mapping[str, Any] | _Unreadable,
    row_number: int,
    path: str,
    file_id: str,
    fmt: str,
    options: _Options,
) -> Document:
    if isinstance(row, _Unreadable):
        return _error(f"{file_id}#{row_number}", path, fmt, str(row))
    row_id = row.get(options.id_field)
    key = (" ".join(str(row_id).split()) if row_id is not None else "") or str(row_number)
    doc = Document(
        f"{file_id}#{key}",
        path,
        fmt,
        url=_optional_text(row.get("url")),
        title=_optional_text(row.get("title")),
        meta={"row": str(row_number)},
    )
    text = row.get(options.text_field)
    if text is None:
        doc.error = f"no '{options.text_field}' field"
    elif not isinstance(text, str):
        doc.error = f"'{options.text_field}' is not a string"
    elif len(text) > options.max_doc_chars and not options.truncate:
        doc.error = _too_large(len(text), options.max_doc_chars)
    elif not text.strip():
        doc.error = f"empty '{options.text_field}'"
    else:
        doc.text = _replace_controls(_fit(text, options, doc.meta))
    return doc


def _optional_text(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


# ---------------------------------------------------------------- HTML


def _html_document(doc: Document, html: str) -> Document:
    """Main text of a page, one block per line, with the block kinds the segmenter needs."""
    html = _XML_DECLARATION.sub("", html, count=1)  # lxml rejects it in str input
    title, url, parts = _trafilatura_blocks(html)
    doc.meta["extractor"] = "trafilatura"
    if len(parts) < 2:  # nothing, or trafilatura's flattened baseline for short or odd pages
        fallback_title, fallback_parts = _lxml_blocks(html)
        if len(fallback_parts) > len(parts):
            title, parts = title or fallback_title, fallback_parts
            doc.meta["extractor"] = "lxml"
    if not parts:
        doc.error = "no text found in HTML"
        return doc
    if title:
        if parts[0][0] == "heading" and parts[0][1].casefold() == title.casefold():
            parts[0] = ("title", parts[0][1])
        else:
            parts.insert(0, ("title", title))
    blocks, start = [], 0
    for index, (kind, block_text) in enumerate(parts):
        blocks.append(Block(start, start + len(block_text), kind, index))
        start += len(block_text) + 1
    doc.text = "\n".join(block_text for _, block_text in parts)
    doc.blocks, doc.title, doc.url = blocks, title, url
    return doc


def _trafilatura_blocks(html: str) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    # Title and URL only: trafilatura's full metadata would also guess a date, doubling the cost.
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return None, None, []
        title, url = extract_title(tree), extract_url(tree)
        xml = trafilatura.extract(
            tree,
            output_format="xml",
            include_comments=False,
            include_links=False,
            include_images=False,
            include_tables=True,
        )
        main = lxml.etree.fromstring(xml.encode("utf-8")) if xml else None
    except Exception:  # trafilatura gives up on some malformed pages: fall back to lxml
        return None, None, []
    parts: list[tuple[str, str]] = []
    for element in main.iter("main") if main is not None else ():
        _collect_blocks(element, "paragraph", _XML_BLOCKS, parts)
    return _optional_text(title), _optional_text(url), parts


def _lxml_blocks(html: str) -> tuple[str | None, list[tuple[str, str]]]:
    """Plain lxml extraction for pages trafilatura rejects: every visible block, no scoring."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None, []
    lxml.etree.strip_elements(
        root,
        lxml.etree.Comment,
        lxml.etree.ProcessingInstruction,
        *_HTML_BOILERPLATE,
        with_tail=False,
    )
    title = _optional_text(root.findtext(".//title"))
    parts: list[tuple[str, str]] = []
    body = root.find("body")
    _collect_blocks(body if body is not None else root, "paragraph", _HTML_BLOCKS, parts)
    return title, parts


def _collect_blocks(
    element: lxml.etree._Element,
    kind: str,
    block_kinds: Mapping[str, str],
    parts: list[tuple[str, str]],
) -> None:
    """Append (kind, text) for ``element``: inline text joins its block, child blocks split it."""
    pending = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in block_kinds:
            _flush(pending, kind, parts)
            pending = []
            _collect_blocks(child, block_kinds[tag], block_kinds, parts)
        else:
            pending.extend(child.itertext())
            if tag in _WORD_BREAKS:
                pending.append(" ")
        pending.append(child.tail or "")
    _flush(pending, kind, parts)


def _flush(pending: list[str], kind: str, parts: list[tuple[str, str]]) -> None:
    text = " ".join("".join(pending).split())
    if text:
        parts.append((kind, text))
