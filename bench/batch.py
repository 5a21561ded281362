"""Batch-job benchmark: scaling to 100 MB, the medspaCy peer, and the cost of a resume.

Builds on ``throughput.py`` (same generated corpora, same child-process measurement):

1. **Scaling**: ``claimlens scan`` of the JSONL corpus at 10 MB and 100 MB, 1 and 2 workers:
   seconds (should grow linearly), MB/s, peak RSS (should stay flat).
2. **Peers**, in one run on the same texts (the first 3 MB of the 10 MB corpus), one core:
   bare ``spacy.blank("en")`` tokenisation (the ceiling), the full claimlens pipeline
   in-process, and medspaCy's ConText in its default pipeline and in its fastest
   configuration (blank + sentencizer + medspacy_context). medspaCy pins an older spaCy, so
   it runs in ``.venv-medspacy`` (``make bench`` creates it); the ceiling is measured in both
   environments and each tool is compared with the ceiling of its own environment.
3. **Resume**: an uninterrupted scan of the 10 MB corpus, then the same scan interrupted with
   Ctrl-C (SIGINT) at half of the documents and completed with ``--resume``; total time of
   both halves against the uninterrupted run, and the final report compared byte for byte.

usage: python bench/batch.py [--sizes 10,100] [--workers 1,2] [--skip-peers] [--skip-resume]
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import (
    CORPUS_DIR,
    ROOT,
    SEEDS,
    Corpus,
    build_corpus,
    claimlens_command,
    run_scan,
    tokenizer_speed,
)

RESULTS = ROOT / "bench" / "results" / "batch.md"
MEDSPACY_PYTHON = ROOT / ".venv-medspacy" / "bin" / "python"
PEER_CHARS = 3_000_000
TARGET_VS_MEDSPACY_FASTEST = 3.0
TARGET_VS_CEILING = 0.40


def scaling(corpora: list[Corpus], workers: list[int]) -> list[str]:
    lines = [
        "## Scaling (JSONL corpus, full pipeline, csv output)",
        "",
        "| corpus | workers | seconds | MB/s | docs/s | peak RSS, largest process (MB) |"
        " peak RSS, all processes (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for corpus in corpora:
        for count in workers:
            print(f"scan {corpus.size_mb} MB --workers {count} ...", file=sys.stderr, flush=True)
            run = run_scan(corpus, "jsonl", count)
            if run.error:
                lines.append(f"| {corpus.size_mb} MB | {count} | failed: {run.error} | | | | |")
                continue
            lines.append(
                f"| {corpus.size_mb} MB ({corpus.docs} docs) | {count} | {run.seconds:.1f} | "
                f"{run.chars_per_second / 1e6:.2f} | {corpus.docs / run.seconds:.0f} | "
                f"{run.peak_process_mb:.0f} | {run.peak_tree_mb:.0f} |"
            )
    return lines


def _peer_texts(corpus: Corpus) -> list[str]:
    texts, total = [], 0
    for text in corpus.texts():
        texts.append(text)
        total += len(text)
        if total >= PEER_CHARS:
            break
    return texts


def _claimlens_speed(texts: list[str]) -> float:
    from claimlens.document import Document
    from claimlens.pipeline import build_pipeline
    from claimlens.scan import process_chunk

    nlp = build_pipeline()
    documents = [
        Document(doc_id=str(i), source_path="", format="txt", text=t) for i, t in enumerate(texts)
    ]
    process_chunk(nlp, documents[:20])  # warm-up: lazy regexes and caches
    start = time.perf_counter()
    process_chunk(nlp, documents)  # pipeline and report rows, one core
    return sum(map(len, texts)) / (time.perf_counter() - start)


def peers(corpus: Corpus) -> list[str]:
    texts = _peer_texts(corpus)
    chars = sum(map(len, texts))
    ceiling = tokenizer_speed(lambda: texts, chars, 2)
    ours = _claimlens_speed(texts)
    lines = [
        "## Peers (same texts, one core, chars/s)",
        "",
        f"{len(texts)} documents, {chars / 1e6:.1f} M chars from the {corpus.size_mb} MB corpus.",
        "",
        "| pipeline | environment | MB/s | share of that environment's blank tokenisation |",
        "| --- | --- | ---: | ---: |",
        f'| spacy.blank("en") tokenisation (ceiling) | claimlens | {ceiling / 1e6:.2f} | 1.00 |',
        f"| claimlens full pipeline + rows | claimlens | {ours / 1e6:.2f} | {ours / ceiling:.2f} |",
    ]
    if not MEDSPACY_PYTHON.is_file():
        lines.append("| medspaCy | not measured: run `make bench` to create .venv-medspacy | | |")
        return lines
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as sample:
        for text in texts:
            sample.write(json.dumps({"text": text}) + "\n")
        sample.flush()
        script = ROOT / "bench" / "medspacy_peer.py"
        output = subprocess.run(
            [str(MEDSPACY_PYTHON), str(script), sample.name, "--limit-chars", str(chars)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    results = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    their_ceiling = results[0]["chars_per_s"]
    for result in results[1:]:
        rate = result["chars_per_s"]
        lines.append(
            f"| {result['config']} | medspaCy (spaCy {result['spacy']}) | {rate / 1e6:.3f} | "
            f"{rate / their_ceiling:.3f} |"
        )
    fastest = results[-1]["chars_per_s"] / their_ceiling
    lines += [
        "",
        f"claimlens / medspaCy fastest (each as a share of its own ceiling): "
        f"{(ours / ceiling) / fastest:.1f}x (target >= {TARGET_VS_MEDSPACY_FASTEST:.0f}x); "
        f"claimlens / ceiling: {ours / ceiling:.2f} (target >= {TARGET_VS_CEILING:.2f}).",
    ]
    return lines


def _scan(corpus: Corpus, out: Path, *extra: str) -> subprocess.Popen:
    command = [*claimlens_command(), "scan", str(corpus.jsonl), "-o", str(out), "-q", *extra]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _documents_done(out: Path) -> int:
    partial = out / ".documents.csv.partial"
    return partial.read_bytes().count(b"\n") - 1 if partial.exists() else 0


def resume(corpus: Corpus) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="claimlens-resume-") as tmp:
        full, cut = Path(tmp) / "full", Path(tmp) / "cut"
        start = time.perf_counter()
        _scan(corpus, full).wait()
        uninterrupted = time.perf_counter() - start

        start = time.perf_counter()
        child = _scan(corpus, cut)
        while child.poll() is None and _documents_done(cut) < corpus.docs // 2:
            time.sleep(0.05)
        done_at_interrupt = _documents_done(cut)
        child.send_signal(signal.SIGINT)
        child.wait()
        first = time.perf_counter() - start
        start = time.perf_counter()
        _scan(corpus, cut, "--resume").wait()
        second = time.perf_counter() - start
        same = all(
            (full / name).read_bytes() == (cut / name).read_bytes()
            for name in ("documents.csv", "sentences.csv", "findings.csv")
        )
    return [
        "## Resume (10 MB JSONL corpus, 1 worker)",
        "",
        "| run | seconds |",
        "| --- | ---: |",
        f"| uninterrupted | {uninterrupted:.1f} |",
        f"| interrupted (Ctrl-C after {done_at_interrupt} of {corpus.docs} docs) | {first:.1f} |",
        f"| --resume | {second:.1f} |",
        f"| interrupted + resume | {first + second:.1f} ({(first + second) / uninterrupted:.2f}x"
        " the uninterrupted run) |",
        "",
        f"Final report identical to the uninterrupted run: {'yes' if same else 'NO'}.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100", help="corpus sizes in MB")
    parser.add_argument("--workers", default="1,2", help="worker counts")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-resume", action="store_true")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    workers = [int(w) for w in args.workers.split(",")]
    corpora = [build_corpus(size, args.seed, SEEDS, CORPUS_DIR) for size in sizes]
    lines = ["# claimlens batch benchmark", ""] + scaling(corpora, workers)
    if not args.skip_peers:
        lines += [""] + peers(corpora[0])
    if not args.skip_resume:
        lines += [""] + resume(corpora[0])
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
