"""Throughput benchmark: how fast does ``claimlens scan`` read, analyse and write articles?

Run from the project root (``make bench``)::

    .venv/bin/python bench/throughput.py                  # 1 MB and 50 MB, 1 and 2 workers
    .venv/bin/python bench/throughput.py --quick          # 1 MB, JSONL input only
    .venv/bin/python bench/throughput.py --sizes 1,10 --workers 1,2 --inputs txt

Corpora are generated from the seed articles in ``../shared/seeds`` into ``bench/corpus/``
(git-ignored): many documents, each a different recombination of seed headings, bullets and
paragraphs with small random edits (product swapped, numbers changed, sentences dropped or
reordered, rare typos). The RNG is seeded, so runs are repeatable, yet no two documents are
equal, so nothing can be answered from a cache. Each corpus exists as a folder of ``.txt``
files and as one JSONL file.

Measured in one run, on the same texts:

- the ceiling: bare ``spacy.blank("en")`` tokenisation (``nlp.pipe``), characters per second;
- ``claimlens scan CORPUS -o TMP --overwrite --quiet --workers N`` in a fresh child process:
  wall time, MB/s (10^6 characters of article text per second), docs/s, ratio to the
  ceiling re-measured just before the scan, peak RSS of the largest process (``wait4``) and
  of the whole process tree (main + workers, sampled from ``/proc``);
- on the smallest corpus, in-process: the cost of every pipeline component as a share of
  tokenisation, to show where the time goes.

The table is printed and written to ``bench/results/throughput.md`` (git-ignored). The exit
status is 1 when a scan fails (for example while the CLI is unfinished), with its error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS_DIR = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results" / "throughput.md"
GENERATOR_VERSION = 1  # bump when the generator changes, so old corpora are rebuilt

CEILING_SAMPLE_CHARS = 2_000_000
TARGET_ONE_WORKER = 0.40  # full pipeline, share of the tokenisation ceiling (0.60 seg. only)
TARGET_SEGMENTATION_ONLY = 0.60
TARGET_TWO_WORKER_SPEEDUP = 1.7
TARGET_MEMORY_GROWTH = 1.20  # peak RSS at the largest size / at the smallest

PRODUCTS = (
    "kratom",
    "CBD oil",
    "turmeric",
    "melatonin",
    "ashwagandha",
    "a detox tea",
    "vitamin D",
    "lavender oil",
    "magnesium",
    "elderberry syrup",
)
SEED_PRODUCT = re.compile(r"\b[Kk]ratom(?:’s|'s)?\b")
NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# --- corpus generation --------------------------------------------------------------------


@dataclass
class SeedParts:
    """Seed lines sorted by role, so generated articles keep a realistic shape."""

    headings: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, seeds_dir: Path) -> SeedParts:
        parts = cls()
        for path in sorted(seeds_dir.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if not line:
                    continue
                if line.startswith(("- ", "• ", "* ")):
                    parts.bullets.append(line)
                elif len(line) < 120 and not line.endswith((".", "!", "?", ":")):
                    parts.headings.append(line)
                else:
                    parts.paragraphs.append(line)
        if not (parts.headings and parts.paragraphs):
            raise SystemExit(f"no usable seed articles in {seeds_dir}")
        return parts


class ArticleGenerator:
    """Recombines seed parts into new articles with small, seeded random edits."""

    def __init__(self, parts: SeedParts, rng: random.Random) -> None:
        self.parts = parts
        self.rng = rng

    def article(self) -> str:
        rng = self.rng
        product = rng.choice(PRODUCTS)
        lines = [self._edit(rng.choice(self.parts.headings), product)]
        lines.append(self._edit(rng.choice(self.parts.paragraphs), product))
        if self.parts.bullets and rng.random() < 0.7:
            lines.extend(rng.sample(self.parts.bullets, min(len(self.parts.bullets), 5)))
        for _ in range(rng.randint(3, 8)):
            lines.append(self._edit(rng.choice(self.parts.headings), product))
            for _ in range(rng.randint(1, 3)):
                lines.append(self._edit(rng.choice(self.parts.paragraphs), product))
        return "\n".join(lines) + "\n"

    def _edit(self, line: str, product: str) -> str:
        rng = self.rng
        line = SEED_PRODUCT.sub(product, line)
        line = NUMBER.sub(lambda m: str(rng.randint(1, 3 * int(float(m.group())) + 5)), line)
        sentences = SENTENCE_END.split(line)
        if len(sentences) > 2 and rng.random() < 0.5:
            sentences.pop(rng.randrange(len(sentences)))
        if len(sentences) > 2 and rng.random() < 0.3:
            rng.shuffle(sentences)
        line = " ".join(sentences)
        if rng.random() < 0.2:  # a typo: two neighbouring letters swapped
            words = line.split(" ")
            index = rng.randrange(len(words))
            word = words[index]
            if len(word) > 3:
                cut = rng.randrange(1, len(word) - 2)
                words[index] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
            line = " ".join(words)
        return line


@dataclass
class Corpus:
    size_mb: int
    folder: Path  # one .txt file per document
    jsonl: Path  # the same documents, one JSON object per line
    docs: int
    chars: int

    def path(self, kind: str) -> Path:
        return self.folder if kind == "txt" else self.jsonl

    def texts(self) -> Iterator[str]:
        with self.jsonl.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)["text"]


def build_corpus(size_mb: int, seed: int, seeds_dir: Path, out_dir: Path) -> Corpus:
    """Generate (or reuse, when built with the same parameters) a corpus of ``size_mb``."""
    base = out_dir / f"{size_mb}mb"
    manifest_path = base / "manifest.json"
    wanted = {"version": GENERATOR_VERSION, "seed": seed, "size_mb": size_mb}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        if {key: manifest.get(key) for key in wanted} == wanted:
            return Corpus(
                size_mb, base / "txt", base / "corpus.jsonl", manifest["docs"], manifest["chars"]
            )
    shutil.rmtree(base, ignore_errors=True)
    (base / "txt").mkdir(parents=True)
    generator = ArticleGenerator(SeedParts.read(seeds_dir), random.Random(f"{seed}:{size_mb}"))
    docs = chars = 0
    with (base / "corpus.jsonl").open("w", encoding="utf-8") as jsonl:
        while chars < size_mb * 1_000_000:
            text = generator.article()
            doc_id = f"doc{docs:06d}"
            (base / "txt" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            jsonl.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            docs += 1
            chars += len(text)
    manifest_path.write_text(json.dumps({**wanted, "docs": docs, "chars": chars}))
    return Corpus(size_mb, base / "txt", base / "corpus.jsonl", docs, chars)


# --- in-process measurements ----------------------------------------------------------------


def tokenizer_speed(texts: Callable[[], Iterable[str]], chars: int, repeats: int) -> float:
    """The ceiling: characters per second of bare ``spacy.blank("en")`` tokenisation, best of
    ``repeats`` passes over ``texts()``."""
    nlp = spacy.blank("en")
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts()):
            pass
        best = max(best, chars / (time.perf_counter() - start))
    return best


def ceiling_now(corpus: Corpus) -> float:
    """The ceiling re-measured on up to 2 MB of the corpus just before a scan: the machine is
    shared, so a ratio is only fair against the speed the machine has at that moment."""
    sample, chars = [], 0
    for text in corpus.texts():
        if chars >= CEILING_SAMPLE_CHARS:
            break
        sample.append(text)
        chars += len(text)
    return tokenizer_speed(lambda: sample, chars, repeats=2)


def component_costs(corpus: Corpus) -> list[tuple[str, float]]:
    """Seconds spent in tokenisation and in each claimlens component over the whole corpus,
    timed component by component over the same docs (the order of ``build_pipeline``)."""
    from claimlens.pipeline import build_pipeline

    nlp = build_pipeline()
    texts = list(corpus.texts())
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    costs = [("tokenizer", time.perf_counter() - start)]
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = [component(doc) for doc in docs]
        costs.append((name, time.perf_counter() - start))
    return costs


# --- scans in child processes ---------------------------------------------------------------


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from the parent ids in ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRssSampler(threading.Thread):
    """Samples the summed RSS of a process and its workers until ``stop`` is set."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop = threading.Event()
        self.peak_total_kb = 0
        self.max_processes = 0

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self.stop.is_set():
            tree = _process_tree(self.pid)
            self.peak_total_kb = max(self.peak_total_kb, sum(_rss_kb(pid) for pid in tree))
            self.max_processes = max(self.max_processes, len(tree))
            self.stop.wait(self.interval)


@dataclass
class ScanRun:
    corpus: Corpus
    input_kind: str
    workers: int
    sentences_only: bool = False  # --sentences-only: ingest, segmentation and writing
    ceiling: float = 0.0  # chars/s of bare tokenisation measured just before this scan
    load: float = 0.0  # 1-minute load average when the scan started
    seconds: float = 0.0
    peak_process_mb: float = 0.0
    peak_tree_mb: float = 0.0
    processes: int = 0
    error: str = ""

    @property
    def chars_per_second(self) -> float:
        return self.corpus.chars / self.seconds if self.seconds and not self.error else 0.0


def claimlens_command() -> list[str]:
    script = Path(sys.executable).with_name("claimlens")
    if script.is_file():
        return [str(script)]
    found = shutil.which("claimlens")
    if not found:
        raise SystemExit("the claimlens CLI is not installed: run `make` or pip install -e .")
    return [found]


def _documents_written(out: Path) -> tuple[int, int]:
    """Rows of documents.csv, and how many of them are error rows (a scan that fails every
    document is fast, not good)."""
    with (out / "documents.csv").open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table))
    return len(rows), sum(row.get("status") != "ok" for row in rows)


def run_scan(
    corpus: Corpus,
    input_kind: str,
    workers: int,
    path: Path | None = None,
    sentences_only: bool = False,
) -> ScanRun:
    """One ``claimlens scan`` in a fresh child; peak RSS from ``wait4`` and a /proc sampler.
    ``path`` overrides the corpus input (the one-document startup probe)."""
    run = ScanRun(corpus, input_kind, workers, sentences_only, load=os.getloadavg()[0])
    with tempfile.TemporaryDirectory(prefix="claimlens-bench-") as tmp:
        out, log = Path(tmp) / "out", Path(tmp) / "stderr.txt"
        source = path or corpus.path(input_kind)
        command = [
            *claimlens_command(),
            "scan",
            str(source),
            "-o",
            str(out),
            "--overwrite",
            "--quiet",
            "--workers",
            str(workers),
            "--format",
            "csv",
            *(["--sentences-only"] if sentences_only else []),
        ]
        with log.open("wb") as stderr:
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
            sampler = TreeRssSampler(child.pid)
            sampler.start()
            _, status, usage = os.wait4(child.pid, 0)
            run.seconds = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            sampler.stop.set()
            sampler.join()
        run.peak_process_mb = usage.ru_maxrss / 1024  # kB on Linux
        run.peak_tree_mb = sampler.peak_total_kb / 1024
        run.processes = sampler.max_processes
        if child.returncode != 0:
            lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            reason = lines[-1] if lines else "no error output"
            run.error = f"exit {child.returncode}: {reason}"
        elif not (out / "documents.csv").is_file():
            run.error = "no documents.csv written"
        elif path is None:
            written, failed = _documents_written(out)
            if written != corpus.docs or failed:
                run.error = f"documents.csv: {written} rows for {corpus.docs} documents, "
                run.error += f"{failed} with status error"
    return run


# --- report -----------------------------------------------------------------------------------


def _mb(chars_per_second: float) -> str:
    return f"{chars_per_second / 1e6:.2f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(
    ceilings: dict[int, float],
    runs: Sequence[ScanRun],
    costs: list[tuple[str, float]],
    smallest: Corpus | None,
    startup: ScanRun | None,
) -> str:
    lines = [
        "# claimlens throughput",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows "
        "every row alike; compare ratios, not absolute MB/s).",
        "",
        "| corpus | docs | config | MB/s | docs/s | ratio to ceiling (ceiling MB/s then) | "
        "load | peak RSS MB (largest process) | peak RSS MB (all processes) | target |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    one_worker = {
        (r.corpus.size_mb, r.input_kind): r for r in runs if r.workers == 1 and not r.sentences_only
    }
    for size, ceiling in ceilings.items():
        corpus = next((r.corpus for r in runs if r.corpus.size_mb == size), smallest)
        docs = corpus.docs if corpus else 0
        lines.append(
            f"| {size} MB | {docs} | tokenizer only (ceiling) | {_mb(ceiling)} | "
            f"{docs * ceiling / corpus.chars if corpus else 0:.0f} | 1.00 | | | | |"
        )
        for run in (r for r in runs if r.corpus.size_mb == size):
            config = f"scan {run.input_kind}, {run.workers} worker{'s' * (run.workers > 1)}"
            config += ", --sentences-only" if run.sentences_only else ""
            if run.error:
                lines.append(f"| {size} MB | {docs} | {config} | failed: {run.error} | | | | | | |")
                continue
            ratio = run.chars_per_second / run.ceiling
            if run.sentences_only:
                target = (
                    f"{_verdict(ratio >= TARGET_SEGMENTATION_ONLY)} >= "
                    f"{TARGET_SEGMENTATION_ONLY:.0%} of ceiling (ingest + segmentation + writing)"
                )
            elif run.workers == 1:
                target = (
                    f"{_verdict(ratio >= TARGET_ONE_WORKER)} >= "
                    f"{TARGET_ONE_WORKER:.0%} of ceiling (full pipeline)"
                )
            else:
                base = one_worker.get((size, run.input_kind))
                speedup = (
                    run.chars_per_second / base.chars_per_second
                    if base and base.chars_per_second
                    else 0.0
                )
                target = (
                    f"{_verdict(speedup >= TARGET_TWO_WORKER_SPEEDUP)} {speedup:.2f}x one "
                    f"worker (>= {TARGET_TWO_WORKER_SPEEDUP}x)"
                )
            lines.append(
                f"| {size} MB | {docs} | {config} | {_mb(run.chars_per_second)} | "
                f"{docs / run.seconds:.1f} | {ratio:.2f} ({_mb(run.ceiling)}) | {run.load:.1f} | "
                f"{run.peak_process_mb:.0f} | "
                f"{run.peak_tree_mb:.0f} ({run.processes} proc.) | {target} |"
            )
    if startup:
        lines += [
            "",
            f"Startup: a scan of one document takes {startup.seconds:.1f} s "
            f"(peak RSS {startup.peak_process_mb:.0f} MB); small corpora pay it in full."
            if not startup.error
            else f"Startup probe failed: {startup.error}",
        ]
    lines += _memory_lines(runs)
    if costs and smallest:
        lines += _cost_lines(costs, smallest)
    return "\n".join(lines) + "\n"


def _memory_lines(runs: Sequence[ScanRun]) -> list[str]:
    ok = [r for r in runs if not r.error and not r.sentences_only]
    sizes = sorted({r.corpus.size_mb for r in ok})
    if len(sizes) < 2:
        return []
    lines = [
        "",
        f"Memory: peak RSS of the largest process, {sizes[-1]} MB vs {sizes[0]} MB "
        f"corpus (target: at most {TARGET_MEMORY_GROWTH - 1:.0%} growth)",
        "",
    ]
    for kind, workers in sorted({(r.input_kind, r.workers) for r in ok}):
        small, large = (
            next(
                (
                    r
                    for r in ok
                    if (r.input_kind, r.workers, r.corpus.size_mb) == (kind, workers, size)
                ),
                None,
            )
            for size in (sizes[0], sizes[-1])
        )
        if small and large:
            growth = large.peak_process_mb / small.peak_process_mb
            lines.append(
                f"- scan {kind}, {workers} worker(s): {small.peak_process_mb:.0f} -> "
                f"{large.peak_process_mb:.0f} MB, x{growth:.2f} "
                f"{_verdict(growth <= TARGET_MEMORY_GROWTH)}"
            )
    return lines


def _cost_lines(costs: list[tuple[str, float]], corpus: Corpus) -> list[str]:
    tokenizer = costs[0][1]
    total = sum(seconds for _, seconds in costs)
    lines = [
        "",
        f"In-process cost of each step on the {corpus.size_mb} MB corpus (no ingest or "
        "writing), as a share of tokenisation time:",
        "",
        "| step | seconds | MB/s alone | share of tokenisation |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, seconds in costs:
        lines.append(
            f"| {name} | {seconds:.2f} | {_mb(corpus.chars / seconds)} | "
            f"{seconds / tokenizer:.0%} |"
        )
    segmentation = sum(s for n, s in costs if n in ("tokenizer", "claimlens_segmenter"))
    lines += [
        f"| whole pipeline | {total:.2f} | {_mb(corpus.chars / total)} | {total / tokenizer:.0%} |",
        "",
        f"Pipeline speed as a share of the ceiling: {tokenizer / total:.2f} (target >= "
        f"{TARGET_ONE_WORKER:.2f} before ingest and writing); tokenizer + segmenter: "
        f"{tokenizer / segmentation:.2f} (target >= {TARGET_SEGMENTATION_ONLY:.2f} with ingest "
        "and writing).",
    ]
    return lines


def _int_list(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_int_list, default=[1, 50], help="corpus sizes in MB")
    parser.add_argument("--workers", type=_int_list, default=[1, 2], help="worker counts")
    parser.add_argument(
        "--inputs",
        default="txt,jsonl",
        help="corpus forms to scan: txt (a folder of files), jsonl, or both",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1 MB corpus, JSONL input only: a smoke test in under a minute",
    )
    parser.add_argument("--seed", type=int, default=13, help="corpus generator seed")
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS)
    parser.add_argument(
        "--no-components", action="store_true", help="skip the in-process per-component timing"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.inputs = [1], "jsonl"
    args.inputs = [kind.strip() for kind in args.inputs.split(",") if kind.strip()]
    if not set(args.inputs) <= {"txt", "jsonl"}:
        parser.error("--inputs takes txt, jsonl or txt,jsonl")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.seeds_dir.is_dir():
        raise SystemExit(f"seed articles not found at {args.seeds_dir}")
    corpora = []
    for size in sorted(args.sizes):
        print(f"corpus {size} MB ...", file=sys.stderr, flush=True)
        corpora.append(build_corpus(size, args.seed, args.seeds_dir, CORPUS_DIR))
    ceilings, runs = {}, []
    for corpus in corpora:
        print(f"ceiling {corpus.size_mb} MB ...", file=sys.stderr, flush=True)
        repeats = 2 if corpus.size_mb < 10 else 1
        ceilings[corpus.size_mb] = tokenizer_speed(corpus.texts, corpus.chars, repeats)
        for kind in args.inputs:
            for workers in args.workers:
                print(
                    f"scan {corpus.size_mb} MB {kind} --workers {workers} ...",
                    file=sys.stderr,
                    flush=True,
                )
                ceiling = ceiling_now(corpus)
                run = run_scan(corpus, kind, workers)
                run.ceiling = ceiling
                if run.error:
                    print(f"  scan failed: {run.error}", file=sys.stderr)
                runs.append(run)
            print(f"scan {corpus.size_mb} MB {kind} --sentences-only ...", file=sys.stderr)
            segmentation = run_scan(corpus, kind, 1, sentences_only=True)
            segmentation.ceiling = ceiling_now(corpus)
            runs.append(segmentation)
    first_doc = next(corpora[0].folder.glob("*.txt"))
    startup = run_scan(corpora[0], "txt", 1, path=first_doc)
    costs = [] if args.no_components else component_costs(corpora[0])
    table = report(ceilings, runs, costs, corpora[0], startup)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 1 if any(run.error for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
