"""The first-character guard finds the very matches of the plain regex, on real articles."""

import re
from pathlib import Path

import pytest

from claimlens.pipeline.claims import _claim_rules
from claimlens.pipeline.first_chars import compile_guarded

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def _texts() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(ARTICLES.glob("*.txt"))
    return [p.read_text(encoding="utf-8").lower() for p in paths]


def test_every_claim_rule_finds_the_same_matches_behind_its_guard():
    texts = _texts()
    assert len(texts) > 50
    for rule in _claim_rules().values():
        if not rule.patterns:
            continue
        pattern = "|".join(rule.patterns)
        plain, guarded = re.compile(pattern), compile_guarded(pattern)
        for text in texts:
            expected = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in guarded.finditer(text)] == expected, rule.id


@pytest.mark.parametrize(
    ("pattern", "guard"),
    [
        (r"\b(?:cause|leads?) to\b", "(?=[cl])"),
        (r"(?<!not )\bfda[- ]approved\b", "(?=[f])"),
        (r"\b(?:the\s+|a\s+)?risks?\s+of\b", "(?=[art])"),
    ],
)
def test_guard_lists_the_characters_a_match_can_start_with(pattern, guard):
    assert compile_guarded(pattern).pattern.startswith(guard)


@pytest.mark.parametrize("pattern", [r"\b\w+ly\b", r"(?:no)?\s*effects", r"[^.]{0,40}cure"])
def test_no_guard_when_a_match_can_start_anywhere_or_with_nothing(pattern):
    assert compile_guarded(pattern).pattern == pattern
