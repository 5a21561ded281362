"""Dataset evaluations on the real dev files in ../shared/eval (floors a little under measured)."""

from pathlib import Path

import pytest

from claimlens.evaluate.datasets import evaluate_dataset

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


@pytest.fixture(scope="module")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip("../shared/eval is not beside the project")
    return EVAL


def test_bioscope_sentence_and_cue_scores(eval_dir):
    report = evaluate_dataset("bioscope_hedge", eval_dir / "bioscope_hedge")
    assert report.rows == 7335
    assert report.scores["uncertain sentences"].f1 >= 0.88
    assert report.scores["uncertain, or-only excluded"].f1 >= 0.89
    assert report.scores["hedge cues (exact)"].f1 >= 0.82
    assert report.scores["negation cues (exact)"].f1 >= 0.89


def test_causal_language_macro_f1(eval_dir):
    report = evaluate_dataset("causal_language", eval_dir / "causal_language" / "dev.csv")
    assert report.rows == 1530
    assert report.scores["correlational"].gold == 499  # label 3 means correlational here
    assert report.figures["macro_f1"] >= 0.73


def test_press_release_macro_f1(eval_dir):
    name = "press_release_claim_strength"
    report = evaluate_dataset(name, eval_dir / name)
    assert report.scores["correlational"].gold == 369  # label 1 means correlational here
    assert report.figures["macro_f1"] >= 0.70


def test_science_certainty_rank_correlation(eval_dir):
    report = evaluate_dataset("science_certainty", eval_dir / "science_certainty")
    assert report.figures["spearman"] >= 0.52


def test_exaggeration_pairs(eval_dir):
    report = evaluate_dataset("exaggeration_detection", eval_dir / "exaggeration_detection")
    assert report.rows == 100
    assert report.scores["strength direct_causal"].gold == 74  # both sides, 3 = causation
    assert report.figures["strength macro_f1"] >= 0.52
    assert report.figures["pair macro_f1"] >= 0.52


def test_unknown_dataset_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown dataset"):
        evaluate_dataset("no_such_dataset", tmp_path)


def test_report_formats_every_score(eval_dir):
    report = evaluate_dataset("causal_language", eval_dir / "causal_language")
    table = report.format()
    for label in ("none", "correlational", "conditional_causal", "direct_causal", "macro_f1"):
        assert label in table
