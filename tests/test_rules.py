import re

import pytest

from claimlens.rules import RuleDataError, _parse_rule, all_rules, rule_files


def test_every_packaged_rule_file_loads_and_ids_are_unique_across_files():
    rules = all_rules()
    assert rule_files(), "no rule files packaged"
    ids = [rule.id for _, rule in rules]
    assert len(ids) == len(set(ids))


def test_every_pattern_matches_its_own_example():
    for _, rule in all_rules():
        if rule.patterns:
            assert any(re.search(p, rule.example, re.I) for p in rule.patterns), rule.id


def _rule(**overrides):
    raw = {
        "id": "HEDGE.MODAL",
        "kind": "hedge",
        "description": "modal verbs",
        "example": "It may help.",
        "patterns": [r"\bmay\b"],
    }
    raw.update(overrides)
    return raw


def test_valid_rule_parses():
    rule = _parse_rule(_rule(grade="possible"), "test")
    assert rule.id == "HEDGE.MODAL" and rule.get("grade") == "possible"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id": "modal"}, "not of the form"),
        ({"example": ""}, "lacks example"),
        ({"patterns": [r"(unclosed"]}, "bad pattern"),
        ({"patterns": [r"\bmight\b"]}, "does not match its own example"),
    ],
)
def test_malformed_rules_are_rejected_with_a_clear_reason(overrides, message):
    with pytest.raises(RuleDataError, match=message):
        _parse_rule(_rule(**overrides), "test")
