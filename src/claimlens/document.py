"""The unit that flows from ingest to the pipeline: one article's text and structure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

BLOCK_TYPES = ("title", "heading", "list_item", "paragraph")


@dataclass(frozen=True)
class Block:
    """A structural unit of the text; sentences never cross a block boundary."""

    start: int
    end: int
    kind: str  # one of BLOCK_TYPES
    paragraph: int  # index of the block in the document, 0-based


@dataclass
class Document:
    doc_id: str
    source_path: str
    format: str  # txt | md | html | jsonl | csv | stdin ...
    text: str = ""
    # Structure known from the source (HTML tags, markdown); None lets the segmenter derive
    # blocks from the lines of the text itself.
    blocks: list[Block] | None = None
    title: str | None = None
    url: str | None = None
    error: str | None = None  # one line; set when the document could not be read
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "error" if self.error else "ok"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()
