"""Health claims: what an article says a product does, how safe it is, and what it risks.

``claimlens_claims`` marks every claim inside a sentence as a span in ``doc.spans[CLAIMS]``,
labelled with its claim type (efficacy, safety, risk, comparative, mechanism, dosage,
regulatory, evidence_appeal, disclaimer), and sets on it ``_.aspect`` (the normalised health
topic, from ``rules/aspects.json``), ``_.polarity`` (present | absent | lower | higher),
``_.subject`` (the product the article is about), ``_.comparator`` (what it is compared with)
and ``_.rule_id``.

Rules are triggers (``rules/claims.json``): a rule's regex runs on the lower-cased text of the
sentences that hold one of its trigger words; its ``aspect_slot`` then reads the topic words in
the same clause after (or before) the trigger, one span per topic, so "can lead to anxiety,
paranoia, and rare respiratory depression" yields three risk claims. Abbreviations defined in
the article ("opioid use disorder (OUD)") take the aspect of their long form.

Questions, titles, headings and table-of-contents entries carry no claims; a risk named only as
something to avoid ("to minimize the risk of overdose") is advice, not a risk claim; a benefit
or safety claim right after a negation ("is not risk-free") is not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from spacy.attrs import IDX, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimlens import extensions
from claimlens.pipeline.first_chars import compile_guarded
from claimlens.pipeline.spans import sentence_offsets_from, store_span_values
from claimlens.rules import Rule, load_rules

CLAIM_TYPES = (
    "efficacy",
    "safety",
    "risk",
    "comparative",
    "mechanism",
    "dosage",
    "regulatory",
    "evidence_appeal",
    "disclaimer",
)
_NOT_CLAIM_BLOCKS = frozenset({"title", "heading"})
# Claim types a preceding negation turns into their opposite ("is not risk-free").
_NEGATABLE = frozenset({"efficacy", "safety", "comparative", "mechanism"})
# A clause ends at strong punctuation or where a new clause opens; topic words beyond it belong
# to another statement.
_CLAUSE_END = re.compile(r"[.;:!?()\u2014]|\b(?:but|while|whereas|which|although|though|making)\b")
_CLAUSE_OR_COMMA = re.compile(_CLAUSE_END.pattern + "|,")
_CLAUSE_START = re.compile(r"[,;:()\u2014]|\b(?:but|while|whereas|which|although|though)\b")
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")
_BULLET = re.compile(r"^[\s\-*•·‣–]+")
_SUBJECT_WINDOW = 600
# ``\b`` before a word in lower-cased text; faster than ``\b`` in front of the flat alternation
# of literals that finds aspect mentions (but slower in front of the claim rules' patterns).
_WORD_START = r"(?<![a-z0-9])"
_OBJECT_OF = re.compile(r"\b(?:than|to|with|from|of|for|off|on|over|against)\s+(?:[a-z-]+\s+)?$")


@dataclass(frozen=True)
class Aspect:
    name: str
    family: str  # harm | condition
    serious: bool
    side_effect: bool  # a symptom that contradicts "no side effects"
    # A harm only in combination or for some people (interactions, contraindications): a
    # weaker answer to "safe" than a harm of the product itself.
    indirect: bool
    # Other harms that contradict a claim that this one is absent (withdrawal: "non-addictive").
    contradicted_by: frozenset[str]


@dataclass(frozen=True)
class _Lexicon:
    """Aspects and comparators, each rule one named group of a single regex."""

    # Speed: all case-insensitive aspect patterns form one alternation factored by first letter
    # (see ``_by_first_letter``; patterns should open with a plain word) behind a word-start
    # lookbehind (cheaper than ``\b`` in ``re``), run on lower-cased text; case-sensitive ones
    # ("OD") run on the text as written. A mention is then named by its rule's own regex.
    mention_regex: re.Pattern[str]
    cased_mention_regex: re.Pattern[str]
    aspect_regexes: tuple[tuple[re.Pattern[str], Aspect], ...]
    aspects: dict[str, Aspect]  # group name -> aspect
    by_name: dict[str, Aspect]
    comparator_regex: re.Pattern[str]
    profiles: dict[str, frozenset[str]]  # group name -> harms the comparator is known for


def _group_regex(
    rules: list[Rule], *, cased: bool | None = None, flags: int = 0
) -> re.Pattern[str]:
    """One named group per rule; with ``cased``, only the (non-)case-sensitive patterns."""
    groups = []
    for i, rule in enumerate(rules):
        patterns = [p for p in rule.patterns if cased is None or ("(?-i:" in p) == cased]
        if patterns:
            groups.append(f"(?P<g{i}>{'|'.join(patterns)})")
    return re.compile("|".join(groups) or r"(?!x)x", flags)


_PLAIN_FIRST_LETTER = re.compile(r"[a-z](?![?*+{])")


def _has_top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` is itself an alternation ("a|b"), outside groups and classes."""
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


def _by_first_letter(branches: list[str]) -> str:
    """The alternation of ``branches``, factored by first letter (``a(?:buse|ches?)|...``).

    Speed: ``re`` tries every branch at every word start; factored, only the branches that open
    with the letter there. Branches with different first letters never match at the same place,
    so the result is the same. A branch that does not open with a plain letter keeps the flat
    alternation.
    """
    if not all(_PLAIN_FIRST_LETTER.match(b) and not _has_top_level_bar(b) for b in branches):
        return "(?:" + "|".join(branches) + ")"
    groups: dict[str, list[str]] = defaultdict(list)
    for branch in branches:
        groups[branch[0]].append(branch[1:])
    return (
        "(?:" + "|".join(f"{letter}(?:{'|'.join(rest)})" for letter, rest in groups.items()) + ")"
    )


@cache
def _lexicon() -> _Lexicon:
    rules = load_rules("aspects").rules
    aspect_rules = [r for r in rules if r.kind == "aspect"]
    comparator_rules = [r for r in rules if r.kind == "comparator"]
    aspects = {
        f"g{i}": Aspect(
            r.get("aspect"),
            r.get("family"),
            bool(r.get("serious")),
            bool(r.get("side_effect")) or r.get("family") == "condition",
            bool(r.get("indirect")),
            frozenset(r.get("contradicted_by", ())),
        )
        for i, r in enumerate(aspect_rules)
    }
    return _Lexicon(
        mention_regex=re.compile(
            _WORD_START
            + _by_first_letter(
                [
                    p.removeprefix("\\b")
                    for r in aspect_rules
                    for p in r.patterns
                    if "(?-i:" not in p
                ]
            )
        ),
        cased_mention_regex=_group_regex(aspect_rules, cased=True),
        aspect_regexes=tuple(
            (re.compile("|".join(r.patterns), re.IGNORECASE), aspects[f"g{i}"])
            for i, r in enumerate(aspect_rules)
        ),
        aspects=aspects,
        by_name={a.name: a for a in aspects.values()},
        comparator_regex=_group_regex(comparator_rules, flags=re.IGNORECASE),
        profiles={f"g{i}": frozenset(r.get("profile", ())) for i, r in enumerate(comparator_rules)},
    )


def _lower(text: str) -> str:
    """Lower-cased text with the same offsets (a character whose lower case is longer stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def lowered_text(doc: Doc) -> str:
    """``_lower`` of the document text, computed once per document (the modifier rules run on
    it)."""
    lowered = doc.user_data.get(_LOWERED_KEY)
    if lowered is None:
        lowered = doc.user_data[_LOWERED_KEY] = _lower(extensions.doc_text(doc))
    return lowered


_LOWERED_KEY = "claimlens.lowered"


@cache
def _aspect_of(mention: str) -> Aspect | None:
    """The aspect whose own patterns match a mention found by the flat regex."""
    return next(
        (aspect for regex, aspect in _lexicon().aspect_regexes if regex.fullmatch(mention)), None
    )


def find_aspects(text: str, lowered: str | None = None) -> Iterator[tuple[int, int, Aspect]]:
    """Topic mentions in ``text`` as (start, end, aspect); ``lowered`` is ``_lower(text)`` when
    the caller has it already."""
    lexicon = _lexicon()
    for match in lexicon.mention_regex.finditer(_lower(text) if lowered is None else lowered):
        aspect = _aspect_of(match.group())
        if aspect is not None:
            yield match.start(), match.end(), aspect
    for match in lexicon.cased_mention_regex.finditer(text):
        yield match.start(), match.end(), lexicon.aspects[match.lastgroup]


def aspect_named(name: str | None) -> Aspect | None:
    return _lexicon().by_name.get(name) if name else None


@cache
def aspect_names(*, family: str | None = None, serious: bool | None = None) -> frozenset[str]:
    """Names of the aspects with the given family and seriousness."""
    return frozenset(
        a.name
        for a in _lexicon().by_name.values()
        if (family is None or a.family == family) and (serious is None or a.serious == serious)
    )


@cache
def side_effect_names() -> frozenset[str]:
    return frozenset(a.name for a in _lexicon().by_name.values() if a.side_effect)


def comparator_profile(comparator: str | None) -> frozenset[str] | None:
    """Harms a comparator class is known for; None when the comparator is unknown."""
    if not comparator:
        return None
    match = _lexicon().comparator_regex.search(comparator)
    return _lexicon().profiles[match.lastgroup] if match else None


@cache
def _claim_rules() -> dict[str, Rule]:
    return {rule.id: rule for rule in load_rules("claims").rules}


def claim_rule(rule_id: str) -> Rule:
    """The claims.json rule with this id (a claim span's ``_.rule_id``)."""
    return _claim_rules()[rule_id]


@cache
def _modifier(kind: str, scope: str | None = None) -> re.Pattern[str]:
    """One regex for the modifier rules of a kind (qualifier, precaution, not_product,
    condition, negation, refutation), for lower-cased text: without ``re.IGNORECASE`` the
    search skips ahead to the literal words the patterns hold."""
    patterns = [
        p
        for r in _claim_rules().values()
        if r.kind == kind and (scope is None or r.get("scope") == scope)
        for p in r.patterns
    ]
    return compile_guarded("|".join(patterns))


def _clause_start(text: str, end: int) -> int:
    """Offset in ``text`` where the clause that reaches ``end`` begins."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, end)]
    return starts[-1] if starts else 0


def is_qualified(claim: Span, sent: Span, since: int | None = None) -> bool:
    """Whether the writer distances themselves from the claim.

    Attributions ("users report", "is considered", "according to") count anywhere in the
    sentence, softeners ("may", "potential", "can help") only earlier in the claim's own clause.
    With ``since`` (a character offset), only softeners after it count: the modal after an
    appeal ("research suggests that it may ..."); an attribution still counts anywhere ("the
    website, stating that research shows ...").
    """
    text = extensions.doc_text(claim.doc)[sent.start_char : sent.end_char]
    lowered = lowered_text(claim.doc)[sent.start_char : sent.end_char]
    # The claim's own first word counts too: the modal of "may ease joint stiffness".
    end = claim[0].idx + len(claim[0]) - sent.start_char
    begin = 0 if since is None else max(0, since - sent.start_char)
    if _modifier("qualifier", "sentence").search(lowered):
        return True
    clause = max(begin, _clause_start(text, end))
    return bool(_modifier("qualifier", "clause").search(lowered, clause, end))


def is_hedged_after(sent: Span, offset: int) -> bool:
    """Whether the writer attributes the sentence or softens what follows ``offset``: "studies
    have shown that it may help" claims less than "studies have shown that it cures"."""
    lowered = lowered_text(sent.doc)
    return bool(
        _modifier("qualifier", "sentence").search(lowered, sent.start_char, sent.end_char)
        or _modifier("qualifier", "clause").search(lowered, offset, sent.end_char)
    )


def is_attribution(text: str) -> bool:
    """Whether ``text`` reports a claim as someone else's ("is believed", "users report")."""
    return bool(_modifier("qualifier", "sentence").search(_lower(text)))


def is_conditional(sent: Span) -> bool:
    """Whether the sentence states its risks only for misuse or excess (``CONDITION.MISUSE``)."""
    lowered = lowered_text(sent.doc)
    return bool(_modifier("condition").search(lowered, sent.start_char, sent.end_char))


def is_for_any_amount(sent: Span) -> bool:
    """Whether the sentence speaks of any amount ("safe at any dose", ``CONDITION.ANY_AMOUNT``)."""
    lowered = lowered_text(sent.doc)
    return bool(_modifier("any_amount").search(lowered, sent.start_char, sent.end_char))


def _is_question(text: str) -> bool:
    return text.rstrip(" \t\r\n\"'”’»)*_").endswith("?")  # also "**Is it safe?**"


def _is_toc_entry(sentence: str, text: str) -> bool:
    """A list item that repeats elsewhere (a table of contents entry and its heading)."""
    entry = _BULLET.sub("", sentence).strip()
    return len(entry) > 3 and text.count(entry) > 1


def _can_hold_claims(sent: Span, text: str) -> bool:
    sentence = text[sent.start_char : sent.end_char]
    if _is_question(sentence):
        return False
    block = sent._.block
    if block in _NOT_CLAIM_BLOCKS:
        return False
    return not (block == "list_item" and _is_toc_entry(sentence, text))


class SentenceTable:
    """Sentence boundaries (as ``doc.sents``) read from the token arrays.

    Speed: a ``Span`` per sentence costs more than the work done on most sentences, so spans
    are made only for the sentences asked for (and kept).
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        columns = doc.to_array([SENT_START, IDX, LENGTH, LOWER])
        self.lower = columns[:, 3]
        is_start = columns[:, 0] == 1
        if len(doc):
            is_start[0] = True  # without sentence annotation: one sentence
        token_starts = np.flatnonzero(is_start)
        self.sentence_of_token = np.cumsum(is_start) - 1
        self.token_starts: list[int] = token_starts.tolist()
        self.token_ends: list[int] = [*self.token_starts[1:], len(doc)]
        offsets = (
            sentence_offsets_from(columns[:, 0], columns[:, 1], columns[:, 2]) if len(doc) else []
        )
        self.starts: list[int] = [start for start, _ in offsets]
        self.ends: list[int] = [end for _, end in offsets]
        self._spans: dict[int, Span] = {}

    @cached_property
    def token_forms(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct token forms (``LOWER``), each token's form, each form's count: the rule
        triggers and the document subject both read them, the findings neither."""
        return np.unique(self.lower, return_inverse=True, return_counts=True)

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, index: int) -> Span:
        span = self._spans.get(index)
        if span is None:
            span = self._spans[index] = self.doc[self.token_starts[index] : self.token_ends[index]]
        return span

    def index(self, char: int) -> int:
        """Index of the sentence holding character offset ``char``."""
        return bisect_right(self.starts, char) - 1


def _document_subject(table: SentenceTable, lowered: str) -> str | None:
    """The product the article is about: the opening's word most repeated in the whole text.

    Speed: words are counted as tokens, from the ``LOWER`` column the table already holds,
    not by a regex over the whole text."""
    generic = _generic_subject_words()
    opening = [w for w in _WORD.findall(lowered[:_SUBJECT_WINDOW]) if w not in generic]
    if not opening:
        return None
    candidates = list(dict.fromkeys(opening))  # first occurrence breaks ties
    forms, _, counts = table.token_forms
    count_of = dict(zip(forms.tolist(), counts.tolist(), strict=True))
    strings = table.doc.vocab.strings

    def count(word: str) -> int:
        return count_of.get(strings[word], 0) if word in strings else 0

    return max(candidates, key=count)


@cache
def _product_reference() -> re.Pattern[str]:
    return re.compile("|".join(_claim_rules()["SUBJECT.PRODUCT_REFERENCE"].patterns))


def _owner(found: _Found, lowered: str, table: SentenceTable, subject: str | None) -> str | None:
    """Whose claim it is: a risk stated after a drug class the product is compared with, with
    no word for the product before it, is that drug's (SUBJECT.PRODUCT_REFERENCE); any other
    claim is the product's."""
    if found.rule.kind != "risk":
        return subject
    before = lowered[table.starts[table.index(found.start)] : found.start]
    if (subject and subject in before) or _product_reference().search(before):
        return subject
    # A drug the product is measured against or taken with ("safer than opioids", "withdrawal
    # from opioids", "combined with opioids") is not who the sentence speaks of.
    for other in _lexicon().comparator_regex.finditer(before):
        if not _OBJECT_OF.search(before, 0, other.start()):
            return other.group()
    return subject


@cache
def _generic_subject_words() -> frozenset[str]:
    return frozenset(_claim_rules()["SUBJECT.GENERIC"].get("words", ()))


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    rule: Rule
    aspect: str | None
    comparator: str | None

    @property
    def label(self) -> str:
        if self.rule.kind == "safety" and self.comparator and self.rule.get("polarity") == "absent":
            return "comparative"  # "without the side effects of opioids"
        return self.rule.kind


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class ClaimTagger:
    """Marks claim spans; see the module docstring.

    Speed: each rule lists ``triggers``, token forms every match of it contains. Distinct token
    forms are looked up once per document (vectorised over the ``LOWER`` array), and a rule's
    regex runs only on the sentences holding one of its triggers.
    """

    def __init__(self, vocab: Vocab) -> None:
        rules = [r for r in _claim_rules().values() if r.kind in CLAIM_TYPES]
        self._rules = [(rule, compile_guarded("|".join(rule.patterns))) for rule in rules]
        self._rules_by_form: dict[int, tuple[int, ...]] = defaultdict(tuple)
        for index, rule in enumerate(rules):
            for word in rule.get("triggers", ()):
                form = vocab.strings.add(word)
                self._rules_by_form[form] = (*self._rules_by_form[form], index)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[extensions.CLAIMS] = self._claims(doc) if len(doc) else []
        return doc

    def _rules_by_sentence(self, table: SentenceTable) -> dict[int, set[int]]:
        """Sentence index -> indices of the rules whose triggers occur in it."""
        forms, form_of_token, _ = table.token_forms
        rules_of_form = [self._rules_by_form.get(form, ()) for form in forms.tolist()]
        triggering = np.array([bool(rules) for rules in rules_of_form])[form_of_token]
        pairs = np.unique(
            table.sentence_of_token[triggering] * len(forms) + form_of_token.reshape(-1)[triggering]
        )
        found: dict[int, set[int]] = defaultdict(set)
        for pair in pairs.tolist():
            sentence, form = divmod(pair, len(forms))
            found[sentence].update(rules_of_form[form])
        return found

    def _claims(self, doc: Doc) -> list[Span]:
        """Speed: topic mentions are looked up only once a rule has matched, and a sentence is
        checked for being a question, heading or table of contents entry only when a rule
        matched in it."""
        text = extensions.doc_text(doc)
        lowered = lowered_text(doc)
        table = SentenceTable(doc)
        mentions: list[tuple[int, int, Aspect]] | None = None
        mention_starts: list[int] = []
        found: list[_Found] = []
        for index, rule_indices in sorted(self._rules_by_sentence(table).items()):
            start, end = table.starts[index], table.ends[index]
            in_sentence: list[tuple[int, int, Aspect]] | None = None
            found_here: list[_Found] = []
            for rule_index in sorted(rule_indices):
                rule, regex = self._rules[rule_index]
                for match in regex.finditer(lowered, start, end):
                    if mentions is None:
                        mentions = self._mentions(doc, text, lowered)
                        mention_starts = [m[0] for m in mentions]
                    if in_sentence is None:
                        first = bisect_left(mention_starts, start)
                        in_sentence = mentions[first : bisect_left(mention_starts, end)]
                    found_here.extend(self._targets(rule, match, start, end, text, in_sentence))
            if found_here and _can_hold_claims(table.span(index), text):
                if _modifier("refutation").search(lowered, start, end):
                    # "The claim that it has no side effects is simply wrong."
                    found_here = [f for f in found_here if f.rule.kind not in _NEGATABLE]
                found.extend(found_here)
        found = self._resolve(found, lowered, table.starts)
        subject = _document_subject(table, lowered) if found else None
        subjects = [_owner(f, lowered, table, subject) for f in found]
        return self._spans(doc, found, subjects)

    @classmethod
    def _mentions(cls, doc: Doc, text: str, lowered: str) -> list[tuple[int, int, Aspect]]:
        """Every topic mention of the document, abbreviations included, in text order."""
        mentions = list(find_aspects(text, lowered))
        mentions += [(s, e, aspect) for s, (e, aspect) in cls._abbreviation_aspects(doc).items()]
        return sorted(mentions, key=lambda m: (m[0], m[1]))

    @staticmethod
    def _abbreviation_aspects(doc: Doc) -> dict[int, tuple[int, Aspect]]:
        """Start offset of each abbreviation use -> (end offset, aspect of its long form)."""
        if not Doc.has_extension("abbreviations"):
            return {}
        mapped = {}
        for short in doc._.abbreviations:
            long_form = short._.long_form
            aspect = next(find_aspects(long_form.text), None) if long_form is not None else None
            if aspect is not None:
                mapped[short.start_char] = (short.end_char, aspect[2])
        return mapped

    def _targets(
        self,
        rule: Rule,
        match: re.Match[str],
        sent_start: int,
        sent_end: int,
        text: str,
        mentions: list[tuple[int, int, Aspect]],
    ) -> Iterator[_Found]:
        """One finding per topic the trigger speaks about (or one with the rule's aspect)."""
        start, end = match.span()
        families = set(rule.get("families", ("harm", "condition")))
        window = int(rule.get("window", 0))
        slot = rule.get("aspect_slot")
        comparator = self._comparator(rule, text, start, end, sent_start, sent_end)
        topics: list[tuple[int, int, str]] = []
        if slot == "after":
            stop = min(sent_end, end + window)
            clause = (_CLAUSE_OR_COMMA if rule.get("stop_at_comma") else _CLAUSE_END).search(
                text, end, stop
            )
            stop = clause.start() if clause else stop
            topics = self._topics(mentions, start, stop, families)
        elif slot == "before":
            begin = max(sent_start, start - window)
            begin += _clause_start(text[begin:start], start - begin)
            before = self._topics(mentions, begin, start, families)
            topics = before[-1:]
        elif "families" in rule.data:
            topics = self._topics(mentions, start, end, families)
        if not topics:
            if rule.get("require_aspect"):
                return
            yield _Found(start, end, rule, rule.get("aspect"), comparator)
            return
        for topic_start, topic_end, aspect in topics:
            yield _Found(min(start, topic_start), max(end, topic_end), rule, aspect, comparator)

    @staticmethod
    def _topics(
        mentions: list[tuple[int, int, Aspect]], begin: int, stop: int, families: set[str]
    ) -> list[tuple[int, int, str]]:
        return [
            (s, e, a.name)
            for s, e, a in mentions
            if begin <= s and e <= stop and a.family in families
        ]

    @staticmethod
    def _comparator(
        rule: Rule, text: str, start: int, end: int, sent_start: int, sent_end: int
    ) -> str | None:
        """What a safety or comparative claim measures the product against."""
        if rule.kind not in ("safety", "comparative"):
            return None
        regex = _lexicon().comparator_regex
        after = regex.search(text, end, min(sent_end, end + 120))
        if after:
            return after.group().lower()
        for match in regex.finditer(text, sent_start, sent_end):
            if text[max(sent_start, match.start() - 7) : match.start()].lower() == "unlike ":
                return match.group().lower()
        return None

    @staticmethod
    def _resolve(found: list[_Found], lowered: str, starts: list[int]) -> list[_Found]:
        """Drop matches that another reading explains better (see the rules' descriptions);
        ``lowered`` is the lower-cased document text."""
        disclaimers = [(f.start, f.end) for f in found if f.rule.kind == "disclaimer"]
        regulatory = [(f.start, f.end) for f in found if f.rule.kind == "regulatory"]
        denials = [
            (f.start, f.end)
            for f in found
            if f.rule.kind == "regulatory" and f.rule.get("polarity") == "absent"
        ]
        assurances = [
            (f.start, f.end)
            for f in found
            if f.rule.get("assurance") in ("absolute", "comparative")
            and f.rule.get("polarity") in ("absent", "lower")
        ]
        precaution, negation = _modifier("precaution"), _modifier("negation")
        not_product = _modifier("not_product")
        kept = []
        for f in found:
            span = (f.start, f.end)
            kind = f.rule.kind
            sent_start = starts[bisect_right(starts, f.start) - 1]
            if kind != "disclaimer" and any(_overlaps(span, d) for d in disclaimers):
                continue
            if kind == "safety" and any(_overlaps(span, r) for r in regulatory):
                continue
            if f.rule.get("assurance") == "approval" and any(_overlaps(span, d) for d in denials):
                continue  # "not been evaluated or approved by the FDA"
            if kind == "risk" and any(_overlaps(span, a) for a in assurances):
                continue
            if kind == "risk" and precaution.search(
                lowered, max(sent_start, f.start - 60), f.start
            ):
                continue
            if kind == "risk" and not_product.search(lowered, sent_start, f.start):
                continue
            if kind in _NEGATABLE and negation.search(
                lowered, max(sent_start, f.start - 25), f.start
            ):
                continue
            kept.append(f)
        return kept

    @staticmethod
    def _spans(doc: Doc, found: list[_Found], subjects: list[str | None]) -> list[Span]:
        # Claim attributes live per (start, end): two claims never share offsets. (Cue and
        # evidence spans carry no claim attributes, and each span keeps its own rule_id.)
        taken: set[tuple[int, int]] = set()
        spans, offsets, kept, kept_subjects = [], [], [], []
        for f, subject in sorted(
            zip(found, subjects, strict=True), key=lambda p: (p[0].start, p[0].end)
        ):
            # Speed: the rule id goes in at creation (``span_id``), not through an Underscore.
            span = doc.char_span(
                f.start, f.end, label=f.label, alignment_mode="expand", span_id=f.rule.id
            )
            while span is not None and (span.start_char, span.end_char) in taken:
                if span.end >= len(doc) or doc[span.end].is_sent_start:
                    span = None
                else:
                    span = Span(doc, span.start, span.end + 1, label=f.label, span_id=f.rule.id)
            if span is None:
                continue
            taken.add((span.start_char, span.end_char))
            spans.append(span)
            offsets.append((span.start_char, span.end_char))
            kept.append(f)
            kept_subjects.append(subject)
        # Speed: the offset-keyed attributes are written in bulk, not through an Underscore.
        store_span_values(doc, "aspect", offsets, [f.aspect for f in kept])
        store_span_values(
            doc, "polarity", offsets, [f.rule.get("polarity", "present") for f in kept]
        )
        store_span_values(doc, "subject", offsets, kept_subjects)
        store_span_values(doc, "comparator", offsets, [f.comparator for f in kept])
        return spans


@Language.factory("claimlens_claims")
def make_claims(nlp: Language, name: str) -> ClaimTagger:
    extensions.register()
    return ClaimTagger(nlp.vocab)
