"""claimlens_evidence: specific / vague / anecdote cues on hand-written and real health text."""

import json
import re
from pathlib import Path

import pytest
import spacy

from claimlens import extensions
from claimlens.pipeline.evidence import LABELS, evidence_by_sentence
from claimlens.rules import load_rules

LABELLED = Path(__file__).parent / "data" / "evidence_cues.jsonl"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimlens_segmenter")
    nlp.add_pipe("claimlens_evidence")
    return nlp


def cues(doc):
    return [(span.text, span.label_, span._.rule_id) for span in doc.spans[extensions.EVIDENCE]]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        (
            "Vitamin C shortened colds by 8% in adults (Hemilä and Chalker, 2013).",
            ("(Hemilä and Chalker, 2013)", "specific", "EVID.CITE_AUTHOR_YEAR"),
        ),
        ("Fish oil lowered triglycerides [2-4].", ("[2-4]", "specific", "EVID.CITE_NUMBERED")),
        ("See doi:10.3390/nu12051234.", ("doi:10.3390/nu12051234", "specific", "EVID.DOI")),
        (
            "The trial enrolled 2,400 smokers.",
            ("enrolled 2,400 smokers", "specific", "EVID.STUDY_FIGURE"),
        ),
        (
            "The WHO estimates that a billion people lack vitamin D.",
            ("The WHO estimates", "specific", "EVID.AGENCY_SOURCE"),
        ),
        (
            "According to the Mayo Clinic, melatonin is generally safe for short-term use.",
            ("According to the Mayo Clinic", "specific", "EVID.AGENCY_SOURCE"),
        ),
        (
            "A 2020 review in Nutrients found that magnesium eased leg cramps.",
            ("2020 review", "specific", "EVID.NAMED_STUDY"),
        ),
        (
            "Lavender oil is backed by science to calm nerves.",
            ("backed by science", "vague", "VAGUE.PROVEN_LABEL"),
        ),
        (
            "It is well established that kratom is harmless.",
            ("It is well established", "vague", "VAGUE.WEASEL_PASSIVE"),
        ),
        (
            "This serum works 3 times faster than retinol.",
            ("3 times faster", "vague", "VAGUE.UNSOURCED_FIGURE"),
        ),
        (
            "Reviewers rave about how fast it works.",
            ("Reviewers rave", "anecdote", "ANECDOTE.USERS_REPORT"),
        ),
        (
            "Elderberry is an ancient remedy for the flu.",
            ("ancient remedy", "anecdote", "ANECDOTE.TRADITION"),
        ),
    ],
)
def test_cue_text_label_and_rule(nlp, text, cue):
    assert cues(nlp(text)) == [cue]


@pytest.mark.parametrize(
    "text",
    [
        "Take 1,000 mg of turmeric with 20 mg of black pepper.",
        "A moderate dose of 5 to 15 grams is often suggested.",
        "Further studies in humans are needed.",
        "No randomized controlled trials have tested this tea.",
        "Studies in animals have not shown any benefit.",
        "Patients who reported chest pain were excluded.",
        "Staff who reported side effects were interviewed.",
        "Users should talk to a pharmacist before mixing supplements.",
        "The FDA has not approved kratom for any medical use.",
        "Visit www.healthyleaf.com for coupons.",
    ],
)
def test_doses_research_gaps_instructions_and_shop_links_are_not_evidence(nlp, text):
    assert cues(nlp(text)) == []


@pytest.mark.parametrize(
    "claim",
    ["The tea cut bloating by 40% in a week", "Studies show that zinc shortens colds"],
)
def test_an_appeal_or_figure_is_vague_only_when_its_sentence_names_no_source(nlp, claim):
    bare = nlp(claim + ".")
    sourced = nlp(claim + " [5].")
    assert [label for _, label, _ in cues(bare)] == ["vague"]
    assert cues(sourced) == [("[5]", "specific", "EVID.CITE_NUMBERED")]


def test_who_as_a_pronoun_is_not_the_world_health_organization(nlp):
    assert (
        cues(nlp("Ask the pharmacist who fills your prescription, who warns about interactions."))
        == []
    )


def test_cues_stay_inside_their_sentence_and_heading(nlp):
    doc = nlp("Loved by our customers\nSay goodbye to bloating. Customers say it helps.")
    assert cues(doc) == [("Customers say", "anecdote", "ANECDOTE.USERS_REPORT")]
    by_sentence = evidence_by_sentence(doc)
    assert [len(sentence_cues) for sentence_cues in by_sentence] == [0, 0, 1]


def test_every_rule_is_labelled_and_has_triggers():
    for rule in load_rules("evidence").rules:
        assert rule.kind in LABELS, rule.id
        assert rule.get("triggers"), rule.id


def _labelled_examples():
    with LABELLED.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_precision_and_recall_on_hand_labelled_cues(nlp):
    """A cue counts when a predicted span of the same label overlaps it (either direction)."""
    true_positive_predictions = predictions = recalled = gold_total = 0
    for example in _labelled_examples():
        text = example["text"]
        gold = []
        for cue in example["cues"]:
            start = text.index(cue["text"])
            gold.append((start, start + len(cue["text"]), cue["label"]))
        doc = nlp(text)
        predicted = [
            (span.start_char, span.end_char, span.label_) for span in doc.spans[extensions.EVIDENCE]
        ]

        def overlaps(a, b):
            return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]

        predictions += len(predicted)
        true_positive_predictions += sum(any(overlaps(p, g) for g in gold) for p in predicted)
        gold_total += len(gold)
        recalled += sum(any(overlaps(g, p) for p in predicted) for g in gold)
    assert gold_total >= 60
    assert true_positive_predictions / predictions >= 0.9
    assert recalled / gold_total >= 0.85


def _gold_rows(seeds_dir):
    with (seeds_dir / "gold.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _sentence_with(doc, substring):
    start = doc.text.index(substring)
    return next(sent for sent in doc.sents if sent.start_char <= start < sent.end_char)


def test_gold_unsupported_claims_carry_no_specific_evidence(nlp, seeds_dir):
    unsupported = [row for row in _gold_rows(seeds_dir) if row["kind"] == "unsupported"]
    assert unsupported
    for row in unsupported:
        doc = nlp((seeds_dir / row["doc"]).read_text(encoding="utf-8"))
        sentence = _sentence_with(doc, row["a"])
        (sentence_cues,) = [
            c for s, c in zip(doc.sents, evidence_by_sentence(doc), strict=True) if s == sentence
        ]
        assert "specific" not in {cue.label_ for cue in sentence_cues}, row["a"]


def test_gold_vague_appeals_in_seeds_are_found(nlp, seeds_dir):
    """Gold rows whose claim leans on 'research has shown'-style wording get a vague cue."""
    appeal = re.compile(r"\b(research|studies|evidence)\b", re.IGNORECASE)
    rows = [row for row in _gold_rows(seeds_dir) if row["kind"] == "unsupported"]
    appeals = [row for row in rows if appeal.search(row["a"])]
    assert appeals
    for row in appeals:
        doc = nlp((seeds_dir / row["doc"]).read_text(encoding="utf-8"))
        sentence = _sentence_with(doc, row["a"])
        labels = {span.label_ for span in doc.spans[extensions.EVIDENCE] if span.sent == sentence}
        assert "vague" in labels, row["a"]


def _texts(seeds_dir):
    yield from (path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt")))
    yield from (example["text"] for example in _labelled_examples())


def test_triggers_miss_nothing_the_full_patterns_would_find(nlp, seeds_dir):
    """The trigger gate is only a speed-up: running every rule on every sentence finds the same
    cues, except twins of a higher-priority cue and figures dropped beside a specific source."""
    rules = load_rules("evidence").rules
    for text in _texts(seeds_dir):
        doc = nlp(text)
        found = {(span.start_char, span.end_char) for span in doc.spans[extensions.EVIDENCE]}
        labels_by_sentence = [{cue.label_ for cue in c} for c in evidence_by_sentence(doc)]
        for sentence, labels in zip(doc.sents, labels_by_sentence, strict=True):
            for rule in rules:
                flags = re.IGNORECASE if rule.get("ignore_case", True) else 0
                for match in re.finditer("|".join(rule.patterns), sentence.text, flags):
                    start = sentence.start_char + match.start()
                    span = doc.char_span(start, start + len(match.group()), alignment_mode="expand")
                    dropped = rule.get("unless_sentence_has") in labels
                    assert dropped or (span.start_char, span.end_char) in found, (
                        rule.id,
                        match.group(),
                    )


def test_cues_over_the_same_words_keep_their_own_rule_ids():
    """A booster and a vague-evidence cue on "clinically proven" each report their own rule."""
    from claimlens.pipeline import build_pipeline

    doc = build_pipeline()("This supplement is clinically proven to melt fat.")
    boosters = [s for s in doc.spans["claimlens_cues"] if s.label_ == "booster"]
    vague = [s for s in doc.spans["claimlens_evidence"] if s.label_ == "vague"]
    assert boosters and vague
    assert {(s.start_char, s.end_char) for s in boosters} & {
        (s.start_char, s.end_char) for s in vague
    }, "the test needs both cues over the same words"
    booster_rules = {s._.rule_id for s in boosters}
    vague_rules = {s._.rule_id for s in vague}
    assert all(r.startswith("BOOSTER.") or r.startswith("HEDGE.") for r in booster_rules), (
        booster_rules
    )
    assert all(r.startswith("VAGUE.") for r in vague_rules), vague_rules
