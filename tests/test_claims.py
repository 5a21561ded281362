"""claimlens_claims: claim types, aspects, polarity and comparators on hand-written sentences
and on the real seed articles (read in place from ../shared/seeds)."""

import re

import pytest

from claimlens import extensions
from claimlens.pipeline import build_pipeline
from claimlens.pipeline.claims import CLAIM_TYPES, find_aspects
from claimlens.rules import load_rules


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def claims(nlp, text):
    doc = nlp(text)
    return list(doc.spans[extensions.CLAIMS])


def kinds(found):
    return {(c.label_, c._.aspect) for c in found}


def test_safer_than_opioids_sentence_holds_comparison_and_risk(nlp):
    text = (
        "While safer than prescription opioids, excessive use or high doses can lead to "
        "anxiety, paranoia, and rare respiratory depression."
    )
    found = claims(nlp, text)
    comparative = [c for c in found if c.label_ == "comparative"]
    assert comparative and comparative[0]._.polarity == "lower"
    assert comparative[0]._.comparator == "prescription opioids"
    assert ("risk", "respiratory depression") in kinds(found)
    assert all(c._.polarity == "present" for c in found if c.label_ == "risk")


@pytest.mark.parametrize(
    ("text", "label", "aspect", "polarity"),
    [
        (
            "It offers relief without the risk of overdose, unlike opioids.",
            "comparative",
            "overdose",
            "absent",
        ),
        (
            "Kratom has a lower potential for addiction and dependence.",
            "comparative",
            "dependence",
            "lower",
        ),
        ("CBD is non-addictive.", "safety", "addiction", "absent"),
        ("This tea is completely safe for everyone.", "safety", "safety", "present"),
        ("The supplement carries no risk of ulcers or bleeding.", "safety", "bleeding", "absent"),
        ("Overdosing on kratom is possible.", "risk", "overdose", "present"),
        ("It can be habit-forming when taken daily.", "risk", "addiction", "present"),
        (
            "The herb may carry risks of its own, including psychological dependency.",
            "risk",
            "dependence",
            "present",
        ),
        (
            "Side effects like hyperpigmentation are rare and typically mild.",
            "risk",
            "skin",
            "lower",
        ),
        (
            "Several cases of serious liver injury have been reported.",
            "risk",
            "liver damage",
            "higher",
        ),
        ("Turmeric cures arthritis.", "efficacy", "pain", "present"),
        ("This makes it a game-changer for people in pain.", "efficacy", "efficacy", "present"),
        ("It targets the underlying cause of chronic pain.", "mechanism", "pain", "present"),
        (
            "Research suggests it modulates serotonin and dopamine receptors.",
            "mechanism",
            "mechanism",
            "present",
        ),
        ("A dose of 5 to 15 grams is suggested.", "dosage", "dosage", "present"),
        ("The FDA has not approved kratom as a safe treatment.", "regulatory", "safety", "absent"),
        ("Scientific research has shown that it works.", "evidence_appeal", "evidence", "present"),
        ("Always consult a doctor before use.", "disclaimer", "disclaimer", "present"),
        ("It balances serotonin and dopamine levels.", "mechanism", "brain chemistry", "present"),
        ("Valerian will help you fall asleep in minutes.", "efficacy", "efficacy", "present"),
        ("Withdrawal from phenibut can be severe.", "risk", "withdrawal", "higher"),
        ("Citrinin is a toxin that can damage the kidneys.", "risk", "kidney damage", "present"),
        ("Undiluted oil can burn the skin.", "risk", "irritation", "present"),
        ("Daily users can become dependent within weeks.", "risk", "dependence", "present"),
        ("It is a gentler, natural way to lower cholesterol.", "comparative", "safety", "lower"),
        ("In studies, CBD raised a liver enzyme.", "risk", "liver damage", "present"),
        ("The pills may raise blood pressure.", "risk", "heart problems", "present"),
        ("It has been used safely by thousands.", "safety", "safety", "present"),
        ("Most users experience no side effects at all.", "safety", "side effects", "absent"),
        ("Brushing with charcoal whitens teeth in one use.", "efficacy", "efficacy", "present"),
        (
            "Soothes stiff, achy joints in as little as 15 minutes.",
            "efficacy",
            "efficacy",
            "present",
        ),
        ("You cannot take too much because it is just seaweed.", "safety", "overdose", "absent"),
        (
            "The trial found that ginkgo did not reduce the rate of dementia.",
            "efficacy",
            "cognition",
            "absent",
        ),
    ],
)
def test_claim_type_aspect_and_polarity(nlp, text, label, aspect, polarity):
    found = claims(nlp, text)
    assert (label, aspect, polarity) in {(c.label_, c._.aspect, c._.polarity) for c in found}


def test_every_claim_carries_a_known_rule_and_type(nlp):
    text = (
        "Kratom is a safe and effective alternative. It can cause nausea and dependence. "
        "Studies show it reduces anxiety. The FDA has not approved it."
    )
    ids = {rule.id for rule in load_rules("claims").rules}
    found = claims(nlp, text)
    assert len(found) >= 4
    for claim in found:
        assert claim.label_ in CLAIM_TYPES
        assert claim._.rule_id in ids
        assert claim._.subject == "kratom"


def test_a_sentence_may_carry_several_claims(nlp):
    found = claims(nlp, "Unlike benzodiazepines, CBD is non-addictive and has no side effects.")
    absent = {(c._.aspect, c._.comparator) for c in found if c._.polarity == "absent"}
    assert {("addiction", "benzodiazepines"), ("side effects", "benzodiazepines")} <= absent
    assert {c.label_ for c in found} == {"comparative"}  # safety measured against a drug class


def test_label_disclaimer_is_not_a_disease_claim(nlp):
    text = "This product is not intended to diagnose, treat, cure, or prevent any disease."
    assert {c.label_ for c in claims(nlp, text)} == {"disclaimer"}


def test_questions_carry_no_claims(nlp):
    assert claims(nlp, "Can you OD on kratom?") == []
    assert claims(nlp, "Does turmeric cure arthritis?") == []
    assert claims(nlp, "**Is ginkgo safe for long-term use?**") == []


def test_burning_the_skin_is_not_burning_fat(nlp):
    assert "efficacy" not in {c.label_ for c in claims(nlp, "The oil can burn the skin.")}


def test_precautions_are_advice_not_risk_claims(nlp):
    text = "Adhering to dosages is crucial to minimize the risk of a kratom overdose."
    assert not [c for c in claims(nlp, text) if c.label_ == "risk"]


def test_headings_and_table_of_contents_carry_no_claims(nlp):
    text = (
        "Kratom and pain: a guide\n"
        "Kratom is popular.\n"
        "- Kratom Cures Chronic Pain\n"
        "- Side Effects Include Nausea\n"
        "Kratom Cures Chronic Pain\n"
        "Users describe it as mild.\n"
        "Side Effects Include Nausea\n"
        "Excessive doses can cause nausea and vomiting.\n"
    )
    doc = nlp(text)
    found = list(doc.spans[extensions.CLAIMS])
    claimed = {c.sent.text.strip() for c in found}
    assert claimed == {"Excessive doses can cause nausea and vomiting."}


def test_abbreviation_takes_the_aspect_of_its_long_form(nlp):
    text = (
        "Some people develop opioid use disorder (OUD) after long use. "
        "Daily kratom use can lead to OUD in heavy users."
    )
    doc = nlp(text)
    second = list(doc.sents)[1]
    risks = [c for c in doc.spans[extensions.CLAIMS] if c.label_ == "risk"]
    assert any(c.start >= second.start and c._.aspect == "addiction" for c in risks)


@pytest.mark.parametrize(
    ("word", "aspect"),
    [
        ("overdosing", "overdose"),
        ("habit-forming", "addiction"),
        ("dependency", "dependence"),
        ("respiratory depression", "respiratory depression"),
        ("depression", "mood"),
        ("adverse effects", "side effects"),
        ("insomnia", "sleep"),
        ("argyria", "skin discoloration"),
        ("hallucinations", "neurological effects"),
        ("serotonin syndrome", "serotonin syndrome"),
    ],
)
def test_synonyms_map_to_one_aspect(word, aspect):
    assert [a.name for _, _, a in find_aspects(f"It is linked to {word} in some users.")] == [
        aspect
    ]


def test_seed_tables_of_contents_and_headings_hold_no_claims(nlp, seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        lines = [line for line in doc.text.splitlines() if line and line[-1] not in ".!?"]
        for claim in doc.spans[extensions.CLAIMS]:
            assert claim.sent.text.strip() not in lines, (path.name, claim.sent.text)
            assert not claim.sent.text.startswith("- "), (path.name, claim.sent.text)


@pytest.mark.parametrize(
    "text",
    ["Kratom is not risk-free.", "CBD does not cure cancer.", "It is not a safe alternative."],
)
def test_negated_benefit_and_safety_claims_are_not_claims(nlp, text):
    assert claims(nlp, text) == []


def test_topic_patterns_open_with_a_plain_word():
    """Speed contract of rules/aspects.json: topic lookups are factored by first letter, which
    needs every case-insensitive pattern to open with a letter (after an optional \\b)."""
    for rule in load_rules("aspects").rules:
        if rule.kind != "aspect":
            continue
        for pattern in rule.patterns:
            if "(?-i:" not in pattern:
                assert re.match(r"(?:\\b)?[a-z](?![?*+{])", pattern), (rule.id, pattern)


def test_a_refuted_claim_is_not_a_claim(nlp):
    text = "The clerk's claim that it has no side effects is simply wrong."
    assert "safety" not in {c.label_ for c in claims(nlp, text)}
    text = "Intro.\nMyth 2: Melatonin cures insomnia in children.\nFact: It does not."
    assert "efficacy" not in {c.label_ for c in claims(nlp, text)}
