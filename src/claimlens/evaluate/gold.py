"""Score claimlens findings against a reviewer's gold list (``claimlens eval GOLD --texts DIR``).

Gold format (shared/seeds/README.md): one JSON object a line with ``doc`` (file name), ``kind``
(contradiction | unsupported), ``aspect`` and the exact substrings ``a`` (and ``b`` for a
contradiction). A finding matches a gold row when it is from the same file, of the same kind,
and its sentence contains ``a`` (an unsupported claim) or its two sentences contain ``a`` and
``b`` in either order; a contradiction within one sentence has both in that sentence.

Recall counts gold rows matched by some finding; precision counts findings that match some gold
row, so every extra finding costs precision even when it is not wrong. Findings are the rows
``claimlens scan`` writes to findings.csv (the same rule as shared/hooks/score_gold.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimlens.analysis import KINDS
from claimlens.evaluate import f1, share


@dataclass(frozen=True)
class GoldRow:
    doc: str
    kind: str
    aspect: str
    a: str
    b: str | None = None


@dataclass(frozen=True)
class KindScore:
    kind: str
    gold: int
    matched_gold: int
    findings: int
    matched_findings: int

    @property
    def recall(self) -> float:
        return share(self.matched_gold, self.gold, 1.0)

    @property
    def precision(self) -> float:
        return share(self.matched_findings, self.findings, 0.0)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


@dataclass
class GoldReport:
    scores: dict[str, KindScore]
    missed: list[GoldRow] = field(default_factory=list)
    unmatched: dict[str, list[str]] = field(default_factory=dict)  # doc -> finding summaries

    def format(self) -> str:
        lines = [f"{'kind':<14} {'recall':>12} {'precision':>12} {'F1':>6}"]
        for kind in KINDS:
            s = self.scores[kind]
            recall = f"{s.matched_gold}/{s.gold}={s.recall:.2f}"
            precision = f"{s.matched_findings}/{s.findings}={s.precision:.2f}"
            lines.append(f"{kind:<14} {recall:>12} {precision:>12} {s.f1:>6.2f}")
        for row in self.missed:
            pair = f" / {row.b!r}" if row.b else ""
            lines.append(f"missed {row.kind} {row.doc}: {row.a!r}{pair}")
        for doc, summaries in sorted(self.unmatched.items()):
            lines.append(f"unmatched findings in {doc}:")
            lines.extend(f"  {summary}" for summary in summaries)
        return "\n".join(lines)


def load_gold(path: Path) -> list[GoldRow]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            aspect = raw.get("aspect", "")
            rows.append(GoldRow(raw["doc"], raw["kind"], aspect, raw["a"], raw.get("b")))
    return rows


def document_name(finding: Mapping[str, Any]) -> str:
    """The file name a findings row belongs to (doc ids of JSONL/CSV rows end in ``#n``)."""
    name = str(finding.get("doc_id") or finding.get("source_path") or "").replace("\\", "/")
    return name.rsplit("/", 1)[-1].split("#", 1)[0]


def matches(row: GoldRow, finding: Mapping[str, Any]) -> bool:
    """Whether a findings row (as in findings.csv) matches a gold row."""
    if document_name(finding) != row.doc or finding.get("kind") != row.kind:
        return False
    first = str(finding.get("sentence") or "")
    if row.b is None:
        return row.a in first
    second = str(finding.get("related_sentence") or "") or first
    return (row.a in first and row.b in second) or (row.b in first and row.a in second)


def score(gold: list[GoldRow], findings: Iterable[Mapping[str, Any]]) -> GoldReport:
    """Per-kind recall and precision of findings rows against ``gold``."""
    rows = list(findings)
    scores = {}
    missed = []
    unmatched: dict[str, list[str]] = {}
    for kind in KINDS:
        gold_rows = [g for g in gold if g.kind == kind]
        of_kind = [f for f in rows if f.get("kind") == kind]
        found = [g for g in gold_rows if any(matches(g, f) for f in of_kind)]
        good = [f for f in of_kind if any(matches(g, f) for g in gold_rows)]
        missed += [g for g in gold_rows if g not in found]
        for f in of_kind:
            if not any(f is g for g in good):
                summary = f"{kind} s{f.get('sent_id')}: {f.get('message')}"
                unmatched.setdefault(document_name(f), []).append(summary)
        scores[kind] = KindScore(kind, len(gold_rows), len(found), len(of_kind), len(good))
    return GoldReport(scores, missed, unmatched)


def evaluate_gold(gold_path: Path, texts: Path, model: str | None = None) -> GoldReport:
    """Scan the folder ``texts`` as ``claimlens scan`` does and score its findings."""
    from claimlens.scan import scan_paths

    result = scan_paths([Path(texts)], model=model)
    return score(load_gold(Path(gold_path)), result.findings.to_dict("records"))
