"""Compare sentence segmenters on claimlens's boundary sets: quality and speed in one run.

Run from the project root::

    .venv/bin/python bench/segmenters.py            # table in markdown
    .venv/bin/python bench/segmenters.py --repeat 20

Quality is boundary precision/recall/F1 against (a) ``tests/data/boundaries.jsonl``, invented
health-article text with hand-written sentences, and (b) the five seed articles in
``../shared/seeds`` with hand-checked offsets in ``tests/data/seed_boundaries.json``. Every
candidate's sentences go through the same normalisation as claimlens's ``text_bounds``
(surrounding whitespace and a leading list/heading marker dropped), so a segmenter is not
penalised for where it puts a newline or a bullet, only for where it starts a sentence.
Speed is characters per second, and as a share of bare ``spacy.blank("en")`` tokenisation
timed in the same run on the same texts.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pysbd
import spacy

from claimlens.evaluate import f1, share
from claimlens.pipeline.segmenter import text_bounds

ROOT = Path(__file__).resolve().parents[1]
BOUNDARY_SET = ROOT / "tests" / "data" / "boundaries.jsonl"
SEED_BOUNDARIES = ROOT / "tests" / "data" / "seed_boundaries.json"
SEEDS = ROOT.parent / "shared" / "seeds"

Spans = list[tuple[int, int]]
Segmenter = Callable[[str], Spans]


@dataclass(frozen=True)
class Example:
    """A text and the (start, end) offsets of the sentences a reviewer reads in it."""

    name: str
    text: str
    gold: Spans
    blocks: tuple[str | None, ...] = ()


def load_boundary_set(path: Path = BOUNDARY_SET) -> list[Example]:
    """The hand-labelled set; each row's sentences are located in order in its text."""
    examples = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        row = json.loads(line)
        text, spans, cursor = row["text"], [], 0
        for sentence in row["sentences"]:
            start = text.index(sentence, cursor)
            cursor = start + len(sentence)
            spans.append((start, cursor))
        examples.append(Example(f"boundaries:{number}", text, spans, tuple(row.get("blocks", ()))))
    return examples


def load_seed_set(seeds: Path = SEEDS, path: Path = SEED_BOUNDARIES) -> list[Example]:
    """The seed articles (read in place) with their hand-checked sentence offsets."""
    offsets = json.loads(path.read_text("utf-8"))
    return [
        Example(name, (seeds / name).read_text("utf-8"), [(s, e) for s, e in spans])
        for name, spans in sorted(offsets.items())
    ]


def reviewer_spans(text: str, spans: Iterable[tuple[int, int]]) -> Spans:
    """Normalise raw sentence spans; whitespace-only sentences disappear."""
    bounds = (text_bounds(text, start, end) for start, end in spans)
    return [(start, end) for start, end in bounds if end > start]


@dataclass
class Score:
    """Boundary counts: a boundary is the start of every sentence but a text's first."""

    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    cross_line: int = 0  # predicted sentences that contain a line break

    def add(self, text: str, predicted: Spans, gold: Spans) -> None:
        found = {start for start, _ in predicted[1:]}
        wanted = {start for start, _ in gold[1:]}
        self.true_positives += len(found & wanted)
        self.predicted += len(found)
        self.expected += len(wanted)
        self.cross_line += sum(1 for s, e in predicted if "\n" in text[s:e] or "\r" in text[s:e])

    @property
    def precision(self) -> float:
        return share(self.true_positives, self.predicted, 1.0)

    @property
    def recall(self) -> float:
        return share(self.true_positives, self.expected, 1.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def score(segment: Segmenter, examples: list[Example]) -> Score:
    result = Score()
    for example in examples:
        result.add(example.text, reviewer_spans(example.text, segment(example.text)), example.gold)
    return result


def spacy_segmenter(*pipes: str) -> Segmenter:
    """A blank English pipeline with the given sentence component(s)."""
    nlp = spacy.blank("en")
    for pipe in pipes:
        nlp.add_pipe(pipe)
    return lambda text: [(s.start_char, s.end_char) for s in nlp(text).sents]


def pysbd_segmenter() -> Segmenter:
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in segmenter.segment(text)]


def candidates() -> dict[str, Segmenter]:
    import scispacy.custom_sentence_segmenter  # noqa: F401  (registers pysbd_sentencizer)

    return {
        "spaCy sentencizer": spacy_segmenter("sentencizer"),
        "scispaCy pysbd_sentencizer": spacy_segmenter("pysbd_sentencizer"),
        "pysbd (text only, no Doc)": pysbd_segmenter(),
        "claimlens_segmenter": spacy_segmenter("claimlens_segmenter"),
    }


def chars_per_second(
    runs: list[Callable[[str], object]], texts: list[str], rounds: int = 5
) -> list[float]:
    """Best of ``rounds`` passes for each run, the runs alternating within every round so that
    load from other processes hits them alike."""
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for i, run in enumerate(runs):
            started = time.perf_counter()
            for text in texts:
                run(text)
            best[i] = min(best[i], time.perf_counter() - started)
    return [sum(map(len, texts)) / seconds for seconds in best]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="copies of the texts to time")
    args = parser.parse_args()
    labelled = load_boundary_set()
    seeds = load_seed_set() if SEEDS.is_dir() else []
    # Real articles when present: their size, not the many short labelled texts, sets the cost.
    texts = [e.text for e in seeds or labelled] * args.repeat
    blank = spacy.blank("en")
    print(
        f"speed over {sum(map(len, texts)):,} chars ({'seed articles' if seeds else 'labelled'}"
        f" x{args.repeat}); share = chars/s over blank tokenisation timed alternately with it\n"
    )
    print(
        "| segmenter | hand-labelled P / R / F1 | seeds P / R / F1 | cross-line sentences "
        "| chars/s | blank chars/s | share of blank |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, segment in candidates().items():
        on_labelled = score(segment, labelled)
        on_seeds = score(segment, seeds)
        baseline, speed = chars_per_second([blank, segment], texts)
        print(
            f"| {name} | {_prf(on_labelled)} | {_prf(on_seeds) if seeds else 'n/a'} "
            f"| {on_labelled.cross_line + on_seeds.cross_line} | {speed:,.0f} | {baseline:,.0f} "
            f"| {speed / baseline:.0%} |"
        )


def _prf(result: Score) -> str:
    return f"{result.precision:.3f} / {result.recall:.3f} / {result.f1:.3f}"


if __name__ == "__main__":
    main()
