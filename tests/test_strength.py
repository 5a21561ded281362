"""claimlens_strength: claim strength (Yu et al. 2019 scheme) on hand-written health sentences."""

import pytest
import spacy

from claimlens.pipeline.hedges import find_cues
from claimlens.rules import load_rules


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimlens_hedges")
    nlp.add_pipe("claimlens_strength")
    return nlp


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("Green tea drinking is associated with lower blood pressure.", "correlational"),
        ("Omega-3 intake is linked to better mood in older adults.", "correlational"),
        ("Low vitamin D is a risk factor for falls.", "correlational"),
        ("Magnesium may reduce muscle cramps.", "conditional_causal"),
        ("Echinacea could shorten the common cold.", "conditional_causal"),
        ("Probiotics appear to improve digestion.", "conditional_causal"),
        ("Vitamin D supplements reduce the risk of fractures.", "direct_causal"),
        ("Smoking causes lung cancer.", "direct_causal"),
        ("This detox tea cures bloating.", "direct_causal"),
        ("Zinc lozenges are effective in treating colds.", "direct_causal"),
        ("Our detox tea works for everyone.", "direct_causal"),
        ("Plant sterols lower your LDL cholesterol.", "direct_causal"),
        ("Start with a lower dose of melatonin.", "none"),
        ("The store opens at nine on Sundays.", "none"),
        ("Further research is needed.", "none"),
        ("Larger trials are needed to confirm that zinc shortens colds.", "none"),
        ("Magnesium may ease cramps, but you should see a doctor first.", "conditional_causal"),
        ("Users should not combine it with alcohol.", "none"),
    ],
)
def test_claim_strength(nlp, text, strength):
    (sent,) = nlp(text).sents
    assert sent._.claim_strength == strength


def test_strength_rule_names_a_packaged_rule(nlp):
    rule_ids = {rule.id for rule in load_rules("strength").rules}
    doc = nlp("Coffee is linked to longer life. Sage may improve memory. Water is wet.")
    rules = [s._.strength_rule for s in doc.sents]
    assert rules[0] in rule_ids and rules[1] in rule_ids
    assert rules[2] is None


def test_hedge_far_from_the_causal_verb_does_not_condition_it(nlp):
    text = (
        "Although results may vary between brands, clinical trials in hundreds of adults "
        "show that this formula lowers cholesterol."
    )
    (sent,) = nlp(text).sents
    assert sent._.claim_strength == "direct_causal"


def test_without_hedge_component_every_causal_claim_is_direct():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimlens_strength")
    doc = nlp("Magnesium may reduce muscle cramps.")
    assert doc[:]._.claim_strength == "direct_causal"


@pytest.mark.parametrize("rule", [r for r in load_rules("strength").rules if r.patterns], ids=str)
def test_every_rule_finds_its_own_example(nlp, rule):
    """Cues are only tried at tokens flagged as possible starts: each rule must survive that."""
    tagger = nlp.get_pipe("claimlens_strength")
    matches = find_cues(nlp(rule.example), tagger.matchers)
    assert rule.id in {match.rule.id for found in matches for match in found}
