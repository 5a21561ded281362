"""Certainty cues and per-sentence certainty grades (component ``claimlens_hedges``).

Cue regexes are tried only where a token can begin a cue (a vocabulary flag, so the check is
done once per word form), matches are mapped to sentences by bisecting sentence start offsets,
and nothing loops over every token in Python. The grading policy is in ``rules/hedges.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import regex
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.pipeline.spans import (
    expanded_token_ranges,
    sentence_offsets_from,
    store_span_values,
)
from claimlens.rules import Rule, load_rules

# Ascending certainty; a sentence takes the lowest grade among its hedge cues.
GRADES = ("doubtful", "possible", "probable", "certain")
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES)}
CUE_LABELS = ("hedge", "booster", "negation", "conditional")

# A negation this close before a booster ("not 100% safe", "never been proven") cancels it.
_NEGATION_REACH = re.compile(r"^\s*(?:[\w-]+\s+){0,3}$")
_NEGATION_REACH_CHARS = 60


class RuleMatch(NamedTuple):
    """A cue found by a ``RuleRegex`` (a tuple: a frozen dataclass costs a microsecond each)."""

    start: int
    end: int
    rule: Rule


class RuleRegex:
    """All patterns of some rules as one alternation; each match reports the rule it came from.

    Scanning a whole text with a long alternation costs more than tokenising it, so the regex
    is only tried at tokens whose word form can begin a match (``can_begin``: a partial match of
    the form followed by a space or a hyphen, see ``CueMatchers``). So a pattern must start
    where a token starts, its first word must end there too ("n't" and "cannot" are matched from
    spaCy's tokens "n't" and "can"), and it must not open with a positive lookbehind (the form
    is tested without what precedes it).
    """

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rule for rule in rules if rule.patterns)
        self._patterns = [
            [_NarrowablePattern(pattern, rule) for pattern in rule.patterns] for rule in self.rules
        ]
        source = _alternation([[p.whole for p in patterns] for patterns in self._patterns])
        self.can_begin = _PrefixTest(source)
        self._by_first_char: dict[str, re.Pattern[str]] = {}

    def find(self, text: str, starts: Iterable[int]) -> list[RuleMatch]:
        """Non-overlapping matches in ``text``, left to right, tried at candidate ``starts``."""
        found = []
        end_of_last = 0
        cached_regex = self._by_first_char.get
        for start in starts:
            if start < end_of_last:
                continue
            char = text[start]
            match = (cached_regex(char) or self._regex_for(char)).match(text, start)
            if match and match.end() > start:
                end_of_last = match.end()
                found.append(RuleMatch(start, end_of_last, self.rules[int(match.lastgroup[1:])]))
        return found

    def _regex_for(self, char: str) -> re.Pattern[str]:
        """The alternation without what cannot match at a ``char`` (see ``_NarrowablePattern``):
        ``re`` tries every alternative in turn, and leaving out those that must fail gives the
        same first match at a fraction of the cost."""
        found = self._by_first_char.get(char)
        if found is None:
            narrowed = [
                [text for text in (p.at(char) for p in patterns) if text is not None]
                for patterns in self._patterns
            ]
            found = self._by_first_char[char] = re.compile(_alternation(narrowed), re.IGNORECASE)
        return found


class _NarrowablePattern:
    """A rule pattern, narrowed to the alternatives that can match at a given first character.

    A pattern "P(?:A|B|C)S" with that group at its top level and not repeated tries A, B and C
    in turn on every path; one whose "P(?:B)S" cannot match at the character cannot be the
    first match either and is left out (the pattern itself when none is left; a pattern
    without such a group is one alternative). "Can match" is a partial match of the character
    at the start, after a space and after a letter, so word boundaries and negative lookbehinds
    pass as they can in the text.
    """

    def __init__(self, pattern: str, rule: Rule):
        self.rule = rule
        self.whole = _case(pattern, rule)
        self._prefix, self._alternatives, self._suffix = _group_alternatives(pattern) or (
            "",
            [pattern],
            "",
        )
        self._tests = [
            regex.compile(self._narrowed([alternative]), regex.IGNORECASE | regex.V0)
            for alternative in self._alternatives
        ]

    def at(self, char: str) -> str | None:
        kept = [
            alternative
            for alternative, test in zip(self._alternatives, self._tests, strict=True)
            if any(
                test.match(before + char, pos=len(before), partial=True)
                for before in ("", " ", "x")
            )
        ]
        if len(kept) == len(self._alternatives):
            return self.whole
        return self._narrowed(kept) if kept else None

    def _narrowed(self, alternatives: list[str]) -> str:
        return _case(f"{self._prefix}(?:{'|'.join(alternatives)}){self._suffix}", self.rule)


def _group_alternatives(pattern: str) -> tuple[str, list[str], str] | None:
    """``(P, [A, B, C], S)`` for a pattern "P(?:A|B|C)S" where that group is the first
    non-capturing, unrepeated group with alternatives at the top level; None if there is none or
    the pattern has alternatives of its own (a "|" outside any group)."""
    depth, index, in_class = 0, 0, False
    found = None
    bars: list[int] = []
    group_start = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 1 + pattern.startswith("^", index + 1)
            index += pattern.startswith("]", index)  # "]" first in a class is literal
            continue
        elif char == "(":
            if depth == 0:
                group_start, bars = index, []
            depth += 1
        elif char == ")":
            depth -= 1
            end = index + 1
            if (
                depth == 0
                and found is None
                and bars
                and pattern.startswith("(?:", group_start)
                and not pattern.startswith(("*", "+", "?", "{"), end)  # repeated
            ):
                cuts = [group_start + 2, *bars, index]
                alternatives = [pattern[a + 1 : b] for a, b in zip(cuts, cuts[1:], strict=False)]
                found = (pattern[:group_start], alternatives, pattern[end:])
        elif char == "|":
            if depth == 0:
                return None
            if depth == 1:
                bars.append(index)
        index += 1
    return found


def _case(pattern: str, rule: Rule) -> str:
    """A rule's pattern as it takes part in the case-insensitive alternation."""
    return pattern if rule.get("ignore_case", True) else f"(?-i:{pattern})"


def _alternation(patterns_per_rule: Sequence[Sequence[str]]) -> str:
    """One alternation of the rules' patterns, each rule a group ``r<index>``; rules without
    patterns are left out, and with no pattern at all the alternation never matches."""
    alternatives = [
        f"(?P<r{index}>{'|'.join(f'(?:{pattern})' for pattern in patterns)})"
        for index, patterns in enumerate(patterns_per_rule)
        if patterns
    ]
    return "|".join(alternatives) or r"(?!x)x"


class CueMatchers:
    """The ``RuleRegex`` of one component, with one lexeme flag on ``vocab`` for all of them:
    can a match of any of them begin with this word form?

    Reading a lexeme flag costs about 20 ns per token and flag, so the tokens are read with
    one flag, and only the few flagged tokens' word forms (cached) say which matchers may begin
    there.
    """

    def __init__(self, vocab: Vocab, matchers: Iterable[RuleRegex]):
        self.matchers = tuple(matchers)
        self._beginners: dict[str, tuple[int, ...]] = {}
        self.flag = vocab.add_flag(self._any_can_begin)

    def _any_can_begin(self, word: str) -> bool:
        return any(matcher.can_begin(word) for matcher in self.matchers)

    def starts(self, text: str, columns: np.ndarray) -> list[list[int]]:
        """For each matcher, the offsets of the flagged tokens where it may begin a match."""
        starts: list[list[int]] = [[] for _ in self.matchers]
        cached_beginners = self._beginners.get
        for start, length in columns[columns[:, 0] == 1, 2:].tolist():
            word = text[start : start + length]
            beginners = cached_beginners(word)
            if beginners is None:
                beginners = self._beginners[word] = tuple(
                    index for index, matcher in enumerate(self.matchers) if matcher.can_begin(word)
                )
            for index in beginners:
                starts[index].append(start)
        return starts


def token_columns(doc: Doc, matchers: CueMatchers) -> np.ndarray:
    """The matchers' flag, SENT_START, IDX and LENGTH of every token, in one read."""
    return doc.to_array([matchers.flag, SENT_START, IDX, LENGTH]).reshape(len(doc), 4)


def find_cues(
    doc: Doc, matchers: CueMatchers, columns: np.ndarray | None = None
) -> list[list[RuleMatch]]:
    """The matches of each matcher in ``doc``; ``columns`` as ``token_columns`` gives them."""
    if columns is None:
        columns = token_columns(doc, matchers)
    text = extensions.doc_text(doc)
    return [
        matcher.find(text, matcher_starts)
        for matcher, matcher_starts in zip(
            matchers.matchers, matchers.starts(text, columns), strict=True
        )
    ]


def sentences_and_cues(
    doc: Doc, matchers: CueMatchers
) -> tuple[list[tuple[int, int]], list[list[RuleMatch]], np.ndarray, np.ndarray]:
    """Sentence ``(start_char, end_char)`` offsets (as ``sentence_spans``), each matcher's
    matches, and the IDX and LENGTH columns, from one read of the tokens."""
    if len(doc) == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return [(0, 0)], [[] for _ in matchers.matchers], empty, empty
    columns = token_columns(doc, matchers)
    sent_start, token_offsets, token_lengths = columns[:, 1:].T
    sentences = sentence_offsets_from(sent_start, token_offsets, token_lengths)
    return sentences, find_cues(doc, matchers, columns), token_offsets, token_lengths


class _PrefixTest:
    """Can a match of ``source`` begin with this word form?"""

    def __init__(self, source: str):
        self._regex = regex.compile(source, regex.IGNORECASE | regex.V0)

    def __call__(self, word: str) -> bool:
        return any(self._regex.match(word + end, partial=True) for end in (" ", "-"))


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of ``doc`` (as ``doc.sents``); without sentence annotation, one sentence.

    Read from the SENT_START array: ``doc.sents`` and ``has_annotation`` build a Python
    object per token, which costs more than the components themselves.
    """
    if len(doc) == 0:
        return [doc[:]]
    starts = np.flatnonzero(doc.to_array(SENT_START).astype(np.int64) == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(doc)]
    return [Span(doc, start, end) for start, end in zip(starts, ends, strict=True)]


def sentence_index(starts: list[int], char: int) -> int:
    """Index of the sentence containing character offset ``char`` (``starts`` sorted)."""
    return max(bisect_right(starts, char) - 1, 0)


def _is_negated(booster: RuleMatch, negation_ends: list[int], text: str) -> bool:
    first = bisect_left(negation_ends, booster.start - _NEGATION_REACH_CHARS)
    last = bisect_right(negation_ends, booster.start)
    return any(
        _NEGATION_REACH.match(text[end : booster.start]) for end in negation_ends[first:last]
    )


def _cue_spans(
    token_offsets: np.ndarray, token_lengths: np.ndarray, matches: Sequence[RuleMatch]
) -> list[tuple[int, int, int, int]]:
    """``(first token, end token, start_char, end_char)`` of the span that
    ``doc.char_span(match.start, match.end, alignment_mode="expand")`` gives for each match."""
    if not matches:
        return []
    token_offsets = token_offsets.astype(np.int64)
    token_lengths = token_lengths.astype(np.int64)
    first, end = expanded_token_ranges(
        token_offsets, token_lengths, [m.start for m in matches], [m.end for m in matches]
    )
    start_chars = token_offsets[first]
    end_chars = token_offsets[end - 1] + token_lengths[end - 1]
    columns = (first.tolist(), end.tolist(), start_chars.tolist(), end_chars.tolist())
    return list(zip(*columns, strict=True))


def _overlaps(match: RuleMatch, others: Iterable[RuleMatch]) -> bool:
    return any(other.start < match.end and match.start < other.end for other in others)


class HedgeTagger:
    """Marks hedge/booster/negation/conditional cues and grades every sentence's certainty."""

    def __init__(self, vocab: Vocab, rule_file: str = "hedges"):
        rules = load_rules(rule_file).rules
        self.matchers = CueMatchers(
            vocab, (RuleRegex(rule for rule in rules if rule.kind == label) for label in CUE_LABELS)
        )

    def __call__(self, doc: Doc) -> Doc:
        text = extensions.doc_text(doc)
        sentences, cues_found, token_offsets, token_lengths = sentences_and_cues(doc, self.matchers)
        found = dict(zip(CUE_LABELS, cues_found, strict=True))
        doubtful = [m for m in found["hedge"] if m.rule.get("grade") == "doubtful"]
        negation_ends = sorted(m.end for m in found["negation"])
        found["booster"] = [
            m
            for m in found["booster"]
            if not _is_negated(m, negation_ends, text) and not _overlaps(m, doubtful)
        ]

        starts = [start for start, _ in sentences]
        lowest: list[str] = ["certain"] * len(sentences)
        deciding: list[list[str]] = [[] for _ in sentences]
        cues = [(label, match) for label in CUE_LABELS for match in found[label]]
        cue_spans = _cue_spans(token_offsets, token_lengths, [match for _, match in cues])
        kept: dict[tuple[int, int], tuple[int, int, str, str]] = {}
        for (label, match), (first, end, start_char, end_char) in zip(cues, cue_spans, strict=True):
            if (start_char, end_char) in kept:
                continue
            kept[start_char, end_char] = (first, end, label, match.rule.id)
            index = sentence_index(starts, match.start)
            # Hedges come first in CUE_LABELS, so boosters only explain still-certain ones.
            grade = match.rule.get("grade") if label == "hedge" else None
            cue_text = text[start_char:end_char]
            if grade and GRADE_RANK[grade] < GRADE_RANK[lowest[index]]:
                lowest[index], deciding[index] = grade, [cue_text]
            elif grade == lowest[index] or (label == "booster" and lowest[index] == "certain"):
                deciding[index].append(cue_text)
        offsets = sorted(kept, key=lambda offset: offset[0])
        doc.spans[extensions.HEDGES] = [
            Span(doc, first, end, label=label, span_id=rule_id)
            for first, end, label, rule_id in map(kept.get, offsets)
        ]
        store_span_values(doc, "certainty", sentences, lowest)
        store_span_values(doc, "certainty_cues", sentences, deciding)
        return doc


@Language.factory("claimlens_hedges")
def make_hedges(nlp: Language, name: str) -> HedgeTagger:
    extensions.register()
    return HedgeTagger(nlp.vocab)
