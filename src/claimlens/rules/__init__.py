"""Packaged rule data: versioned JSON files, validated on load.

Every file has the shape ``{"name", "version", "description", "rules": [...]}`` and every rule
has a stable ``id`` (``AREA.NAME``), a ``kind``, a ``description`` and an ``example``. Rules
with ``patterns`` (regular expressions) must match their own example, so a broken pattern is
caught when the package loads, not in a reviewer's report; a ``words`` lexicon must be a
non-empty list of strings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

_ID = re.compile(r"^[A-Z][A-Z0-9]*(\.[A-Z0-9_]+)+$")
_REQUIRED = ("id", "kind", "description", "example")


class RuleDataError(ValueError):
    """A packaged rule file is malformed."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    example: str
    patterns: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)  # any further, file-specific fields

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    description: str
    rules: tuple[Rule, ...]

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _parse_rule(raw: dict[str, Any], where: str) -> Rule:
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if missing:
        raise RuleDataError(f"{where}: rule {raw.get('id', '?')} lacks {', '.join(missing)}")
    if not _ID.match(raw["id"]):
        raise RuleDataError(f"{where}: rule id {raw['id']!r} is not of the form AREA.NAME")
    patterns = tuple(raw.get("patterns", ()))
    flags = re.IGNORECASE if raw.get("ignore_case", True) else 0
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, flags))
        except re.error as err:
            raise RuleDataError(
                f"{where}: rule {raw['id']}: bad pattern {pattern!r}: {err}"
            ) from err
    if compiled and not any(p.search(raw["example"]) for p in compiled):
        raise RuleDataError(f"{where}: rule {raw['id']} does not match its own example")
    words = raw.get("words")
    if words is not None and (
        not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words)
    ):
        raise RuleDataError(f"{where}: rule {raw['id']}: words must be a non-empty list of strings")
    extra = {k: v for k, v in raw.items() if k not in (*_REQUIRED, "patterns")}
    return Rule(raw["id"], raw["kind"], raw["description"], raw["example"], patterns, extra)


@cache
def load_rules(name: str) -> RuleSet:
    """Load and validate ``claimlens/rules/<name>.json``."""
    where = f"claimlens/rules/{name}.json"
    try:
        raw = json.loads(resources.files(__name__).joinpath(f"{name}.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise RuleDataError(f"{where}: {err}") from err
    for key in ("name", "version", "rules"):
        if key not in raw:
            raise RuleDataError(f"{where}: missing top-level {key!r}")
    rules = tuple(_parse_rule(r, where) for r in raw["rules"])
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleDataError(f"{where}: duplicate rule id {rule.id}")
        seen.add(rule.id)
    return RuleSet(raw["name"], str(raw["version"]), raw.get("description", ""), rules)


def rule_files() -> list[str]:
    """Names of every packaged rule file, sorted."""
    return sorted(
        p.name[: -len(".json")]
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".json")
    )


def all_rules() -> list[tuple[RuleSet, Rule]]:
    return [(rs, rule) for name in rule_files() for rs in [load_rules(name)] for rule in rs.rules]


def ruleset_version() -> str:
    """One string that changes whenever any rule file's version changes (for --resume keys)."""
    return ";".join(f"{name}={load_rules(name).version}" for name in rule_files())
