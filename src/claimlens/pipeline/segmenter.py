"""Structure-aware sentence segmentation for web health articles.

Articles arrive as lines: a title, headings without final punctuation, bulleted tables of
contents and paragraphs. A statistical or punctuation-only splitter glues a heading onto the
next sentence, so here the structure comes first: every line break ends a sentence, every line
(or every block handed over by ingest in ``doc._.cl_blocks``) is a block, and only inside a block
do we look for sentence ends, with one compiled regex over ``doc.text`` and a few rules for
abbreviations, initials, citations and quotes. Character offsets are mapped to tokens with numpy,
so the cost per token is a couple of array operations.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

import numpy as np
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimlens import extensions
from claimlens.document import Block
from claimlens.extensions import doc_text
from claimlens.pipeline.spans import expanded_token_ranges, sentence_offsets_from, store_span_values
from claimlens.rules import load_rules

# --- sentence ends inside a block ----------------------------------------------------------

# Sentence-final punctuation (ellipses included), then closing quotes/brackets and note marks,
# then horizontal space, and a next sentence that opens with an upper-case letter or a digit
# (possibly behind an opening quote or bracket, a currency sign or a footnote mark). The stop is
# spelled "[.!?…][.!?…]*", not "[.!?…]+": only a pattern that opens with a character set lets
# `re` skip ahead to candidate characters, which makes the scan twice as fast.
_CLOSERS = r"[\"'”’»)\]]*"
# Note marks after a full stop: "[3]", "[2, 5-7]", superscripts "¹²", "*", "†".
_CITATION = r"(?:\[\d+(?:\s?[-–,]\s?\d+)*\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[,–-][⁰¹²³⁴⁵⁶⁷⁸⁹]+)*|[*†‡]+)"
_SENTENCE_END = re.compile(
    r"(?P<stop>[.!?…][.!?…]*)"
    rf"(?P<close>{_CLOSERS}(?:{_CITATION}{_CLOSERS})*)"
    r"[^\S\r\n]+"
    r"(?P<next>[\"'“‘«(\[]*[$£€#*†‡]?(?P<word>[A-Z0-9À-ÖØ-Þ][\w’'-]*))"
)
# How far back to look for the word before a full stop (abbreviations are short).
_WORD_BEFORE_WINDOW = 40
_OPENING_PUNCTUATION = "\"'“‘«(["


def _lexicon(rule_id: str) -> frozenset[str]:
    """A word list from ``rules/segmentation.json``."""
    return frozenset(load_rules("segmentation").by_id(rule_id).get("words"))


# Abbreviations that are followed by more of the same sentence ("Dr. Smith", "e.g. kava").
_NEVER_FINAL = _lexicon("SEG.NEVER_FINAL")
# Abbreviations that are followed by a number in the same sentence ("No. 5", "Fig. 2").
_BEFORE_NUMBER = _lexicon("SEG.BEFORE_NUMBER")
# Words that commonly open a sentence: after an abbreviation that may also end a sentence
# ("in the U.S. The FDA ...") or an initial ("vitamin C. It ..."), they decide for a boundary.
_SENTENCE_OPENERS = _lexicon("SEG.SENTENCE_OPENERS")
# Lower-case words after which a capitalised initial is part of a name ("by J. Smith").
_NAME_INTRODUCERS = _lexicon("SEG.NAME_INTRODUCERS")


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    """Decide whether a full stop that looks like a sentence end really is one."""
    if match["stop"] != "." or match["close"]:
        return True  # "!", "?", ellipses, or a stop closed by a quote, bracket or citation
    before = text[max(0, match.start() - _WORD_BEFORE_WINDOW) : match.start()]
    words = before.rsplit(None, 2)
    word = words[-1].lstrip(_OPENING_PUNCTUATION) if words else ""
    lowered = word.lower()
    next_word = match["word"]
    opens_sentence = next_word.lower() in _SENTENCE_OPENERS
    if lowered in _NEVER_FINAL:
        return False
    if lowered in _BEFORE_NUMBER:
        return not next_word[0].isdigit()
    if _is_dotted_abbreviation(lowered):
        return opens_sentence
    if len(word) == 1 and word.isupper():
        return opens_sentence or _follows_common_word(words[-2] if len(words) > 1 else "")
    if word.isdigit():
        return not _is_line_label(text, match.start() - len(word))  # "1. Mix", "Step 2. Drink"
    return True


def _is_dotted_abbreviation(word: str) -> bool:
    """ "u.s", "a.m", "ph.d", "pharm.d" (lower-cased, final dot cut), not "fda.gov" or "2.5"."""
    parts = word.split(".")
    return (
        len(parts) > 1
        and all(part.isalpha() and len(part) <= 5 for part in parts)
        and any(len(part) == 1 for part in parts)
    )


def _is_line_label(text: str, offset: int) -> bool:
    """Whether at most one word precedes the number at ``offset`` on its line."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return len(text[line_start:offset].split()) <= 1


def _follows_common_word(previous: str) -> bool:
    """True for "vitamin C." (an initial after an ordinary lower-case word), not "by J."."""
    return previous.isalpha() and previous.islower() and previous not in _NAME_INTRODUCERS


def sentence_ends(text: str) -> list[int]:
    """Offsets where a new sentence starts inside a line of ``text`` (line starts aside)."""
    return [m.start("next") for m in _SENTENCE_END.finditer(text) if _is_sentence_end(text, m)]


# --- blocks from lines ---------------------------------------------------------------------

_LINE = re.compile(r"\S(?:[^\r\n]*\S)?")  # a line without surrounding whitespace
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s")
_LIST_MARKER = r"(?:[-*+•·▪◦‣►✓✔✅❌☑✗➤➔→★●■◆○□–]\ufe0f?|\(?\d{1,3}[.)]|\(?[a-z]\)|\[\d{1,3}\])"
_LIST_ITEM = re.compile(rf"{_LIST_MARKER}\s+\S")
# What a reviewer does not read as part of the sentence: whitespace and a leading marker.
_LEADING_NOISE = re.compile(rf"\s*(?:(?:#{{1,6}}|>|{_LIST_MARKER})\s+)?")  # also "> " quotes
_FINAL_PUNCTUATION = re.compile(rf"[.!?…;]{_CLOSERS}(?:{_CITATION}{_CLOSERS})*$")
_MAX_HEADING_WORDS = 20
_MAX_QUESTION_HEADING_WORDS = 12
_MAX_LABEL_WORDS = 8
# Words that make a line ending in ":" a lead-in sentence ("Common side effects include:",
# "Here is what you need to know:") rather than a label heading ("Signs of Overdose:").
_LEAD_IN_WORDS = _lexicon("SEG.LEAD_IN_WORDS")


def _is_heading_like(line: str, runs_on: bool) -> bool:
    """A short line that does not end like a sentence (or a short question) is a heading,
    unless it is part of running text (``runs_on``): holds a sentence end, starts in lower case
    or is continued in lower case on the next line, as hard-wrapped paragraphs are."""
    if runs_on:
        return False
    words = len(line.split())
    if line.endswith(":"):
        tokens = re.findall(r"[\w’']+", line.lower()) or [""]
        lead_in = tokens[0] in _LEAD_IN_WORDS or tokens[-1] in _LEAD_IN_WORDS
        return words <= _MAX_LABEL_WORDS and not lead_in
    if _FINAL_PUNCTUATION.search(line):
        quoted = line[0] in "\"“‘'«"
        return line.endswith("?") and not quoted and words <= _MAX_QUESTION_HEADING_WORDS
    return words <= _MAX_HEADING_WORDS


def _line_kind(line: str, first: bool, runs_on: bool) -> str:
    if _MARKDOWN_HEADING.match(line):
        return "title" if first else "heading"
    if _LIST_ITEM.match(line):
        return "list_item"
    if line.startswith("|"):
        return "paragraph"  # a table row
    if _is_heading_like(line, runs_on):
        return "title" if first else "heading"
    return "paragraph"


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the non-whitespace part of ``text[start:end]``."""
    chunk = text[start:end]
    if not chunk.strip():
        return start, start
    return start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())


def _contains(offsets: Sequence[int], start: int, end: int) -> bool:
    """Whether any sorted offset lies strictly inside ``(start, end)``."""
    return bisect_right(offsets, start) < bisect_left(offsets, end)


def _derive_blocks(text: str, ends: Sequence[int], lines: Sequence[tuple[int, int]]) -> list[Block]:
    """One block per non-blank line, typed title / heading / list_item / paragraph.

    A line that repeats an earlier list item is a section heading named in a table of
    contents, whatever its punctuation ("- Is Kratom Safe for Daily Use in Older Adults?")."""
    blocks = []
    contents: set[str] = set()
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        continued = index + 1 < len(lines) and text[lines[index + 1][0]].islower()
        runs_on = continued or text[start].islower() or _contains(ends, start, end)
        kind = _line_kind(line, index == 0, runs_on)
        if kind == "list_item":
            contents.add(line[_LEADING_NOISE.match(line).end() :])
        elif line in contents:
            kind = "heading"
        blocks.append(Block(start, end, kind, index))
    return blocks


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as ``(start, end)`` offsets without surrounding whitespace."""
    return [m.span() for m in _LINE.finditer(text)]


def _given_blocks(
    text: str,
    given: Iterable[tuple[int, int, str, int]],
    ends: Sequence[int],
    lines: list[tuple[int, int]],
) -> list[Block]:
    """Blocks from ingest ``(start, end, kind, paragraph)``, plus line blocks for any text ingest
    left uncovered; blocks are numbered by position, which is ingest's numbering too."""
    spans = []
    for start, end, kind, *_ in given:
        start, end = _stripped(text, start, end)
        if end > start:
            spans.append((start, end, kind))
    spans.sort()
    starts = [s for s, _, _ in spans]
    for block in _derive_blocks(text, ends, lines):
        i = bisect_right(starts, block.start) - 1
        if i < 0 or spans[i][1] <= block.start:
            spans.append((block.start, block.end, block.kind))
    spans.sort()
    return [Block(s, e, kind, index) for index, (s, e, kind) in enumerate(spans)]


# --- the component -------------------------------------------------------------------------


def sentence_bounds(sent: Span) -> tuple[int, int]:
    """The ``(start_char, end_char)`` a reviewer reads: no surrounding space, no list marker."""
    return text_bounds(doc_text(sent.doc), sent.start_char, sent.end_char)


def text_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without surrounding whitespace and a leading list/heading marker."""
    start = _LEADING_NOISE.match(text, start, end).end()
    return start, start + len(text[start:end].rstrip())


class ClaimlensSegmenter:
    """Sets sentence starts, ``sent._.block``/``sent._.paragraph`` and the block span group."""

    def __init__(self, name: str = "claimlens_segmenter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        text = doc_text(doc)
        ends = sentence_ends(text)
        lines = _lines(text)
        given = doc._.cl_blocks
        blocks = (
            _given_blocks(text, given, ends, lines) if given else _derive_blocks(text, ends, lines)
        )
        if not blocks:  # only whitespace: one sentence without a block
            _set_sentence_starts(doc, np.zeros(1, dtype=np.int64))
            return doc
        block_starts = np.fromiter((b.start for b in blocks), dtype=np.int64, count=len(blocks))
        starts = np.union1d(block_starts, [*(s for s, _ in lines), *ends]).astype(np.int64)
        token_offsets, token_lengths = doc.to_array([IDX, LENGTH]).astype(np.int64).T
        tokens = np.searchsorted(token_offsets, starts, side="right") - 1
        tokens, first = np.unique(tokens, return_index=True)  # one start per token
        owners = np.searchsorted(block_starts, starts[first], side="right") - 1
        tokens[0] = 0  # leading whitespace belongs to the first sentence
        sent_start = _set_sentence_starts(doc, tokens)
        sentences = sentence_offsets_from(sent_start, token_offsets, token_lengths)
        self._annotate(doc, blocks, owners.tolist(), sentences, token_offsets, token_lengths)
        return doc

    @staticmethod
    def _annotate(
        doc: Doc,
        blocks: list[Block],
        owners: list[int],
        sentences: list[tuple[int, int]],
        token_offsets: np.ndarray,
        token_lengths: np.ndarray,
    ) -> None:
        """Block kind and index on every sentence; the blocks themselves as a span group."""
        owned = [blocks[owner] for owner in owners]
        store_span_values(doc, "block", sentences, [block.kind for block in owned])
        store_span_values(doc, "paragraph", sentences, [block.paragraph for block in owned])
        first, end = expanded_token_ranges(
            token_offsets, token_lengths, [b.start for b in blocks], [b.end for b in blocks]
        )
        doc.spans[extensions.BLOCKS] = [
            Span(doc, start, stop, label=block.kind)
            for start, stop, block in zip(first.tolist(), end.tolist(), blocks, strict=True)
        ]


def _set_sentence_starts(doc: Doc, tokens: np.ndarray) -> np.ndarray:
    """Exactly the given tokens start sentences; every other token is marked as not starting.
    Returns the SENT_START column as set."""
    sent_start = np.full(len(doc), -1, dtype=np.int64)
    sent_start[tokens] = 1
    doc.from_array([SENT_START], sent_start.astype(np.uint64).reshape(-1, 1))
    return sent_start


@Language.factory("claimlens_segmenter")
def make_segmenter(nlp: Language, name: str) -> ClaimlensSegmenter:
    """spaCy factory: ``nlp.add_pipe("claimlens_segmenter")``."""
    extensions.register()
    return ClaimlensSegmenter(name)
