"""Score the certainty and claim-strength components on public labelled datasets.

Every row of a dataset is one sentence, run through the pipeline as its own document (batched
with ``nlp.pipe``). Datasets and their label codings are described in
``/work/shared/eval/README.md``; ``docs/eval_datasets.md`` lists the figures measured here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from claimlens import extensions
from claimlens.evaluate import f1, share
from claimlens.pipeline import build_pipeline
from claimlens.pipeline.hedges import GRADE_RANK, sentence_spans
from claimlens.pipeline.strength import STRENGTHS

COMPONENTS = ("claimlens_hedges", "claimlens_strength")
# Certainty grade -> number for rank correlation with 1-6 certainty scores.
CERTAINTY_SCORE = {"doubtful": 1, "possible": 2, "probable": 3, "certain": 4}
# BioScope counts disjunction as speculation; a health-article tagger does not, on purpose.
DISJUNCTION_CUES = frozenset({"or", "either", "and/or"})
# The two Yu et al. datasets code the same classes in opposite order.
CAUSAL_LANGUAGE_LABELS = {
    0: "none",
    1: "direct_causal",
    2: "conditional_causal",
    3: "correlational",
}
PRESS_RELEASE_LABELS = {
    0: "none",
    1: "correlational",
    2: "conditional_causal",
    3: "direct_causal",
}
# Ordinal strength as Yu et al. 2020 and Wright & Augenstein 2021 compare it.
STRENGTH_CODE = {label: code for code, label in PRESS_RELEASE_LABELS.items()}


@dataclass(frozen=True)
class Score:
    """Precision/recall/F1 of one class or cue type."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return share(self.correct, self.predicted, 0.0)

    @property
    def recall(self) -> float:
        return share(self.correct, self.gold, 0.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def as_dict(self) -> dict[str, float]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DatasetReport:
    """Scores of one dataset: per-class/cue P/R/F1 plus headline figures (macro-F1, rho...)."""

    name: str
    path: Path
    rows: int
    scores: dict[str, Score] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "path": str(self.path),
            "rows": self.rows,
            "scores": {key: score.as_dict() for key, score in self.scores.items()},
            "figures": {key: round(value, 4) for key, value in self.figures.items()},
        }

    def format(self) -> str:
        lines = [f"{self.name}: {self.rows} rows from {self.path}"]
        if self.scores:
            width = max(len(key) for key in self.scores)
            lines.append(f"  {'':{width}}  {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
            for key, s in self.scores.items():
                lines.append(
                    f"  {key:{width}}  {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
                    f" {s.gold:6d} {s.predicted:6d}"
                )
        lines.extend(f"  {key}: {value:.3f}" for key, value in self.figures.items())
        return "\n".join(lines)


def score_labels(gold: Sequence[str], predicted: Sequence[str], label: str) -> Score:
    return Score(
        gold=sum(g == label for g in gold),
        predicted=sum(p == label for p in predicted),
        correct=sum(g == p == label for g, p in zip(gold, predicted, strict=True)),
    )


def score_sets(gold: Iterable[tuple], predicted: Iterable[tuple]) -> Score:
    gold_set, predicted_set = set(gold), set(predicted)
    return Score(len(gold_set), len(predicted_set), len(gold_set & predicted_set))


def doc_certainty(doc: Doc) -> str:
    """A row's certainty: the lowest grade of its sentences (a model may split a row)."""
    return min((sent._.certainty for sent in sentence_spans(doc)), key=GRADE_RANK.__getitem__)


def doc_strength(doc: Doc) -> str:
    """A row's claim strength: the strongest of its sentences' strengths."""
    return max((sent._.claim_strength for sent in sentence_spans(doc)), key=STRENGTHS.index)


def _run(nlp: Language, texts: Iterable[str]) -> list[Doc]:
    return list(nlp.pipe(texts, batch_size=256))


def _data_file(path: Path, default_name: str) -> Path:
    return path / default_name if path.is_dir() else path


def evaluate_bioscope(nlp: Language, path: Path) -> DatasetReport:
    """Sentence uncertainty (CoNLL-2010 Task 1) and exact-offset cue matching."""
    path = _data_file(path, "dev.jsonl")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    docs = _run(nlp, (row["text"] for row in rows))
    gold = [row["label"] for row in rows]
    predicted = ["certain" if doc_certainty(doc) == "certain" else "uncertain" for doc in docs]
    or_only = [
        row["label"] == "uncertain"
        and all(
            cue["text"].lower() in DISJUNCTION_CUES
            for cue in row["cues"]
            if cue["type"] == "speculation"
        )
        for row in rows
    ]
    kept = [i for i, skip in enumerate(or_only) if not skip]

    def cues(kind: str, label: str, disjunctions: bool = True) -> tuple[set, set]:
        gold_cues = {
            (i, cue["start"], cue["end"])
            for i, row in enumerate(rows)
            for cue in row["cues"]
            if cue["type"] == kind and (disjunctions or cue["text"].lower() not in DISJUNCTION_CUES)
        }
        found = {
            (i, span.start_char, span.end_char)
            for i, doc in enumerate(docs)
            for span in doc.spans[extensions.HEDGES]
            if span.label_ == label
        }
        return gold_cues, found

    report = DatasetReport("bioscope_hedge", path, len(rows))
    report.scores["uncertain sentences"] = score_labels(gold, predicted, "uncertain")
    report.scores["uncertain, or-only excluded"] = score_labels(
        [gold[i] for i in kept], [predicted[i] for i in kept], "uncertain"
    )
    report.scores["hedge cues (exact)"] = score_sets(*cues("speculation", "hedge"))
    report.scores["hedge cues, no disjunction"] = score_sets(
        *cues("speculation", "hedge", disjunctions=False)
    )
    report.scores["negation cues (exact)"] = score_sets(*cues("negation", "negation"))
    report.figures["or-only sentences excluded"] = float(len(rows) - len(kept))
    return report


def _evaluate_strength(
    nlp: Language, name: str, path: Path, labels: dict[int, str]
) -> DatasetReport:
    path = _data_file(path, "dev.csv")
    frame = pd.read_csv(path)
    gold = [labels[int(code)] for code in frame["label"]]
    predicted = [doc_strength(doc) for doc in _run(nlp, frame["sentence"].astype(str))]
    report = DatasetReport(name, path, len(frame))
    for label in STRENGTHS:
        report.scores[label] = score_labels(gold, predicted, label)
    report.figures["macro_f1"] = sum(report.scores[s].f1 for s in STRENGTHS) / len(STRENGTHS)
    report.figures["accuracy"] = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(
        gold
    )
    return report


def evaluate_causal_language(nlp: Language, path: Path) -> DatasetReport:
    return _evaluate_strength(nlp, "causal_language", path, CAUSAL_LANGUAGE_LABELS)


def evaluate_press_release(nlp: Language, path: Path) -> DatasetReport:
    return _evaluate_strength(nlp, "press_release_claim_strength", path, PRESS_RELEASE_LABELS)


def evaluate_exaggeration(nlp: Language, path: Path) -> DatasetReport:
    """Claim strength of press-release and abstract conclusions, and exaggeration between them
    (the press release states a stronger relationship than the abstract it reports)."""
    path = _data_file(path, "insciout_train.jsonl")
    frame = pd.read_json(path, lines=True)
    report = DatasetReport("exaggeration_detection", path, len(frame))
    predicted_codes = {}
    gold: list[str] = []
    predicted: list[str] = []
    for side in ("press_release", "abstract"):
        strengths = [doc_strength(doc) for doc in _run(nlp, frame[f"{side}_conclusion"])]
        predicted_codes[side] = [STRENGTH_CODE[label] for label in strengths]
        gold.extend(PRESS_RELEASE_LABELS[int(code)] for code in frame[f"{side}_strength"])
        predicted.extend(strengths)
    for label in STRENGTHS:
        report.scores[f"strength {label}"] = score_labels(gold, predicted, label)
    report.figures["strength macro_f1"] = sum(
        report.scores[f"strength {s}"].f1 for s in STRENGTHS
    ) / len(STRENGTHS)
    verdicts = [
        "exaggerates" if release > abstract else "downplays" if release < abstract else "same"
        for release, abstract in zip(
            predicted_codes["press_release"], predicted_codes["abstract"], strict=True
        )
    ]
    gold_verdicts = frame["exaggeration_label"].tolist()
    for verdict in ("exaggerates", "same", "downplays"):
        report.scores[f"pair {verdict}"] = score_labels(gold_verdicts, verdicts, verdict)
    report.figures["pair macro_f1"] = (
        sum(report.scores[f"pair {v}"].f1 for v in ("exaggerates", "same", "downplays")) / 3
    )
    return report


def evaluate_science_certainty(nlp: Language, path: Path) -> DatasetReport:
    """Spearman rank correlation of the certainty grade with the annotators' 1-6 score."""
    path = _data_file(path, "sentence-level-certainty_train_dev.jsonl")
    frame = pd.read_json(path, lines=True)
    grades = [doc_certainty(doc) for doc in _run(nlp, frame["finding"].astype(str))]
    predicted = pd.Series([CERTAINTY_SCORE[g] for g in grades], index=frame.index)
    report = DatasetReport("science_certainty", path, len(frame))
    report.figures["spearman"] = float(
        predicted.corr(frame["sentence-level-certainty"], method="spearman")
    )
    for grade in CERTAINTY_SCORE:
        chosen = frame.loc[[g == grade for g in grades], "sentence-level-certainty"]
        report.figures[f"mean score when {grade} (n={len(chosen)})"] = (
            float(chosen.mean()) if len(chosen) else float("nan")
        )
    return report


EVALUATORS: dict[str, Callable[[Language, Path], DatasetReport]] = {
    "bioscope_hedge": evaluate_bioscope,
    "causal_language": evaluate_causal_language,
    "press_release_claim_strength": evaluate_press_release,
    "science_certainty": evaluate_science_certainty,
    "exaggeration_detection": evaluate_exaggeration,
}


def evaluate_dataset(name: str, path: Path, model: str | None = None) -> DatasetReport:
    """Run the hedge and strength components over dataset ``name`` stored at ``path``."""
    if name not in EVALUATORS:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(EVALUATORS)}")
    nlp = build_pipeline(model, components=COMPONENTS)
    return EVALUATORS[name](nlp, Path(path))
