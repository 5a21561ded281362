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
from typing import Any

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimlens import extensions
from claimlens.document import Block

# --- sentence ends inside a block ----------------------------------------------------------

# Sentence-final punctuation (ellipses included), then closing quotes/brackets and citation
# marks such as "[3]" or "[2, 5-7]", then horizontal space, and a next sentence that opens with
# an upper-case letter or a digit (possibly behind an opening quote or bracket).
_CLOSERS = r"[\"'”’»)\]]*"
_CITATION = r"\[\d+(?:\s?[-–,]\s?\d+)*\]"
_SENTENCE_END = re.compile(
    r"(?P<stop>[.!?…]+)"
    rf"(?P<close>{_CLOSERS}(?:{_CITATION}{_CLOSERS})*)"
    r"[^\S\r\n]+"
    r"(?P<next>[\"'“‘«(\[]*(?P<word>[A-Z0-9À-ÖØ-Þ][\w’'-]*))"
)
# The word before a full stop, without opening quotes/brackets; may contain inner dots (U.S).
_WORD_BEFORE = re.compile(r"[^\s\"'“‘«(\[]*$")
_WORD_BEFORE_WINDOW = 40


def _words(listing: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated words, for readable constants below."""
    return frozenset(listing.split())


# Abbreviations that are followed by more of the same sentence ("Dr. Smith", "e.g. kava").
_NEVER_FINAL = _words(
    "dr mr mrs ms mx prof st sr jr rev hon gen gov sen rep capt lt col sgt mt "
    "vs v e.g eg i.e ie cf al approx appr ca esp incl viz resp a.k.a aka dept univ assoc"
)
# Abbreviations that are followed by a number in the same sentence ("No. 5", "Fig. 2").
_BEFORE_NUMBER = _words(
    "no nos p pp vol fig figs ch sec art tab eq ref refs "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# Words that commonly open a sentence: after an abbreviation that may also end a sentence
# ("in the U.S. The FDA ...") or an initial ("vitamin C. It ..."), they decide for a boundary.
_SENTENCE_OPENERS = _words(
    """a an the this that these those it its it’s it's they their there here we our you your
    he she his her i in on at for with without by from to of as if when whenever while although
    though but and or so yet however moreover furthermore also additionally many most some
    several few all both each every no not one two three studies research researchers what why
    how who which where do does did is are was were can could should would will may might must
    be after before during since because unlike like despite still then thus therefore instead
    finally first second third always never please consult talk take use keep avoid
    other others another such overall"""
)
# Lower-case words after which a capitalised initial is part of a name ("by J. Smith").
_NAME_INTRODUCERS = _words("by and of with from to for & dr prof mr mrs ms")
_DOTTED_ACRONYM = re.compile(r"^(?:[a-z]\.)+[a-z]$")  # u.s, a.m, ph.d (lower-cased)


def _is_sentence_end(text: str, match: re.Match[str]) -> bool:
    """Decide whether a full stop that looks like a sentence end really is one."""
    if match["stop"] != "." or match["close"]:
        return True  # "!", "?", ellipses, or a stop closed by a quote, bracket or citation
    before = text[max(0, match.start() - _WORD_BEFORE_WINDOW) : match.start()]
    word = _WORD_BEFORE.search(before).group()
    lowered = word.lower()
    next_word = match["word"]
    opens_sentence = next_word.lower() in _SENTENCE_OPENERS
    if lowered in _NEVER_FINAL:
        return False
    if lowered in _BEFORE_NUMBER:
        return not next_word[0].isdigit()
    if _DOTTED_ACRONYM.match(lowered):
        return opens_sentence
    if len(word) == 1 and word.isupper():
        return opens_sentence or _follows_common_word(before[: -len(word)])
    if word.isdigit():
        return not _starts_line(text, match.start() - len(word))  # "1. Mix the powder"
    return True


def _starts_line(text: str, offset: int) -> bool:
    """Whether only whitespace precedes ``offset`` on its line."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return not text[line_start:offset].strip()


def _follows_common_word(before: str) -> bool:
    """True for "vitamin C." (an initial after an ordinary lower-case word), not "by J."."""
    previous = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
    return previous.isalpha() and previous.islower() and previous not in _NAME_INTRODUCERS


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets where a new sentence starts inside ``text[start:end]`` (line breaks aside)."""
    end = len(text) if end is None else end
    return [
        m.start("next")
        for m in _SENTENCE_END.finditer(text, start, end)
        if _is_sentence_end(text, m)
    ]


# --- blocks from lines ---------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]+")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s")
_LIST_MARKER = r"(?:[-*+•·▪◦‣►✓✔–]|\(?\d{1,3}[.)]|\(?[a-z]\))"
_LIST_ITEM = re.compile(rf"{_LIST_MARKER}\s+\S")
# What a reviewer does not read as part of the sentence: whitespace and a leading marker.
_LEADING_NOISE = re.compile(rf"\s*(?:(?:#{{1,6}}|{_LIST_MARKER})\s+)?")
_FINAL_PUNCTUATION = re.compile(rf"[.!?…;]{_CLOSERS}(?:{_CITATION}{_CLOSERS})*$")
_MAX_HEADING_WORDS = 20
_MAX_QUESTION_HEADING_WORDS = 12
_MAX_LABEL_WORDS = 3  # "Side effects:" is a heading, "Common side effects include:" is not


def _is_heading_like(line: str, has_inner_sentence_end: bool) -> bool:
    """A short line that does not end like a sentence (or a short question) is a heading."""
    if has_inner_sentence_end:
        return False
    words = len(line.split())
    if line.endswith(":"):
        return words <= _MAX_LABEL_WORDS or _is_title_case(line)
    if _FINAL_PUNCTUATION.search(line):
        quoted = line[0] in "\"“‘'«"
        return line.endswith("?") and not quoted and words <= _MAX_QUESTION_HEADING_WORDS
    return words <= _MAX_HEADING_WORDS


def _is_title_case(line: str) -> bool:
    """Most longer words capitalised, as in "Key Benefits of Kratom:"."""
    long_words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", line) if len(w) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) * 4 >= len(long_words) * 3


def _line_kind(line: str, first: bool, has_inner_sentence_end: bool) -> str:
    if _MARKDOWN_HEADING.match(line):
        return "title" if first else "heading"
    if _LIST_ITEM.match(line):
        return "list_item"
    if _is_heading_like(line, has_inner_sentence_end):
        return "title" if first else "heading"
    return "paragraph"


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to the non-whitespace part of ``text[start:end]``."""
    chunk = text[start:end]
    if not chunk.strip():
        return start, start
    return start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as stripped ``(start, end)`` offsets."""
    spans = (_stripped(text, m.start(), m.end()) for m in _LINE.finditer(text))
    return [(s, e) for s, e in spans if e > s]


def _contains(offsets: Sequence[int], start: int, end: int) -> bool:
    """Whether any sorted offset lies strictly inside ``(start, end)``."""
    return bisect_right(offsets, start) < bisect_left(offsets, end)


def derive_blocks(text: str, ends: Sequence[int] | None = None) -> list[Block]:
    """One block per non-blank line, typed title / heading / list_item / paragraph."""
    ends = sentence_ends(text) if ends is None else ends
    blocks = []
    for index, (start, end) in enumerate(_lines(text)):
        kind = _line_kind(text[start:end], index == 0, _contains(ends, start, end))
        blocks.append(Block(start, end, kind, index))
    return blocks


def _given_blocks(text: str, given: Iterable[Any], ends: Sequence[int]) -> list[Block]:
    """Blocks from ingest, plus line blocks for any text ingest left uncovered."""
    spans = []
    for item in given:
        start, end, kind = (
            (item.start, item.end, item.kind) if isinstance(item, Block) else tuple(item[:3])
        )
        start, end = _stripped(text, start, end)
        if end > start:
            spans.append((start, end, kind))
    spans.sort()
    starts = [s for s, _, _ in spans]
    for block in derive_blocks(text, ends):
        i = bisect_right(starts, block.start) - 1
        covered = i >= 0 and spans[i][1] > block.start
        if not covered:
            spans.append((block.start, block.end, block.kind))
    spans.sort()
    return [Block(s, e, kind, index) for index, (s, e, kind) in enumerate(spans)]


# --- the component -------------------------------------------------------------------------


def sentence_bounds(sent: Span) -> tuple[int, int]:
    """The ``(start_char, end_char)`` a reviewer reads: no surrounding space, no list marker."""
    return text_bounds(sent.doc.text, sent.start_char, sent.end_char)


def text_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without surrounding whitespace and a leading list/heading marker."""
    start += _LEADING_NOISE.match(text, start, end).end() - start
    chunk = text[start:end]
    return start, start + len(chunk.rstrip())


class ClaimlensSegmenter:
    """Sets sentence starts, ``sent._.block``/``sent._.paragraph`` and the block span group."""

    def __init__(self, name: str = "claimlens_segmenter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        text = doc.text
        ends = sentence_ends(text)
        given = doc._.cl_blocks
        blocks = _given_blocks(text, given, ends) if given else derive_blocks(text, ends)
        line_starts = [s for s, _ in _lines(text)]
        starts, owners = [], []
        for block_index, block in enumerate(blocks):
            for offset in (block.start, *_inside(line_starts, block), *_inside(ends, block)):
                starts.append(offset)
                owners.append(block_index)
        order = np.argsort(starts, kind="stable")
        token_starts = self._token_indices(doc, np.asarray(starts, dtype=np.int64)[order])
        owners_in_order = np.asarray(owners, dtype=np.int64)[order]
        token_starts, first = np.unique(token_starts, return_index=True)
        owners_in_order = owners_in_order[first]
        if len(token_starts):
            token_starts[0] = 0  # leading whitespace belongs to the first sentence
        sent_start = np.full(len(doc), -1, dtype=np.int64)
        sent_start[0] = 1
        sent_start[token_starts] = 1
        doc.from_array([SENT_START], sent_start.astype(np.uint64).reshape(-1, 1))
        self._annotate(doc, blocks, token_starts, owners_in_order)
        return doc

    @staticmethod
    def _token_indices(doc: Doc, offsets: np.ndarray) -> np.ndarray:
        """Index of the token that contains each character offset."""
        token_offsets = doc.to_array(IDX).astype(np.int64)
        return np.searchsorted(token_offsets, offsets, side="right") - 1

    @staticmethod
    def _annotate(
        doc: Doc, blocks: list[Block], token_starts: np.ndarray, owners: np.ndarray
    ) -> None:
        bounds = [*token_starts.tolist(), len(doc)]
        for i, block_index in enumerate(owners.tolist()):
            sent = Span(doc, bounds[i], bounds[i + 1])
            sent._.block = blocks[block_index].kind
            sent._.paragraph = blocks[block_index].paragraph
        doc.spans[extensions.BLOCKS] = [
            doc.char_span(b.start, b.end, label=b.kind, alignment_mode="expand") for b in blocks
        ]


def _inside(offsets: Sequence[int], block: Block) -> list[int]:
    """The sorted offsets strictly inside ``block``."""
    return list(offsets[bisect_right(offsets, block.start) : bisect_left(offsets, block.end)])


@Language.factory("claimlens_segmenter")
def make_segmenter(nlp: Language, name: str) -> ClaimlensSegmenter:
    """spaCy factory: ``nlp.add_pipe("claimlens_segmenter")``."""
    extensions.register()
    return ClaimlensSegmenter(name)
