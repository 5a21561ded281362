"""Certainty cues and per-sentence certainty grades (component ``claimlens_hedges``).

Cue regexes are tried only where a token can begin a cue (a vocabulary flag, so the check is
done once per word form), matches are mapped to sentences by bisecting sentence start offsets,
and nothing loops over every token in Python. The grading policy is in ``rules/hedges.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import regex
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.rules import Rule, load_rules

# Ascending certainty; a sentence takes the lowest grade among its hedge cues.
GRADES = ("doubtful", "possible", "probable", "certain")
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES)}
CUE_LABELS = ("hedge", "booster", "negation", "conditional")

# A negation this close before a booster ("not 100% safe", "never been proven") cancels it.
_NEGATION_REACH = re.compile(r"^\s*(?:[\w-]+\s+){0,3}$")
_NEGATION_REACH_CHARS = 60


@dataclass(frozen=True)
class RuleMatch:
    start: int
    end: int
    rule: Rule


class RuleRegex:
    """All patterns of some rules as one alternation; each match reports the rule it came from.

    Scanning a whole text with a long alternation costs more than tokenising it, so the regex
    is only tried at tokens whose word form can begin a match. Whether it can is a lexeme flag
    on ``vocab``, computed once per word form by a partial match of the form followed by a space
    or a hyphen. So a pattern must start where a token starts, its first word must end there
    too ("n't" and "cannot" are matched from spaCy's tokens "n't" and "can"), and it must not
    open with a positive lookbehind (the form is tested without what precedes it).
    """

    def __init__(self, vocab: Vocab, rules: Iterable[Rule]):
        self.rules = tuple(rule for rule in rules if rule.patterns)
        alternatives = []
        for index, rule in enumerate(self.rules):
            body = "|".join(f"(?:{pattern})" for pattern in rule.patterns)
            if not rule.get("ignore_case", True):
                body = f"(?-i:{body})"
            alternatives.append(f"(?P<r{index}>{body})")
        source = "|".join(alternatives) or r"(?!x)x"
        self.regex = re.compile(source, re.IGNORECASE)
        self.flag = vocab.add_flag(_PrefixTest(source))

    def finditer(self, text: str, starts: Iterable[int]) -> Iterator[RuleMatch]:
        """Non-overlapping matches in ``text``, left to right, tried at candidate ``starts``."""
        end_of_last = 0
        for start in starts:
            if start < end_of_last:
                continue
            match = self.regex.match(text, start)
            if match and match.end() > start:
                end_of_last = match.end()
                yield RuleMatch(start, end_of_last, self.rules[int(match.lastgroup[1:])])


def find_cues(doc: Doc, matchers: Sequence[RuleRegex]) -> list[list[RuleMatch]]:
    """The matches of each matcher in ``doc``, reading every matcher's token flags at once."""
    columns = doc.to_array([*(matcher.flag for matcher in matchers), IDX])
    columns = columns.reshape(len(doc), len(matchers) + 1)
    text = extensions.doc_text(doc)
    return [
        list(matcher.finditer(text, columns[columns[:, i] == 1, -1].tolist()))
        for i, matcher in enumerate(matchers)
    ]


class _PrefixTest:
    """Lexeme flag getter: can a match of ``source`` begin with this word form?"""

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
    return [doc[start:end] for start, end in zip(starts, [*starts[1:], len(doc)], strict=True)]


def sentence_index(starts: list[int], char: int) -> int:
    """Index of the sentence containing character offset ``char`` (``starts`` sorted)."""
    return max(bisect_right(starts, char) - 1, 0)


def _is_negated(booster: RuleMatch, negation_ends: list[int], text: str) -> bool:
    first = bisect_left(negation_ends, booster.start - _NEGATION_REACH_CHARS)
    last = bisect_right(negation_ends, booster.start)
    return any(
        _NEGATION_REACH.match(text[end : booster.start]) for end in negation_ends[first:last]
    )


def _overlaps(match: RuleMatch, others: Iterable[RuleMatch]) -> bool:
    return any(other.start < match.end and match.start < other.end for other in others)


class HedgeTagger:
    """Marks hedge/booster/negation/conditional cues and grades every sentence's certainty."""

    def __init__(self, vocab: Vocab, rule_file: str = "hedges"):
        rules = load_rules(rule_file).rules
        self.matchers = [
            RuleRegex(vocab, (rule for rule in rules if rule.kind == label)) for label in CUE_LABELS
        ]

    def __call__(self, doc: Doc) -> Doc:
        text = extensions.doc_text(doc)
        found = dict(zip(CUE_LABELS, find_cues(doc, self.matchers), strict=True))
        doubtful = [m for m in found["hedge"] if m.rule.get("grade") == "doubtful"]
        negation_ends = sorted(m.end for m in found["negation"])
        found["booster"] = [
            m
            for m in found["booster"]
            if not _is_negated(m, negation_ends, text) and not _overlaps(m, doubtful)
        ]

        sentences = sentence_spans(doc)
        starts = [sent.start_char for sent in sentences]
        lowest: list[str] = ["certain"] * len(sentences)
        deciding: list[list[str]] = [[] for _ in sentences]
        spans: list[Span] = []
        taken: set[tuple[int, int]] = set()
        for label in CUE_LABELS:
            for match in found[label]:
                span = doc.char_span(match.start, match.end, label, alignment_mode="expand")
                if span is None or (span.start_char, span.end_char) in taken:
                    continue
                taken.add((span.start_char, span.end_char))
                span._.rule_id = match.rule.id
                spans.append(span)
                index = sentence_index(starts, match.start)
                # Hedges come first in CUE_LABELS, so boosters only explain still-certain ones.
                grade = match.rule.get("grade") if label == "hedge" else None
                cue_text = text[span.start_char : span.end_char]
                if grade and GRADE_RANK[grade] < GRADE_RANK[lowest[index]]:
                    lowest[index], deciding[index] = grade, [cue_text]
                elif grade == lowest[index] or (label == "booster" and lowest[index] == "certain"):
                    deciding[index].append(cue_text)
        doc.spans[extensions.HEDGES] = sorted(spans, key=lambda span: span.start_char)
        for sent, grade, cues in zip(sentences, lowest, deciding, strict=True):
            sent._.certainty = grade
            sent._.certainty_cues = cues
        return doc


@Language.factory("claimlens_hedges")
def make_hedges(nlp: Language, name: str) -> HedgeTagger:
    extensions.register()
    return HedgeTagger(nlp.vocab)
