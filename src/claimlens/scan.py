"""From documents to rows: run the pipeline, stream results, scale with worker processes.

Workers receive chunks of documents and return finished rows (plain dicts), not ``Doc``
objects: pickling rows is cheap, pickling ``Doc``s is what makes spaCy's ``n_process`` slow
for light rule pipelines.
"""

from __future__ import annotations

import bisect
import multiprocessing
import signal
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimlens.document import Document
from claimlens.extensions import CLAIMS, EVIDENCE, HEDGES, doc_text, remember_text
from claimlens.pipeline import COMPONENTS
from claimlens.schema import DOCUMENT_COLUMNS, FINDING_COLUMNS, FINDING_KINDS, SENTENCE_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

LIST_SEPARATOR = "|"
CHUNK_CHARS = 250_000  # documents go to workers in chunks of about this many chars
CHUNK_DOCS = 64


@dataclass
class DocResult:
    document: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""  # the decoded text that the offsets index into


@dataclass
class ScanSummary:
    documents: int = 0
    errors: int = 0
    sentences: int = 0
    chars: int = 0
    findings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FINDING_KINDS, 0))

    def add(self, result: DocResult) -> None:
        self.documents += 1
        self.errors += result.document["status"] == "error"
        self.sentences += len(result.sentences)
        self.chars += result.document["n_chars"]
        for row in result.findings:
            self.findings[row["kind"]] = self.findings.get(row["kind"], 0) + 1


@dataclass
class ScanResult:
    """The three report tables as pandas DataFrames."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    findings: pd.DataFrame


_LIST_COLUMNS = ("claim_types", "aspects", "polarity", "hedge_cues", "booster_cues", "evidence")


def _join(values: Iterable[str]) -> str:
    """Sorted, de-duplicated, so the same input always gives the same cell."""
    return LIST_SEPARATOR.join(sorted({v for v in values if v}))


def _document_row(document: Document, n_sentences: int, counts: Mapping[str, int]) -> dict:
    row = {
        "doc_id": document.doc_id,
        "source_path": document.source_path,
        "format": document.format,
        "status": document.status,
        "error": document.error or "",
        "note": document.meta.get("note", ""),
        "n_chars": len(document.text),
        "n_sentences": n_sentences,
        "sha256": document.sha256,
        "title": document.title or "",
        "url": document.url or "",
    }
    for kind in FINDING_KINDS:
        row[f"n_{kind}"] = counts.get(kind, 0)
    return {col: row[col] for col in DOCUMENT_COLUMNS}


def doc_to_result(doc: Doc, document: Document) -> DocResult:
    """Flatten a processed ``Doc`` into report rows."""
    from claimlens.pipeline.segmenter import text_bounds
    from claimlens.pipeline.spans import sentence_offsets, span_value

    text = doc_text(doc)
    offsets = sentence_offsets(doc)
    bounds = [text_bounds(text, start, end) for start, end in offsets]
    starts = [start for start, _ in offsets]

    def sent_index(span_start: int) -> int:
        return bisect.bisect_right(starts, span_start) - 1

    # (sentence index, column) -> values; most sentences have none, so nothing is built for them
    cells: dict[tuple[int, str], list[str]] = defaultdict(list)
    for span in doc.spans.get(CLAIMS, []):
        s, e = span.start_char, span.end_char
        i = sent_index(s)
        cells[i, "claim_types"].append(span.label_)
        cells[i, "aspects"].append(span_value(doc, "aspect", s, e) or "")
        cells[i, "polarity"].append(span_value(doc, "polarity", s, e) or "")
    for span in doc.spans.get(HEDGES, []):
        if span.label_ in ("hedge", "booster"):
            cells[sent_index(span.start_char), f"{span.label_}_cues"].append(span.text)
    for span in doc.spans.get(EVIDENCE, []):
        cells[sent_index(span.start_char), "evidence"].append(f"{span.label_}:{span.text}")

    sentence_rows = []
    for i, ((s, e), (start, end)) in enumerate(zip(offsets, bounds, strict=True)):
        row = {
            "doc_id": document.doc_id,
            "sent_id": i + 1,
            "start_char": start,
            "end_char": end,
            "block": span_value(doc, "block", s, e) or "paragraph",
            "paragraph": span_value(doc, "paragraph", s, e) or 0,
            "text": text[start:end],
            "claim_strength": span_value(doc, "claim_strength", s, e) or "",
            "certainty": span_value(doc, "certainty", s, e) or "",
        }
        for column in _LIST_COLUMNS:
            values = cells.get((i, column))
            row[column] = _join(values) if values else ""
        sentence_rows.append(row)

    finding_rows = []
    counts: dict[str, int] = {}
    for n, finding in enumerate(doc._.findings or [], start=1):
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
        i = finding.sent_id - 1
        j = finding.related_sent_id - 1 if finding.related_sent_id else None
        finding_rows.append(
            {
                "finding_id": f"{document.doc_id}:f{n}",
                "doc_id": document.doc_id,
                "source_path": document.source_path,
                "kind": finding.kind,
                "aspect": finding.aspect or "",
                "severity": finding.severity,
                "rule_id": LIST_SEPARATOR.join(finding.rule_ids),
                "message": finding.message,
                "sent_id": i + 1,
                "start_char": bounds[i][0],
                "end_char": bounds[i][1],
                "sentence": sentence_rows[i]["text"],
                "related_sent_id": "" if j is None else j + 1,
                "related_start_char": "" if j is None else bounds[j][0],
                "related_end_char": "" if j is None else bounds[j][1],
                "related_sentence": "" if j is None else sentence_rows[j]["text"],
                "cue": finding.cue or "",
                "certainty": finding.certainty or "",
                "related_certainty": finding.related_certainty or "",
            }
        )
    if not sentence_rows:
        document.error = "no sentences: the document has no readable text"
    return DocResult(
        _document_row(document, len(sentence_rows), counts), sentence_rows, finding_rows, text
    )


def _make_doc(nlp: Language, document: Document) -> Doc:
    doc = nlp.make_doc(document.text)
    remember_text(doc, document.text)
    if document.blocks is not None:
        doc._.cl_blocks = [(b.start, b.end, b.kind, b.paragraph) for b in document.blocks]
    return doc


def _failed(document: Document, err: BaseException) -> DocResult:
    message = " ".join(str(err).split()) or type(err).__name__
    document.error = f"processing failed: {type(err).__name__}: {message}"[:500]
    return _unprocessed(document)


def process_chunk(nlp: Language, documents: Sequence[Document]) -> list[DocResult]:
    """Process documents in order; a document that breaks the pipeline fails alone."""
    good = [d for d in documents if not d.error]
    processed: dict[int, DocResult] = {}
    try:
        docs = nlp.pipe(_make_doc(nlp, d) for d in good)
        for document, doc in zip(good, docs, strict=True):
            processed[id(document)] = doc_to_result(doc, document)
    except Exception:  # isolate the culprit: redo this chunk one document at a time
        processed.clear()
        for document in good:
            try:
                processed[id(document)] = doc_to_result(nlp(_make_doc(nlp, document)), document)
            except Exception as err:  # noqa: BLE001 - reported as the document's error
                processed[id(document)] = _failed(document, err)
    return [processed.get(id(d)) or _unprocessed(d) for d in documents]


def _unprocessed(document: Document) -> DocResult:
    """A document ingest already rejected: its row carries the reason."""
    return DocResult(_document_row(document, 0, {}), text=document.text)


def _chunks(documents: Iterable[Document]) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    size = 0
    for document in documents:
        chunk.append(document)
        size += len(document.text)
        if size >= CHUNK_CHARS or len(chunk) >= CHUNK_DOCS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


_WORKER_NLP: Language | None = None


def _init_worker(model: str | None, components: tuple[str, ...]) -> None:
    global _WORKER_NLP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    from claimlens.pipeline import build_pipeline

    _WORKER_NLP = build_pipeline(model, components)


def _work(documents: list[Document]) -> list[DocResult]:
    assert _WORKER_NLP is not None
    return process_chunk(_WORKER_NLP, documents)


def iter_results(
    documents: Iterable[Document],
    *,
    model: str | None = None,
    workers: int = 1,
    components: tuple[str, ...] | None = None,
) -> Iterator[DocResult]:
    """Stream results in input order. At most ``2 * workers`` chunks are in flight, so memory
    stays flat however large the corpus."""
    components = components or COMPONENTS
    if workers <= 1:
        from claimlens.pipeline import build_pipeline

        nlp = build_pipeline(model, components)
        for chunk in _chunks(documents):
            yield from process_chunk(nlp, chunk)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(
        workers, initializer=_init_worker, initargs=(model, components or COMPONENTS)
    ) as pool:
        pending: deque = deque()
        for chunk in _chunks(documents):
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _frames(results: Iterable[DocResult]) -> ScanResult:
    import pandas as pd

    docs, sents, finds = [], [], []
    for result in results:
        docs.append(result.document)
        sents.extend(result.sentences)
        finds.extend(result.findings)
    return ScanResult(
        pd.DataFrame(docs, columns=list(DOCUMENT_COLUMNS)),
        pd.DataFrame(sents, columns=list(SENTENCE_COLUMNS)),
        pd.DataFrame(finds, columns=list(FINDING_COLUMNS)),
    )


def scan_paths(
    paths: Sequence[str | Path],
    *,
    model: str | None = None,
    workers: int = 1,
    **ingest_options: Any,
) -> ScanResult:
    """Scan files and folders (see :func:`claimlens.ingest.iter_documents` for the options)."""
    from claimlens.ingest import iter_documents

    documents = iter_documents(paths, **ingest_options)
    return _frames(iter_results(documents, model=model, workers=workers))


def _text_documents(texts: Iterable[str] | Mapping[str, str]) -> Iterator[Document]:
    items = texts.items() if isinstance(texts, Mapping) else enumerate(texts, start=1)
    for key, text in items:
        doc_id = str(key)
        document = Document(doc_id=doc_id, source_path="", format="text", text=text or "")
        if not document.text.strip():
            document.error = "empty text"
        yield document


def scan_texts(
    texts: Iterable[str] | Mapping[str, str], *, model: str | None = None, workers: int = 1
) -> ScanResult:
    """Scan strings; a mapping's keys become doc_ids, otherwise 1-based positions."""
    return _frames(iter_results(_text_documents(texts), model=model, workers=workers))


def scan_frame(
    frame: pd.DataFrame,
    text_col: str = "text",
    id_col: str | None = None,
    *,
    model: str | None = None,
    workers: int = 1,
) -> ScanResult:
    """Scan a DataFrame of articles, one per row (doc_id from ``id_col`` or the index)."""
    ids = frame[id_col] if id_col else frame.index
    texts = {
        str(i): ("" if t is None or t != t else str(t))
        for i, t in zip(ids, frame[text_col], strict=True)
    }
    if len(texts) != len(frame):
        raise ValueError(f"doc ids in {id_col or 'the index'} are not unique")
    return scan_texts(texts, model=model, workers=workers)
