"""claimlens_hedges: cue spans and sentence certainty grades on hand-written health sentences."""

from pathlib import Path

import pytest
import spacy

from claimlens import extensions
from claimlens.pipeline.hedges import CUE_LABELS, GRADES
from claimlens.rules import load_rules


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimlens_hedges")
    return nlp


def only_sentence(nlp, text):
    (sent,) = nlp(text).sents
    return sent


@pytest.mark.parametrize(
    ("text", "certainty", "cue"),
    [
        ("Vitamin C has not been proven to prevent colds.", "doubtful", "not been proven"),
        ("There is no evidence that detox teas remove toxins.", "doubtful", "no evidence"),
        ("It is unclear whether CBD helps with sleep.", "doubtful", "unclear"),
        ("Megadoses are unlikely to help.", "doubtful", "unlikely"),
        ("Peppermint oil may relieve tension headaches.", "possible", "may"),
        ("Lavender oil could potentially calm anxiety.", "possible", "could"),
        ("Early research suggests that zinc shortens colds.", "probable", "suggests"),
        ("Ashwagandha is believed to lower stress.", "probable", "believed"),
        ("Elderberry appears to ease flu symptoms.", "probable", "appears"),
        ("Turmeric is clinically proven to cure arthritis.", "certain", "clinically proven"),
        ("This detox tea is 100% guaranteed to work.", "certain", "guaranteed"),
        ("It eases pain without the side effects.", "certain", "without the side effects"),
        ("Can you overdose on melatonin?", "possible", "?"),
    ],
)
def test_sentence_certainty_and_deciding_cue(nlp, text, certainty, cue):
    sent = only_sentence(nlp, text)
    assert sent._.certainty == certainty
    assert cue in sent._.certainty_cues


@pytest.mark.parametrize(
    "text",
    [
        "Fish oil lowers triglycerides.",
        "In May 2021 the agency issued a warning letter.",
        "He would later open a herbal shop.",
        "Results could not be replicated in mice.",
    ],
)
def test_plain_assertion_is_certain_without_cues(nlp, text):
    sent = only_sentence(nlp, text)
    assert sent._.certainty == "certain"
    assert sent._.certainty_cues == []


def test_condition_does_not_downgrade_an_asserted_risk(nlp):
    bare = only_sentence(nlp, "Vitamin A can lead to liver damage.")
    conditioned = nlp("At high doses, vitamin A can lead to liver damage.")
    assert [s._.certainty for s in conditioned.sents] == [bare._.certainty]
    labels = {span.label_ for span in conditioned.spans[extensions.HEDGES]}
    assert "conditional" in labels


def test_negated_booster_is_not_a_booster(nlp):
    doc = nlp("This herbal blend is not 100% safe. This herbal blend is 100% safe.")
    first, second = doc.sents
    boosters = [s for s in doc.spans[extensions.HEDGES] if s.label_ == "booster"]
    assert [b.start_char >= second.start_char for b in boosters] == [True]
    assert any(s.label_ == "negation" and s.text == "not" for s in doc.spans[extensions.HEDGES])


def test_whether_listing_alternatives_is_not_a_hedge(nlp):
    sent = only_sentence(nlp, "Take it daily, whether through capsules or tea.")
    assert sent._.certainty == "certain"


def test_capability_can_is_an_assertion(nlp):
    assert only_sentence(nlp, "Magnesium can relax muscles.")._.certainty == "certain"


def test_each_sentence_graded_separately(nlp):
    doc = nlp("CBD may reduce anxiety. It is sold in most states.")
    assert [s._.certainty for s in doc.sents] == ["possible", "certain"]


def test_doc_without_sentence_boundaries_is_one_sentence():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimlens_hedges")
    doc = nlp("Ginseng might boost energy")
    assert doc[:]._.certainty == "possible"


def test_cue_spans_carry_rule_of_their_label(nlp):
    doc = nlp(
        "Some studies suggest it might help, but it is not approved. "
        "If misused, it is clearly dangerous."
    )
    rules = {rule.id: rule for rule in load_rules("hedges").rules}
    cues = list(doc.spans[extensions.HEDGES])
    assert {span.label_ for span in cues} == set(CUE_LABELS)
    for span in cues:
        assert rules[span._.rule_id].kind == span.label_


def test_seed_articles_are_graded(seeds_dir: Path, nlp):
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = nlp(path.read_text("utf-8"))
        sentences = list(doc.sents)
        assert all(s._.certainty in GRADES for s in sentences)
        grades = {s._.certainty for s in sentences}
        assert "certain" in grades and grades & {"possible", "probable"}, path.name
        for sent in sentences:
            if sent.text.rstrip().endswith("?"):
                assert sent._.certainty in ("possible", "doubtful")


@pytest.mark.parametrize("rule", [r for r in load_rules("hedges").rules if r.patterns], ids=str)
def test_every_rule_finds_its_own_example(nlp, rule):
    """Cues are only tried at tokens flagged as possible starts: each rule must survive that."""
    doc = nlp(rule.example)
    assert rule.id in {span._.rule_id for span in doc.spans[extensions.HEDGES]}


def test_empty_and_blank_documents(nlp):
    for text in ("", "   \n"):
        doc = nlp(text)
        assert list(doc.spans[extensions.HEDGES]) == []


def test_grades_follow_the_claimlens_segmenter():
    from claimlens.pipeline import build_pipeline

    nlp = build_pipeline(components=("claimlens_segmenter", "claimlens_hedges"))
    doc = nlp("Does CBD Work?\nCBD might ease anxiety. It is sold online.\n")
    graded = [(s.text.strip(), s._.certainty) for s in doc.sents]
    assert ("CBD might ease anxiety.", "possible") in graded
    assert ("It is sold online.", "certain") in graded
