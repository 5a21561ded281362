"""Certainty cues and per-sentence certainty grades (component ``claimlens_hedges``).

One compiled regex per cue label runs over ``doc.text``; matches are mapped to sentences by
bisecting sentence start offsets, so the cost does not grow with a Python loop per token.
The grading policy is described in ``rules/hedges.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimlens import extensions
from claimlens.rules import Rule, load_rules

# Ascending certainty; a sentence takes the lowest grade among its hedge cues.
GRADES = ("doubtful", "possible", "probable", "certain")
GRADE_RANK = {grade: rank for rank, grade in enumerate(GRADES)}
CUE_LABELS = ("hedge", "booster", "negation", "conditional")

# A negation this close before a booster ("not 100% safe", "never been proven") cancels it.
_NEGATION_REACH = re.compile(r"^\s*(?:[\w-]+\s+){0,3}$")


@dataclass(frozen=True)
class RuleMatch:
    start: int
    end: int
    rule: Rule


class RuleRegex:
    """All patterns of some rules as one alternation; each match reports the rule it came from."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rule for rule in rules if rule.patterns)
        alternatives = []
        for index, rule in enumerate(self.rules):
            body = "|".join(f"(?:{pattern})" for pattern in rule.patterns)
            if not rule.get("ignore_case", True):
                body = f"(?-i:{body})"
            alternatives.append(f"(?P<r{index}>{body})")
        self.regex = re.compile("|".join(alternatives) or r"(?!x)x", re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[RuleMatch]:
        for match in self.regex.finditer(text):
            if match.end() > match.start():
                yield RuleMatch(match.start(), match.end(), self.rules[int(match.lastgroup[1:])])


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of ``doc``; a doc without sentence annotation is one sentence."""
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]]


def sentence_index(starts: list[int], char: int) -> int:
    """Index of the sentence containing character offset ``char`` (``starts`` sorted)."""
    return max(bisect_right(starts, char) - 1, 0)


def _is_negated(booster: RuleMatch, negations: list[RuleMatch], text: str) -> bool:
    return any(
        neg.end <= booster.start and _NEGATION_REACH.match(text[neg.end : booster.start])
        for neg in negations
    )


def _overlaps(match: RuleMatch, others: Iterable[RuleMatch]) -> bool:
    return any(other.start < match.end and match.start < other.end for other in others)


class HedgeTagger:
    """Marks hedge/booster/negation/conditional cues and grades every sentence's certainty."""

    def __init__(self, rule_file: str = "hedges"):
        rules = load_rules(rule_file).rules
        self.matchers = {
            label: RuleRegex(rule for rule in rules if rule.kind == label) for label in CUE_LABELS
        }

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found = {label: list(matcher.finditer(text)) for label, matcher in self.matchers.items()}
        doubtful = [m for m in found["hedge"] if m.rule.get("grade") == "doubtful"]
        found["booster"] = [
            m
            for m in found["booster"]
            if not _is_negated(m, found["negation"], text) and not _overlaps(m, doubtful)
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
                if grade and GRADE_RANK[grade] < GRADE_RANK[lowest[index]]:
                    lowest[index], deciding[index] = grade, [span.text]
                elif grade == lowest[index] or (label == "booster" and lowest[index] == "certain"):
                    deciding[index].append(span.text)
        doc.spans[extensions.HEDGES] = sorted(spans, key=lambda span: span.start_char)
        for sent, grade, cues in zip(sentences, lowest, deciding, strict=True):
            sent._.certainty = grade
            sent._.certainty_cues = cues
        return doc


@Language.factory("claimlens_hedges")
def make_hedges(nlp: Language, name: str) -> HedgeTagger:
    extensions.register()
    return HedgeTagger()
