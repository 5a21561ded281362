"""claimlens_abbreviations finds what scispaCy's abbreviation_detector finds."""

import spacy
from scispacy.abbreviation import AbbreviationDetector  # noqa: F401 (registers the factory)

import claimlens.pipeline.abbreviations  # noqa: F401

TEXT = (
    "Kratom may help people with opioid use disorder (OUD). Unlike methadone, it is not "
    "approved by the Food and Drug Administration (FDA). Many users with OUD report relief, "
    "and the FDA has warned about it. Cannabidiol (CBD) oil and tetrahydrocannabinol (THC) "
    "differ; CBD is not intoxicating (see below). Take 2 g (about a teaspoon) daily."
)


def _found(component: str, texts: list[str]) -> list[set[tuple[str, str, int]]]:
    nlp = spacy.blank("en")
    nlp.add_pipe(component)
    return [
        {(a.text, a._.long_form.text, a.start_char) for a in doc._.abbreviations}
        for doc in nlp.pipe(texts)
    ]


def test_same_definitions_and_occurrences_as_scispacy(seeds_dir):
    texts = [TEXT, "No brackets at all here.", "A (b) c."]
    texts += [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    ours = _found("claimlens_abbreviations", texts)
    assert ours == _found("abbreviation_detector", texts)
    first = {(short, long) for short, long, _ in ours[0]}
    assert ("OUD", "opioid use disorder") in first and (
        "FDA",
        "Food and Drug Administration",
    ) in first
    assert sum(short == "OUD" for short, _, _ in ours[0]) == 2  # the definition and its reuse
