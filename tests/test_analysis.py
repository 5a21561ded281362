"""Findings: unsupported claims and contradictions on hand-written articles, and the grouping
rules (one unsupported finding per sentence, one contradiction per harm an assurance sentence
denies, sorted by position)."""

import pytest

from claimlens.analysis import Finding, find_findings
from claimlens.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def findings(nlp, text, kind=None):
    doc = nlp(text)
    found = doc._.findings
    assert found == find_findings(doc)  # the component and the function agree
    return [f for f in found if kind is None or f.kind == kind]


def test_contradiction_within_one_sentence(nlp):
    text = (
        "Kratom offers natural pain relief. While safer than prescription opioids, excessive "
        "use or high doses can lead to anxiety, paranoia, and rare respiratory depression."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.related_sent == finding.sent
    assert finding.sent_id == finding.related_sent_id == 2
    assert finding.aspect == "respiratory depression"
    assert finding.severity == "high"
    assert "FINDING.CONTRADICTION.COMPARATIVE_RISK" in finding.rule_ids
    assert "COMPARATIVE.SAFER_THAN" in finding.rule_ids


def test_absence_claim_against_stated_risk_names_both_sentences(nlp):
    text = (
        "Overdosing on kratom is possible. Doses vary from person to person. "
        "Many people like its natural approach to pain without the risk of overdose."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert (finding.sent_id, finding.related_sent_id) == (3, 1)
    assert finding.aspect == "overdose"
    assert finding.message == "Claims no overdose (s3) but states a risk of overdose (s1)"
    assert finding.certainty and finding.related_certainty


def test_hedged_risk_still_contradicts_and_keeps_both_certainties(nlp):
    text = (
        "This tea is completely safe for everyone. "
        "Long-term use of senna may lead to dependence on laxatives."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.related_sent_id == 2
    assert finding.related_certainty in ("probable", "possible")
    assert finding.aspect == "dependence"


def test_regulatory_refusal_against_safe_use_advice(nlp):
    text = (
        "The FDA has not approved kratom as a safe treatment for any condition. "
        "With these tips, readers can use kratom effectively and safely."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.REGULATORY_USE"
    assert finding.aspect == "regulatory"


def test_rare_side_effects_against_serious_harm(nlp):
    text = (
        "Side effects of turmeric are rare and mild. "
        "Several cases of serious liver injury have been reported."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.LOW_HIGH"
    assert finding.aspect == "liver damage"


def test_side_effects_of_another_drug_class_do_not_contradict(nlp):
    text = (
        "It may relieve pain without the side effects of NSAIDs. "
        "Kratom can lead to dependence and other adverse effects."
    )
    assert findings(nlp, text, "contradiction") == []


def test_balanced_sentence_is_not_also_unsupported(nlp):
    text = "While safer than prescription opioids, high doses can lead to respiratory depression."
    assert findings(nlp, text, "unsupported") == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        (
            "This ancient herb is a safe and effective alternative for chronic pain relief.",
            "FINDING.UNSUPPORTED.NO_EVIDENCE",
        ),
        (
            "Scientific research has shown that kratom can reduce inflammation.",
            "FINDING.UNSUPPORTED.VAGUE_APPEAL",
        ),
        (
            "Clinical and anecdotal evidence suggests it may reduce pain.",
            "FINDING.UNSUPPORTED.ANECDOTE",
        ),
        ("Turmeric cures arthritis.", "FINDING.UNSUPPORTED.NO_EVIDENCE"),
        ("Take 500 to 2,000 mg of curcumin a day.", "FINDING.UNSUPPORTED.NO_EVIDENCE"),
    ],
)
def test_unsupported_strong_claims(nlp, text, rule_id):
    (finding,) = findings(nlp, text, "unsupported")
    assert finding.rule_ids[0] == rule_id
    assert finding.cue in text and finding.related_sent is None


@pytest.mark.parametrize(
    "text",
    [
        "Research suggests that kratom may interact with opioid receptors in the brain.",
        "Users report that kratom not only diminishes pain but also promotes calm.",
        "Some people believe vitamin D boosts mood in winter, though trials have been mixed.",
        "Vitamin D is safe at recommended doses.",
        "Kratom interacts with opioid receptors in the brain.",
        "This product is not intended to diagnose, treat, cure, or prevent any disease.",
        "Does turmeric cure arthritis?",
    ],
)
def test_hedged_attributed_descriptive_or_disclaimer_sentences_are_not_findings(nlp, text):
    assert findings(nlp, text) == []


def test_specific_evidence_on_the_same_aspect_supports_a_claim(nlp):
    supported = (
        "Curcumin reduces joint pain. In a 2016 review of eight randomized trials in the "
        "Journal of Medicinal Food, curcumin lowered arthritis pain scores."
    )
    other_topic = (
        "Curcumin reduces anxiety. In a 2016 review of eight randomized trials in the "
        "Journal of Medicinal Food, curcumin lowered arthritis pain scores."
    )
    assert findings(nlp, supported, "unsupported") == []
    assert [f.sent_id for f in findings(nlp, other_topic, "unsupported")] == [1]


def test_one_finding_per_sentence_sorted_by_position(nlp):
    text = (
        "CBD is non-addictive and has no side effects, and it cures anxiety. "
        "It can cause drowsiness and diarrhea in some users. "
        "Studies show that CBD reduces anxiety. "
        "The recommended dose is 20 to 40 mg per day."
    )
    found = findings(nlp, text)
    keys = [(f.sent_id, f.kind) for f in found]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1] == "contradiction"))
    assert len(keys) == len(set(keys))
    assert [f.sent_id for f in found if f.kind == "unsupported"] == [1, 3, 4]
    assert all(isinstance(f, Finding) and f.message for f in found)

    def summary(items):
        return [(f.kind, f.sent_id, f.related_sent_id, f.rule_ids, f.message) for f in items]

    assert summary(findings(nlp, text)) == summary(found)  # deterministic


def test_withdrawal_on_stopping_contradicts_a_habit_forming_denial(nlp):
    text = (
        "Our sleep gummies are not habit-forming. "
        "Some regular users describe irritability and trouble sleeping when they stop."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert (finding.sent_id, finding.related_sent_id) == (1, 2)
    assert finding.aspect == "withdrawal"
    assert "RISK.ON_STOPPING" in finding.rule_ids


def test_a_serious_harm_contradicts_non_toxic(nlp):
    text = "The oil is non-toxic. Swallowing it can cause seizures in small children."
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.aspect == "seizures"
    assert "FINDING.CONTRADICTION.ABSENT_PRESENT" in finding.rule_ids


def test_safe_alternative_to_a_drug_class_is_contradicted_by_any_harm(nlp):
    text = (
        "It is a safe alternative to antidepressants. "
        "Regulators cite reports of seizures and death."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.related_sent_id == 2
    assert finding.severity == "high"


def test_mild_harm_of_excess_does_not_contradict_a_comparison(nlp):
    text = (
        "Magnesium is a gentler alternative to sleeping pills. Very high doses can cause confusion."
    )
    assert findings(nlp, text, "contradiction") == []


def test_null_trial_contradicts_the_nearest_benefit_claim_once(nlp):
    text = (
        "Ginkgo sharpens memory. Ginkgo prevents memory loss as you age. "
        "A trial of 3,000 older adults found that ginkgo did not reduce the rate of dementia."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert (finding.sent_id, finding.related_sent_id) == (2, 3)
    assert "FINDING.CONTRADICTION.EFFICACY_NULL" in finding.rule_ids
    assert finding.message == (
        "Claims it works for cognition (s2) but reports no effect on cognition (s3)"
    )


def test_reported_speech_is_not_the_writers_claim(nlp):
    text = 'A spokesperson told us the capsules "melt belly fat without diet or exercise."'
    assert findings(nlp, text, "unsupported") == []


def test_dogs_becoming_drowsy_contradicts_no_side_effects(nlp):
    text = "Some dogs may become drowsy. PawCalm has no side effects."
    (finding,) = findings(nlp, text, "contradiction")
    assert (finding.sent_id, finding.related_sent_id) == (2, 1)
    assert finding.aspect == "sedation"


def _pair(finding):
    return finding.sent_id, finding.related_sent_id


def test_denied_harm_against_withdrawal_described_by_stopping(nlp):
    text = (
        "Kava is not something you can get hooked on. It is popular in the islands. "
        "A few regulars feel irritable and restless for a few days when they take a break."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (1, 3)
    assert finding.aspect == "withdrawal"
    assert "SAFETY.NEGATED_HARM" in finding.rule_ids and "RISK.ON_STOPPING" in finding.rule_ids


def test_advice_to_stop_is_not_withdrawal_and_idioms_are_not_denials(nlp):
    text = (
        "There is no doubt it causes liver damage in heavy users. "
        "Kava has been linked to liver injury. "
        "Stop taking it if you notice nausea or a rash."
    )
    doc = nlp(text)
    rule_ids = {span._.rule_id for span in doc.spans["claimlens_claims"]}
    assert "RISK.CAUSES" in rule_ids
    assert not rule_ids & {"SAFETY.NEGATED_HARM", "RISK.ON_STOPPING"}
    assert findings(nlp, text, "contradiction") == []


def test_claimed_proof_against_admitted_lack_of_evidence_once_per_admission(nlp):
    text = (
        "NightCalm is clinically proven to put you to sleep within 15 minutes. "
        "Studies have shown that it resets your sleep cycle. "
        "Honestly, reviews describe the results as inconsistent."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (2, 3)  # the nearest claim of proof answers the admission
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.PROOF_LACK"
    assert finding.message.startswith("Claims research has proven it (s2)")


def test_claim_of_proof_is_unsupported_unless_hedged_after_it(nlp):
    claim = "Experts agree that daily turmeric regrows cartilage."
    (finding,) = findings(nlp, claim, "unsupported")
    assert finding.rule_ids[0] == "FINDING.UNSUPPORTED.VAGUE_APPEAL"
    hedged = "Studies have shown that turmeric may ease joint stiffness in some people."
    assert findings(nlp, hedged, "unsupported") == []


def test_safe_for_everyone_against_a_contraindication_but_plain_safe_is_not(nlp):
    universal = (
        "NightFall is safe for the whole family. It tastes of honey. "
        "Do not give it to anyone under 18 unless a doctor has advised it."
    )
    (finding,) = findings(nlp, universal, "contradiction")
    assert _pair(finding) == (1, 3)
    assert finding.message.endswith("says some people must not take it (s3)")
    plain = (
        "Magnesium glycinate is completely safe. It tastes of nothing. "
        "Do not take it if you have kidney disease."
    )
    assert findings(nlp, plain, "contradiction") == []


def test_no_interactions_claimed_against_a_stated_interaction(nlp):
    text = (
        "It is perfectly fine to take alongside your current antidepressant. "
        "CBD can raise or lower blood levels of drugs such as warfarin."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.aspect == "interactions"
    assert "SAFETY.SAFE_WITH_DRUGS" in finding.rule_ids and "RISK.INTERACTS" in finding.rule_ids


def test_claimed_approval_against_denied_approval_but_not_inside_a_denial(nlp):
    text = (
        "Kratom has been reviewed by the FDA and recognized as safe. "
        "The FDA has not approved kratom for any medical use."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.APPROVAL_DENIAL"
    denial_only = "These gummies have not been evaluated or approved by the FDA for safe use."
    assert findings(nlp, denial_only, "contradiction") == []


def test_the_very_harm_denied_is_the_partner_before_a_related_one(nlp):
    text = (
        "Unlike opioids, kratom does not cause physical dependence. "
        "Some users report withdrawal symptoms such as yawning. "
        "It grows in Southeast Asia. "
        "Regular kratom use can lead to physical dependence."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (1, 4)
    assert finding.aspect == "dependence"


def test_risk_of_the_drug_compared_with_is_not_the_products(nlp):
    text = (
        "Kratom is a completely safe herb. "
        "Opioids can cause respiratory depression. "
        "Unlike opioids, which slow breathing and cause constipation, kratom is gentle."
    )
    assert findings(nlp, text, "contradiction") == []
    own = text + " Mixed with alcohol, it can cause respiratory depression."
    (finding,) = findings(nlp, own, "contradiction")
    assert _pair(finding) == (1, 4)
    assert finding.aspect == "respiratory depression"


def test_admission_answers_the_claim_on_the_condition_it_names(nlp):
    text = (
        "CBD has been clinically proven to relieve chronic pain. "
        "Studies have shown that CBD repairs damaged nerves. "
        "For chronic pain, human trials are still small and limited."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (1, 3)  # not the nearer claim of proof, about nerves
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.PROOF_LACK"


def test_null_trial_answers_a_claim_of_proof_before_a_nearer_plain_claim(nlp):
    text = (
        "Garcinia is clinically proven to double your weight loss. "
        "It melts away stubborn belly fat on its own. "
        "A 12-week trial found no significant difference in weight loss between "
        "garcinia and placebo."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (1, 3)
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.EFFICACY_NULL"


def test_two_harms_denied_in_one_sentence_give_one_finding_each(nlp):
    text = (
        "CBD is completely free of drug interactions and side effects. "
        "In trials, CBD caused sleepiness, diarrhea and fatigue. "
        "CBD interacts with blood thinners such as warfarin."
    )
    pairs = sorted((_pair(f), f.aspect) for f in findings(nlp, text, "contradiction"))
    assert [pair for pair, _ in pairs] == [(1, 2), (1, 3)]
    assert pairs[1][1] == "interactions"


def test_claim_to_rebuild_a_body_system_is_unsupported_unless_hedged_and_cited(nlp):
    bold = "This tea rewires your sleep cycle so you wake up refreshed."
    (finding,) = findings(nlp, bold, "unsupported")
    assert "MECHANISM.RESTORES" in finding.rule_ids
    careful = "In a 2019 trial, the extract may have helped repair damaged nerves (PMID 31234567)."
    assert findings(nlp, careful, "unsupported") == []


def test_dose_against_a_label_that_it_is_not_for_human_consumption(nlp):
    text = (
        "Our powder is sold as a botanical specimen and is not for human consumption. "
        "It ships in resealable pouches. "
        "For a gentle start, mix 2 to 3 grams into orange juice. "
        "Experienced buyers take 5 grams."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (3, 1)  # the label answers the nearest dose only
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.NOT_FOR_USE"
    assert finding.message == (
        "Gives a dose to take (s3) but labels it not for human consumption (s1)"
    )


def test_claim_of_proof_that_states_its_claim_directly_is_unsupported(nlp):
    proof = "Studies show CBD quiets the overactive ADHD brain within days."
    (finding,) = findings(nlp, proof, "unsupported")
    assert finding.rule_ids == ("FINDING.UNSUPPORTED.VAGUE_APPEAL", "APPEAL.PROOF")
    for admission in ("Studies show mixed results for sleep.", "Research shows it may help."):
        assert findings(nlp, admission, "unsupported") == []


def test_legal_everywhere_against_a_ban_but_not_legal_in_most_states(nlp):
    everywhere = (
        "Kratom is legal in all 50 states, so you can order with confidence. "
        "We do not ship to Alabama, where kratom is banned under state law."
    )
    (finding,) = findings(nlp, everywhere, "contradiction")
    assert finding.rule_ids[0] == "FINDING.CONTRADICTION.LEGAL_BANNED"
    assert _pair(finding) == (1, 2)
    most = everywhere.replace("legal in all 50 states", "legal in most states")
    assert findings(nlp, most, "contradiction") == []


def test_no_side_effects_meets_a_list_of_them_before_a_nearer_single_one(nlp):
    text = (
        "Our capsules have no side effects. "
        "A few people feel drowsy. "
        "The capsules ship in two days. "
        "Some users experience constipation, dizziness and itching."
    )
    (finding,) = findings(nlp, text, "contradiction")
    assert _pair(finding) == (1, 4)


def test_frequency_against_severity_in_one_sentence_is_no_contradiction(nlp):
    text = "The most common side effects are mild and include nausea and loose stools."
    assert findings(nlp, text, "contradiction") == []


def test_saying_and_advice_are_not_claims_about_harm(nlp):
    text = (
        "Black seed oil is completely safe. "
        "A famous saying describes it as a remedy for every disease except death. "
        "Here is how to take a shot without overdoing it."
    )
    rule_ids = {span._.rule_id for span in nlp(text).spans["claimlens_claims"]}
    assert "SAFETY.SAFE_PRODUCT" in rule_ids
    assert not rule_ids & {"RISK.EXPERIENCED", "SAFETY.WITHOUT_NAMED_HARM"}
    assert findings(nlp, text, "contradiction") == []


def test_sweeping_promises_are_unsupported_but_advice_is_not(nlp):
    for promise in (
        "A kava shot wipes out social anxiety within ten minutes, every time.",
        "Many readers were able to ditch their diabetes medication after switching to our tonic.",
        "A melatonin spray is twice as effective as a standard pill.",
    ):
        assert len(findings(nlp, promise, "unsupported")) == 1, promise
    assert findings(nlp, "Do not stop taking your medication.", "unsupported") == []
