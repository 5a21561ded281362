"""Peer throughput: medspaCy's ConText on the benchmark corpus (run in its own venv).

medspaCy pins an older spaCy than claimlens, so `make bench` installs it into
`.venv-medspacy` and runs this script there; it prints one JSON line per configuration with
chars/s, plus bare ``spacy.blank("en")`` tokenisation measured in the same process so that
ratios compare like with like.

usage: python bench/medspacy_peer.py CORPUS.jsonl [--limit-chars N]
"""

from __future__ import annotations

import argparse
import json
import time


def _texts(path: str, limit: int) -> list[str]:
    texts, total = [], 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            texts.append(text)
            total += len(text)
            if total >= limit:
                break
    return texts


def _rate(nlp, texts: list[str]) -> float:
    chars = sum(map(len, texts))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return chars / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--limit-chars", type=int, default=3_000_000)
    args = parser.parse_args()
    from loguru import logger

    logger.remove()  # PyRuSH (medspaCy's sentence splitter) logs every token at DEBUG
    import medspacy
    import spacy

    texts = _texts(args.corpus, args.limit_chars)
    blank = spacy.blank("en")
    fastest = spacy.blank("en")
    fastest.add_pipe("sentencizer")
    fastest.add_pipe("medspacy_context")
    configs = {
        "spacy.blank tokenisation (medspaCy venv)": blank,
        "medspaCy default pipeline": medspacy.load(),
        "medspaCy blank+sentencizer+context": fastest,
    }
    for name, nlp in configs.items():
        print(
            json.dumps(
                {
                    "config": name,
                    "chars_per_s": _rate(nlp, texts),
                    "spacy": spacy.__version__,
                    "chars": sum(map(len, texts)),
                }
            )
        )


if __name__ == "__main__":
    main()
