"""The structure-aware segmenter on hand-labelled text and on the real seed articles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import spacy

from claimlens import extensions
from claimlens.pipeline.segmenter import sentence_bounds

ROOT = Path(__file__).resolve().parents[1]


def _load_bench():
    """bench/segmenters.py holds the boundary-set loaders and the scoring the tests assert on."""
    spec = importlib.util.spec_from_file_location(
        "bench_segmenters", ROOT / "bench" / "segmenters.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimlens_segmenter")
    return nlp


@pytest.fixture(scope="module")
def seed_set(seeds_dir):
    return bench.load_seed_set(seeds_dir)


def read(nlp, text: str) -> list[tuple[str, str, int]]:
    """(sentence as a reviewer reads it, block kind, paragraph) for every sentence."""
    doc = nlp(text)
    return [
        (text[start:end], sent._.block, sent._.paragraph)
        for sent in doc.sents
        for start, end in [sentence_bounds(sent)]
    ]


def spans(nlp):
    return lambda text: [(s.start_char, s.end_char) for s in nlp(text).sents]


def test_added_by_name_to_blank_english(nlp):
    text = "Kratom Safety\nKratom is risky in the U.S. and elsewhere. Dr. Lee agrees.\n- Nausea\n"
    assert read(nlp, text) == [
        ("Kratom Safety", "title", 0),
        ("Kratom is risky in the U.S. and elsewhere.", "paragraph", 1),
        ("Dr. Lee agrees.", "paragraph", 1),
        ("Nausea", "list_item", 2),
    ]
    doc = nlp(text)
    assert [(b.text, b.label_) for b in doc.spans[extensions.BLOCKS]] == [
        ("Kratom Safety", "title"),
        ("Kratom is risky in the U.S. and elsewhere. Dr. Lee agrees.", "paragraph"),
        ("- Nausea", "list_item"),
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "“Will CBD show up on a drug test?” asked a reader. It can.",
            ["“Will CBD show up on a drug test?” asked a reader.", "It can."],
        ),
        (
            "People ask this often. “Is melatonin addictive?” Experts say no.",
            ["People ask this often.", "“Is melatonin addictive?”", "Experts say no."],
        ),
        (
            "Take 1.5 g, i.e. half a spoon, at approx. 9 a.m. daily. Then wait.",
            ["Take 1.5 g, i.e. half a spoon, at approx. 9 a.m. daily.", "Then wait."],
        ),
        (
            "Details at vitamins.example.org. The site (Lee et al., 2022) is old.[4] Ignore it.",
            [
                "Details at vitamins.example.org.",
                "The site (Lee et al., 2022) is old.[4]",
                "Ignore it.",
            ],
        ),
        (
            "Ask Mia Cole, Pharm.D. She checks labels for the Ph.D. Kratom Project.",
            ["Ask Mia Cole, Pharm.D.", "She checks labels for the Ph.D. Kratom Project."],
        ),
        (
            "Written by R. J. Ames, M.D. and staff. Fact-checked... mostly. See you!",
            ["Written by R. J. Ames, M.D. and staff.", "Fact-checked... mostly.", "See you!"],
        ),
    ],
)
def test_sentence_ends_inside_a_paragraph(nlp, text, sentences):
    assert [sentence for sentence, _, _ in read(nlp, text)] == sentences


def test_hand_labelled_boundaries(nlp):
    score = bench.score(spans(nlp), bench.load_boundary_set())
    assert score.expected >= 100
    assert score.precision >= 0.97
    assert score.recall >= 0.97
    assert score.cross_line == 0


def test_hand_labelled_block_kinds(nlp):
    checked = correct = 0
    for example in bench.load_boundary_set():
        doc = nlp(example.text)
        kinds = {sentence_bounds(sent): sent._.block for sent in doc.sents}
        for span, expected in zip(example.gold, example.blocks, strict=False):
            if expected is not None:
                checked += 1
                correct += kinds.get(span) == expected
    assert checked >= 50
    assert correct / checked >= 0.95


def test_seed_sentences_match_hand_checked_offsets(nlp, seed_set):
    score = bench.score(spans(nlp), seed_set)
    assert score.precision >= 0.99
    assert score.recall >= 0.99
    for example in seed_set:
        doc = nlp(example.text)
        # text[start:end] is exactly the sentence a reviewer reads, ends included
        assert [sentence_bounds(sent) for sent in doc.sents] == example.gold, example.name


def test_seed_headings_and_table_of_contents_are_own_sentences(nlp, seed_set):
    for example in seed_set:
        text = example.text
        read_sentences = read(nlp, text)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        toc = [line[2:] for line in lines if line.startswith("- ")]
        assert toc, example.name
        for entry in toc:
            assert (entry, "list_item") in {(s, b) for s, b, _ in read_sentences}, entry
            # each contents entry reappears as the heading of its section
            assert (entry, "heading") in {(s, b) for s, b, _ in read_sentences}, entry


def test_no_sentence_spans_two_lines(nlp, seed_set):
    for example in [*seed_set, *bench.load_boundary_set()]:
        for sentence, _, _ in read(nlp, example.text):
            assert sentence and sentence == sentence.strip()
            assert "\n" not in sentence and "\r" not in sentence, sentence


def test_whitespace_and_markers_never_make_sentences(nlp):
    text = "\n\n  # Detox Teas\n\n\nThey do not detox.  \r\n\r\n* Senna\n1) Ginger\n\n"
    assert read(nlp, text) == [
        ("Detox Teas", "title", 0),
        ("They do not detox.", "paragraph", 1),
        ("Senna", "list_item", 2),
        ("Ginger", "list_item", 3),
    ]


def test_blocks_from_ingest_override_lines(nlp):
    text = "Dosage  Take 2 g daily. Stop if dizzy.\nFAQ"
    doc = nlp.make_doc(text)
    doc._.cl_blocks = [(0, 6, "heading", 0), (8, 38, "paragraph", 1), (39, 42, "heading", 2)]
    doc = nlp.get_pipe("claimlens_segmenter")(doc)
    assert [(text[slice(*sentence_bounds(s))], s._.block, s._.paragraph) for s in doc.sents] == [
        ("Dosage", "heading", 0),
        ("Take 2 g daily.", "paragraph", 1),
        ("Stop if dizzy.", "paragraph", 1),
        ("FAQ", "heading", 2),
    ]
    assert [b.label_ for b in doc.spans[extensions.BLOCKS]] == ["heading", "paragraph", "heading"]
    # without the ingest blocks, the same line is one sentence: no punctuation after "Dosage"
    assert read(nlp, text)[0][0] == "Dosage  Take 2 g daily."


def test_wrapped_lines_and_table_rows_are_not_headings(nlp):
    text = (
        "Ginseng Basics\n"
        "Ginseng is sold for energy, although the trials that\n"
        "support it are small.\n"
        "| Form | Dose |\n"
        "Energy Claims\n"
    )
    assert [(sentence, block) for sentence, block, _ in read(nlp, text)] == [
        ("Ginseng Basics", "title"),
        ("Ginseng is sold for energy, although the trials that", "paragraph"),
        ("support it are small.", "paragraph"),
        ("| Form | Dose |", "paragraph"),
        ("Energy Claims", "heading"),
    ]


def test_whitespace_only_text_still_has_sentence_boundaries(nlp):
    doc = nlp("  \n\t\n  ")
    sents = list(doc.sents)  # later components iterate sentences on every document
    assert len(sents) == 1 and sentence_bounds(sents[0])[0] == sentence_bounds(sents[0])[1]


def test_a_heading_named_in_the_contents_is_a_heading_whatever_its_punctuation(nlp):
    entry = "Can CBD Oil Really Replace Your Prescription Sleep Medicine for Good This Winter?"
    text = f"Contents\n- {entry}\n- Risks\n{entry}\nProbably not. Ask first.\nRisks\n"
    assert [(s, b) for s, b, _ in read(nlp, text) if s == entry] == [
        (entry, "list_item"),
        (entry, "heading"),
    ]
