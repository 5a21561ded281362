"""Evidence cues: what an article offers in support of its claims.

A reviewer's first question about a health claim is "says who?". This component marks the
answer wherever the article gives one, as spans in ``doc.spans[EVIDENCE]`` labelled

- ``specific``: a source a reader can check (citation, DOI, PMID, journal or agency, a study
  named by year, design or venue, study figures such as sample sizes);
- ``vague``: an appeal to evidence that cannot be checked ("research has shown", "experts
  agree", "clinically proven", a bare "by 80%"), only in sentences that name no specific source
  (rules with ``unless_sentence_has``);
- ``anecdote``: users, testimonials, personal experience, tradition.

Each span carries ``span._.rule_id`` from ``rules/evidence.json``.

Speed: Python's ``re`` is slow on long case-insensitive alternations, so the component never
scans the whole text with every rule. Each rule lists ``triggers``: words (a token's lower-case
form equals one) or symbols (a token's text contains one, e.g. ``[`` or ``.gov``) that every
match of the rule contains. Triggers are looked up once per distinct token form, vectorised over
the ``LOWER`` array; a rule's patterns then run only on the sentences holding one of its
triggers. Cues never cross a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.rules import Rule, load_rules

LABELS = ("specific", "vague", "anecdote")  # also the priority when two cues share offsets
_WORD_TRIGGER = re.compile(r"^[a-z][a-z'’-]*$")  # other triggers are symbols: substrings
_ESCAPE = re.compile(r"\\.")  # an escaped character in a pattern, e.g. \S or \[


@dataclass(frozen=True)
class _CompiledRule:
    rule_id: str
    label: str
    regex: re.Pattern[str]  # for the original text, with the rule's own case flag
    # For case-insensitive rules written in lower case: the same pattern without IGNORECASE,
    # to run on lower-cased text (two to three times faster in ``re``).
    lowercase_regex: re.Pattern[str] | None
    # The cue is dropped when its sentence also has a cue with this label (a figure is not
    # "unsourced" next to a citation).
    unless_sentence_has: str | None

    def finditer(self, text: str, lowered: str | None) -> Iterator[re.Match[str]]:
        if self.lowercase_regex is not None and lowered is not None:
            return self.lowercase_regex.finditer(lowered)
        return self.regex.finditer(text)


def _compile(rule: Rule) -> _CompiledRule:
    pattern = "|".join(rule.patterns)
    ignore_case = rule.get("ignore_case", True)
    written_in_lower_case = "(?-i:" not in pattern and not any(
        char.isupper() for char in _ESCAPE.sub("", pattern)
    )
    return _CompiledRule(
        rule.id,
        rule.kind,
        re.compile(pattern, re.IGNORECASE if ignore_case else 0),
        re.compile(pattern) if ignore_case and written_in_lower_case else None,
        rule.get("unless_sentence_has"),
    )


class EvidenceTagger:
    """Marks evidence cues; see the module docstring."""

    def __init__(self, vocab: Vocab, rules_name: str = "evidence") -> None:
        ruleset = load_rules(rules_name)
        ordered = sorted(ruleset.rules, key=lambda rule: LABELS.index(rule.kind))
        self._rules = [_compile(rule) for rule in ordered]
        self._vocab = vocab
        self._rules_by_word: dict[str, set[int]] = defaultdict(set)
        self._rules_by_symbol: dict[str, set[int]] = defaultdict(set)
        for index, rule in enumerate(ordered):
            triggers = rule.get("triggers", [])
            if not triggers:
                raise ValueError(f"{rules_name}.json: rule {rule.id} has no triggers")
            for trigger in triggers:
                is_word = _WORD_TRIGGER.match(trigger)
                (self._rules_by_word if is_word else self._rules_by_symbol)[trigger].add(index)
        self._rules_by_form: dict[int, tuple[int, ...]] = {}  # memo: LOWER hash -> rule indices

    def _rules_triggered_by(self, form: int) -> tuple[int, ...]:
        rules = self._rules_by_form.get(form)
        if rules is None:
            lower = self._vocab.strings[form]
            found = set(self._rules_by_word.get(lower, ()))
            for symbol, symbol_rules in self._rules_by_symbol.items():
                if symbol in lower:
                    found |= symbol_rules
            rules = self._rules_by_form[form] = tuple(sorted(found))
        return rules

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[extensions.EVIDENCE] = self._find_cues(doc) if len(doc) else []
        return doc

    def _find_cues(self, doc: Doc) -> list[Span]:
        text = extensions.doc_text(doc)
        lower, idx, sent_start = doc.to_array([LOWER, IDX, SENT_START]).T
        is_start = sent_start == 1  # without sentence annotation: one window, the whole doc
        is_start[0] = True
        sentence_of_token = np.cumsum(is_start) - 1
        char_bounds = [*idx[is_start].tolist(), len(text)]

        forms, form_of_token = np.unique(lower, return_inverse=True)
        rules_of_form = [self._rules_triggered_by(form) for form in forms.tolist()]
        triggering = np.array([bool(rules) for rules in rules_of_form])[form_of_token]
        # Distinct (sentence, form) pairs: far fewer than triggering tokens.
        pairs = np.unique(
            sentence_of_token[triggering] * len(forms) + form_of_token.reshape(-1)[triggering]
        )
        rules_by_sentence: dict[int, set[int]] = defaultdict(set)
        for pair in pairs.tolist():
            sentence, form = divmod(pair, len(forms))
            rules_by_sentence[sentence].update(rules_of_form[form])

        matches = []  # (rule index, start_char, end_char, sentence)
        for sentence, rule_indices in rules_by_sentence.items():
            offset = char_bounds[sentence]
            window = text[offset : char_bounds[sentence + 1]]
            lowered: str | None = window.lower()
            if len(lowered) != len(window):  # rare characters whose lower case is longer
                lowered = None
            for rule_index in rule_indices:
                matches.extend(
                    (rule_index, offset + match.start(), offset + match.end(), sentence)
                    for match in self._rules[rule_index].finditer(window, lowered)
                )
        labels_in_sentence = {(sentence, self._rules[rule].label) for rule, *_, sentence in matches}

        taken: set[tuple[int, int]] = set()  # span extensions are keyed by offsets: no twins
        spans: list[Span] = []
        for rule_index, start, end, sentence in sorted(matches):
            rule = self._rules[rule_index]
            if (sentence, rule.unless_sentence_has) in labels_in_sentence:
                continue
            span = doc.char_span(
                start, end, label=rule.label, alignment_mode="expand", span_id=rule.rule_id
            )
            if span is None or (span.start_char, span.end_char) in taken:
                continue
            taken.add((span.start_char, span.end_char))
            spans.append(span)
        spans.sort(key=lambda span: (span.start_char, span.end_char))
        return spans


def evidence_by_sentence(doc: Doc) -> list[list[Span]]:
    """The evidence cues of each sentence, in ``doc.sents`` order (a cue belongs to the
    sentence it starts in), so claim and finding logic need not re-map offsets."""
    sentences = list(doc.sents)
    starts = [sent.start_char for sent in sentences]
    cues: list[list[Span]] = [[] for _ in sentences]
    for span in doc.spans.get(extensions.EVIDENCE, []):
        cues[bisect_right(starts, span.start_char) - 1].append(span)
    return cues


@Language.factory("claimlens_evidence", default_config={"rules_name": "evidence"})
def make_evidence(nlp: Language, name: str, rules_name: str = "evidence") -> EvidenceTagger:
    extensions.register()
    return EvidenceTagger(nlp.vocab, rules_name)
