"""Claim strength per sentence (component ``claimlens_strength``).

Scheme of Yu, Li & Wang (2019): none | correlational | conditional_causal | direct_causal.
Cue regexes (``hedges.RuleRegex``) are tried where tokens can begin a cue; hedges come from
``claimlens_hedges`` when it ran before (otherwise every causal claim counts as direct).
The decision order is described in ``rules/strength.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.pipeline.hedges import (
    CueMatchers,
    RuleMatch,
    RuleRegex,
    sentence_index,
    sentences_and_cues,
)
from claimlens.pipeline.spans import store_span_values
from claimlens.rules import load_rules

STRENGTHS = ("none", "correlational", "conditional_causal", "direct_causal")
_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s*(?:but|and|so|yet|while|whereas|although|though|thus|hence|therefore)\b", re.I
)


class StrengthTagger:
    """Grades each sentence's claim strength from association/causal cues and hedges."""

    def __init__(self, vocab: Vocab, rule_file: str = "strength", hedge_rule_file: str = "hedges"):
        rules = load_rules(rule_file).rules
        self.matchers = CueMatchers(
            vocab,
            (
                RuleRegex(rule for rule in rules if rule.kind == kind)
                for kind in ("causal", "correlational", "comparison", "nonclaim")
            ),
        )
        self.hedged_rule = next(rule for rule in rules if rule.kind == "conditional")
        self.max_gap = int(self.hedged_rule.get("max_gap"))
        self.verb_modifiers = {
            rule.id for rule in load_rules(hedge_rule_file).rules if rule.get("verb_modifier")
        }

    def __call__(self, doc: Doc) -> Doc:
        sentences, cues, _, _ = sentences_and_cues(doc, self.matchers)
        causal, association, comparison, nonclaim = cues
        starts = [start for start, _ in sentences]

        # A call for research or a recommendation voids the claims of its own clause (its
        # subject and content); an earlier clause keeps its own ("X may help, but see a doctor").
        text = extensions.doc_text(doc)
        cutoff = [math.inf] * len(sentences)
        nonclaim_rule: dict[int, str] = {}
        for match in nonclaim:
            index = sentence_index(starts, match.start)
            breaks = list(_CLAUSE_BREAK.finditer(text, starts[index], match.start))
            clause_start = breaks[-1].end() if breaks else starts[index]
            cutoff[index] = min(cutoff[index], clause_start)
            nonclaim_rule.setdefault(index, match.rule.id)

        def claimed(matches: list[RuleMatch]) -> Iterator[tuple[int, RuleMatch]]:
            for match in matches:
                index = sentence_index(starts, match.start)
                if match.start < cutoff[index]:
                    yield index, match

        def first_rule(matches: list[RuleMatch]) -> dict[int, str]:
            found: dict[int, str] = {}
            for index, match in claimed(matches):
                found.setdefault(index, match.rule.id)
            return found

        # One dict per outcome, in the order of precedence of rules/strength.json.
        conditional: dict[int, str] = {}
        direct: dict[int, str] = {}
        causal_claims = list(claimed(causal))
        hedge_ends = self._verb_modifier_ends(doc, starts, {index for index, _ in causal_claims})
        for index, match in causal_claims:
            hedged = any(
                end <= match.end and match.start - end <= self.max_gap
                for end in hedge_ends.get(index, ())
            )
            if hedged:
                conditional[index] = self.hedged_rule.id
            else:
                direct.setdefault(index, match.rule.id)
        outcomes = (
            ("correlational", first_rule(association)),
            ("conditional_causal", conditional),
            ("direct_causal", direct),
            ("correlational", first_rule(comparison)),
            ("none", nonclaim_rule),
        )
        labels: list[str] = ["none"] * len(sentences)
        rule_ids: list[str | None] = [None] * len(sentences)
        for label, found in reversed(outcomes):  # the first outcome that applies is written last
            for index, rule_id in found.items():
                labels[index], rule_ids[index] = label, rule_id
        store_span_values(doc, "claim_strength", sentences, labels)
        store_span_values(doc, "strength_rule", sentences, rule_ids)
        return doc

    def _verb_modifier_ends(
        self, doc: Doc, starts: list[int], sentences: set[int]
    ) -> dict[int, list[int]]:
        """End offsets of the verb-modifying hedge cues of ``claimlens_hedges`` in the given
        sentences (only those with a causal cue need them: reading a cue span costs)."""
        ends: dict[int, list[int]] = {}
        if not sentences:
            return ends
        for cue in doc.spans.get(extensions.HEDGES, []):
            if cue.label_ != "hedge":
                continue
            start, end = cue.start_char, cue.end_char
            index = sentence_index(starts, start)
            if index in sentences and cue.id_ in self.verb_modifiers:
                ends.setdefault(index, []).append(end)
        return ends


@Language.factory("claimlens_strength")
def make_strength(nlp: Language, name: str) -> StrengthTagger:
    extensions.register()
    return StrengthTagger(nlp.vocab)
