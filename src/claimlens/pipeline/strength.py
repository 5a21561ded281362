"""Claim strength per sentence (component ``claimlens_strength``).

Scheme of Yu, Li & Wang (2019): none | correlational | conditional_causal | direct_causal.
Cue regexes (``hedges.RuleRegex``) are tried where tokens can begin a cue; hedges come from
``claimlens_hedges`` when it ran before (otherwise every causal claim counts as direct).
The decision order is described in ``rules/strength.json``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.pipeline.hedges import RuleRegex, find_cues, sentence_index, sentence_spans
from claimlens.rules import load_rules

STRENGTHS = ("none", "correlational", "conditional_causal", "direct_causal")


class StrengthTagger:
    """Grades each sentence's claim strength from association/causal cues and hedges."""

    def __init__(self, vocab: Vocab, rule_file: str = "strength", hedge_rule_file: str = "hedges"):
        rules = load_rules(rule_file).rules
        self.matchers = [
            RuleRegex(vocab, (rule for rule in rules if rule.kind == kind))
            for kind in ("causal", "correlational", "nonclaim")
        ]
        self.hedged_rule = next(rule for rule in rules if rule.kind == "conditional")
        self.max_gap = int(self.hedged_rule.get("max_gap"))
        self.verb_modifiers = {
            rule.id for rule in load_rules(hedge_rule_file).rules if rule.get("verb_modifier")
        }

    def __call__(self, doc: Doc) -> Doc:
        causal, correlational, nonclaim = find_cues(doc, self.matchers)
        sentences = sentence_spans(doc)
        starts = [sent.start_char for sent in sentences]
        strength = ["none"] * len(sentences)
        rule_ids: list[str | None] = [None] * len(sentences)

        hedge_ends: list[list[int]] = [[] for _ in sentences]
        for cue in doc.spans.get(extensions.HEDGES, []):
            if cue.label_ == "hedge" and cue._.rule_id in self.verb_modifiers:
                hedge_ends[sentence_index(starts, cue.start_char)].append(cue.end_char)

        for match in causal:
            index = sentence_index(starts, match.start)
            hedged = any(
                end <= match.end and match.start - end <= self.max_gap for end in hedge_ends[index]
            )
            if hedged:
                strength[index], rule_ids[index] = "conditional_causal", self.hedged_rule.id
            elif strength[index] == "none":
                strength[index], rule_ids[index] = "direct_causal", match.rule.id
        for match in correlational:
            index = sentence_index(starts, match.start)
            if strength[index] != "correlational":
                strength[index], rule_ids[index] = "correlational", match.rule.id
        for match in nonclaim:
            index = sentence_index(starts, match.start)
            strength[index], rule_ids[index] = "none", match.rule.id

        for sent, label, rule_id in zip(sentences, strength, rule_ids, strict=True):
            sent._.claim_strength = label
            sent._.strength_rule = rule_id
        return doc


@Language.factory("claimlens_strength")
def make_strength(nlp: Language, name: str) -> StrengthTagger:
    extensions.register()
    return StrengthTagger(nlp.vocab)
