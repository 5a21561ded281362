"""Findings: the claims a reviewer must look at, reasoned over the whole document.

``find_findings(doc)`` reads the claim spans of ``claimlens_claims`` (with the certainty of
``claimlens_hedges`` and the evidence of ``claimlens_evidence`` when they ran) and returns

- ``unsupported`` findings: a strong claim asserted with no specific evidence (in its sentence,
  or elsewhere in its paragraph on the same topic), or leaning only on a vague appeal or on
  anecdotes;
- ``contradiction`` findings: an assurance (no risk, safe, safer than, rare) and a stated risk
  on the same aspect, or a regulator's refusal and advice to use the product safely.

To keep the list short, every sentence yields at most one finding of each kind: an unsupported
sentence reports its first firing claim; an assurance sentence is paired with one risk sentence,
the best-ranked that contradicts it (the same sentence first, then serious harms, then the
nearest). docs/findings.md has the details.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimlens import extensions
from claimlens.pipeline.claims import (
    SentenceTable,
    aspect_named,
    aspect_names,
    claim_rule,
    comparator_profile,
    find_aspects,
    is_attribution,
    is_conditional,
    is_for_any_amount,
    is_hedged_after,
    is_qualified,
    side_effect_names,
)
from claimlens.pipeline.spans import span_value
from claimlens.rules import Rule

KINDS = ("unsupported", "contradiction")
SEVERITIES = ("low", "medium", "high")
STRONG_TYPES = frozenset({"efficacy", "safety", "comparative", "mechanism", "dosage"})
_GENERIC_HARMS = frozenset({"side effects", "safety"})  # topics that name no particular harm


class _Claim:
    """A claim span's attributes, each read once and only when needed (extension reads are the
    slowest part of the findings)."""

    def __init__(self, span: Span) -> None:
        self.span = span
        self.label = span.label_
        self.start_char = span.start_char
        self.end_char = span.end_char
        self.rule: Rule = claim_rule(extensions.rule_id_of(span))

    def _value(self, name: str) -> object:
        return span_value(self.span.doc, name, self.start_char, self.end_char)

    @cached_property
    def aspect(self) -> str | None:
        return self._value("aspect")

    @cached_property
    def polarity(self) -> str:
        return self._value("polarity")

    @cached_property
    def subject(self) -> str | None:
        return self._value("subject")

    @cached_property
    def comparator(self) -> str | None:
        return self._value("comparator")

    @cached_property
    def claims_proof(self) -> bool:
        """A claim of proof that introduces what it proves: "clinical studies prove that ...",
        "clinically shown to ...", "studies show CBD quiets ...". It is unsupported even when
        claimlens knows no claim words in the rest of the sentence; "studies show mixed
        results" introduces no claim (the rule's ``not_claims``)."""
        if not self.rule.get("proof"):
            return False
        after = extensions.doc_text(self.span.doc)[self.end_char : self.end_char + 40].lower()
        if after.startswith((" that ", " to ")):
            return True
        next_word = after.split(maxsplit=1)[0] if after.strip() else ""
        return (
            after.startswith(" ")
            and self.text.lower().endswith(
                ("show", "shows", "prove", "proves", "confirm", "confirms")
            )
            and next_word.isalpha()
            and next_word not in self.rule.get("not_claims", ())
        )

    @property
    def text(self) -> str:
        return extensions.doc_text(self.span.doc)[self.start_char : self.end_char]


_Appeal = tuple[Span | _Claim, str]


@dataclass(frozen=True)
class Finding:
    kind: str  # unsupported | contradiction
    aspect: str
    severity: str  # low | medium | high
    rule_ids: tuple[str, ...]
    message: str
    sent: Span
    cue: str
    certainty: str
    related_sent: Span | None = None
    related_certainty: str | None = None
    sent_id: int = 0  # 1-based, document order
    related_sent_id: int | None = None


class _Sentences:
    """Sentence lookup by character offset, ids and paragraphs; spans made only on demand."""

    def __init__(self, doc: Doc) -> None:
        self.table = SentenceTable(doc)
        self.starts = self.table.starts
        self.text = extensions.doc_text(doc)
        self._conditional: dict[int, bool] = {}
        self._certainty: dict[int, str] = {}
        self._topics: dict[int, frozenset[str]] = {}

    def sent(self, index: int) -> Span:
        return self.table.span(index)

    def value(self, index: int, name: str) -> object:
        """A sentence attribute (``_.certainty``...), read without building the span."""
        return span_value(self.table.doc, name, self.starts[index], self.table.ends[index])

    def text_of(self, index: int) -> str:
        return self.text[self.starts[index] : self.table.ends[index]]

    def conditional(self, index: int) -> bool:
        """Whether the sentence states its risks only for misuse or excess."""
        if index not in self._conditional:
            self._conditional[index] = is_conditional(self.sent(index))
        return self._conditional[index]

    def topics(self, index: int) -> frozenset[str]:
        """The health conditions the sentence mentions (pain, weight, memory...)."""
        if index not in self._topics:
            mentions = find_aspects(self.text_of(index))
            self._topics[index] = frozenset(
                a.name for _, _, a in mentions if a.family == "condition"
            )
        return self._topics[index]

    def index(self, span: Span) -> int:
        return bisect_right(self.starts, span.start_char) - 1

    def certainty(self, index: int) -> str:
        if index not in self._certainty:
            self._certainty[index] = self.value(index, "certainty") or "certain"
        return self._certainty[index]

    def paragraph_range(self, index: int) -> tuple[int, int]:
        """Character range of the sentence's paragraph (the sentence alone when unknown)."""
        paragraph = self.value(index, "paragraph")
        if paragraph is None:
            return self.starts[index], self.table.ends[index]
        first = last = index
        while first > 0 and self.value(first - 1, "paragraph") == paragraph:
            first -= 1
        while last + 1 < len(self.table) and self.value(last + 1, "paragraph") == paragraph:
            last += 1
        return self.starts[first], self.table.ends[last]


def _shift(severity: str, steps: int) -> str:
    index = min(len(SEVERITIES) - 1, max(0, SEVERITIES.index(severity) + steps))
    return SEVERITIES[index]


def _rule_ids(*ids: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


# --- unsupported -----------------------------------------------------------------------------


def _appeals(doc: Doc, claims: list[_Claim]) -> list[_Appeal]:
    """Appeals to evidence in the document: (cue, basis) with basis vague or anecdote."""
    found: list[_Appeal] = [
        (c, c.rule.get("basis", "vague"))
        for c in claims
        if c.label == "evidence_appeal" and c.polarity != "absent"  # "no studies" backs nothing
    ]
    found += [(e, "vague") for e in doc.spans.get(extensions.EVIDENCE, ()) if e.label_ == "vague"]
    return found


def _may_be_unsupported(claim: _Claim) -> bool:
    """Only strong claims of the strong types, and claims of proof ("studies have shown that
    ..."), can be unsupported."""
    if claim.claims_proof:
        return True
    return claim.label in STRONG_TYPES and claim.rule.get("strength") in ("strong", "appeal")


def _unsupported_reason(
    claim: _Claim, sent: Span, appeals: list[_Appeal]
) -> tuple[str, Span | _Claim | None] | None:
    """The finding rule a claim that ``_may_be_unsupported`` fires, with the appeal it leans
    on, or None."""
    strength = claim.rule.get("strength")
    if claim.claims_proof:
        if is_hedged_after(sent, claim.end_char):
            return None
        return "FINDING.UNSUPPORTED.VAGUE_APPEAL", claim
    if appeals:
        anecdote = next((a for a, basis in appeals if basis == "anecdote"), None)
        if anecdote is not None:
            return "FINDING.UNSUPPORTED.ANECDOTE", anecdote
        before = [a for a, _ in appeals if a.end_char <= claim.start_char]
        appeal = before[-1] if before else appeals[0][0]
        if is_attribution(appeal.text):  # "it is believed": a hedge, not an appeal
            return None
        since = appeal.end_char if before else None
        if not is_qualified(claim.span, sent, since=since):
            return "FINDING.UNSUPPORTED.VAGUE_APPEAL", appeal
        return None
    if strength == "strong" and not is_qualified(claim.span, sent):
        return "FINDING.UNSUPPORTED.NO_EVIDENCE", None
    return None


def _supported(
    claim: _Claim, appealed: bool, sentences: _Sentences, index: int, specific: list[Span]
) -> bool:
    """Specific evidence in the claim's sentence supports it; evidence elsewhere in the
    paragraph supports it only when it speaks about the claim's named aspect, and never rescues
    a claim that leans on its own vague appeal, a high-severity one (cures, absolute safety) or
    one without a topic (hype, a dose)."""
    sent = sentences.sent(index)
    if any(sent.start_char <= e.start_char < sent.end_char for e in specific):
        return True
    if appealed or claim.rule.get("severity") == "high":
        return False
    start, end = sentences.paragraph_range(index)
    evidence_sents = {sentences.index(e) for e in specific if start <= e.start_char < end}
    aspect = claim.aspect
    if aspect_named(aspect) is None:  # hype, a dose: only evidence in its own sentence
        return False
    return any(
        a.name == aspect for i in evidence_sents for _, _, a in find_aspects(sentences.text_of(i))
    )


def _unsupported(
    doc: Doc, sentences: _Sentences, by_sentence: dict[int, list[_Claim]], skip: set[int]
) -> list[Finding]:
    specific = [e for e in doc.spans.get(extensions.EVIDENCE, ()) if e.label_ == "specific"]
    every_appeal = _appeals(doc, [c for claims in by_sentence.values() for c in claims])
    findings = []
    for index, claims in sorted(by_sentence.items()):
        # A sentence reports its first firing claim; the claim of proof only when no other fires.
        candidates = sorted(
            (claim for claim in claims if _may_be_unsupported(claim)),
            key=lambda claim: claim.claims_proof,
        )
        if not candidates or index in skip or sentences.certainty(index) == "doubtful":
            continue
        sent = sentences.sent(index)
        appeals = [
            (cue, basis)
            for cue, basis in every_appeal
            if sent.start_char <= cue.start_char < sent.end_char
        ]
        for claim in candidates:
            reason = _unsupported_reason(claim, sent, appeals)
            if reason is None:
                continue
            rule_id, appeal = reason
            if _supported(claim, appeal is not None, sentences, index, specific):
                continue
            findings.append(_unsupported_finding(sentences, index, claim, rule_id, appeal))
            break
    return findings


def _unsupported_finding(
    sentences: _Sentences, index: int, claim: _Claim, rule_id: str, appeal: Span | _Claim | None
) -> Finding:
    sent = sentences.sent(index)
    certainty = sentences.certainty(index)
    severity = claim.rule.get("severity", "medium")
    if certainty == "possible":
        severity = _shift(severity, -1)
    elif certainty == "certain" and sentences.value(index, "claim_strength") == "direct_causal":
        severity = _shift(severity, +1)
    what = f"{claim.label.replace('_', ' ')} claim"
    if appeal is claim:
        what, why = "claim of proof", "that names no study"
    elif appeal is None:
        why = "with no specific evidence"
    elif rule_id.endswith("ANECDOTE"):
        why = f"resting on anecdotes (“{appeal.text}”)"
    else:
        why = f"backed only by a vague appeal (“{appeal.text}”)"
    topic = f" on {claim.aspect}" if aspect_named(claim.aspect) else ""
    message = f"Unsupported {what}{topic} {why} (s{index + 1}): “{claim.text}”"
    return Finding(
        kind="unsupported",
        aspect=claim.aspect or claim.label,
        severity=severity,
        rule_ids=_rule_ids(rule_id, claim.rule.id),
        message=message,
        sent=sent,
        cue=claim.text,
        certainty=certainty,
        sent_id=index + 1,
    )


# --- contradictions --------------------------------------------------------------------------


def _targets(assurance: _Claim) -> tuple[frozenset[str], frozenset[str] | None]:
    """Aspects a stated risk must be about to contradict the assurance, and (for a generic
    "without the side effects of X") the harms of X the risk sentence must also name.

    A named harm is contradicted by that harm and the harms that imply it (withdrawal for
    "non-addictive", seizures for "non-toxic"); a comparison with a drug class also by the harms
    the class is known for; "no side effects" by any side effect (of the class, when named);
    "no risks" by any harm (of the class, when named); "safe" by any harm.
    """
    aspect = assurance.aspect
    profile = comparator_profile(assurance.comparator)
    info = aspect_named(aspect)
    named_harm = info is not None and info.family == "harm"
    named_harm = named_harm and aspect not in _GENERIC_HARMS
    if assurance.rule.get("assurance") == "comparative":
        targets = ({aspect} if named_harm else set()) | set(profile or ())
        return frozenset(targets) or aspect_names(family="harm"), None
    if named_harm:
        return frozenset({aspect}) | info.contradicted_by, None
    if aspect == "side effects":
        return side_effect_names(), profile or None
    # "Safe" is also contradicted by "not safe during pregnancy" (aspect safety). "A safe
    # alternative to antidepressants" is safe, full stop: only "no risks of X" is about X's harms.
    every_harm = aspect_names(family="harm") | {"safety"}
    if not assurance.rule.get("universal"):
        # "Safe" speaks of ordinary users: a warning for pregnancy or allergies does not deny
        # it, while "safe for the whole family" meets "do not give it to children".
        every_harm -= {"contraindication"}
    if assurance.polarity == "present":
        return every_harm, None
    return profile or every_harm, None


def _sentence_harms(claims: list[_Claim]) -> set[str]:
    return {c.aspect for c in claims if c.label == "risk" and c.polarity != "lower"}


def _lists_harms(claims: list[_Claim]) -> bool:
    """Whether the sentence names three or more particular harms ("nausea, dizziness and
    headaches")."""
    return len(_sentence_harms(claims) - _GENERIC_HARMS) >= 3


def _stressed_harms(claims: list[_Claim]) -> set[str]:
    """Harms the sentence calls serious, severe or common."""
    return {c.aspect for c in claims if c.label == "risk" and c.polarity == "higher"}


def _rank(
    index: int,
    other_index: int,
    *,
    generic: bool = False,
    oblique: bool = False,
    mild: bool = False,
    indirect: bool = False,
    for_misuse: bool = False,
    plain: bool = False,
) -> tuple[int, ...]:
    """How telling a partner is, smaller first: the same sentence; a partner for a claim about
    a named harm before one for a general "safe"; the very topic denied ("safety is unknown"
    for "safe") before another; a serious harm (or, for "safe for everyone", a warning that some
    people must not take it; for "no side effects", a list of three or more); a harm of the
    product itself before an interaction; a harm of ordinary use before one of excess; a harm
    the writer stresses ("serious", "dangerous"); then the nearest, the earlier."""
    distance = abs(other_index - index)
    flags = (generic, oblique, mild, indirect, for_misuse, plain)
    return (int(distance > 0), *map(int, flags), distance, other_index)


@dataclass(frozen=True)
class _Pair:
    key: tuple[int, ...]
    rule_id: str
    assurance: _Claim
    other: _Claim
    other_index: int


def _risk_rule(assurance: _Claim) -> str:
    if assurance.label == "comparative":
        return "FINDING.CONTRADICTION.COMPARATIVE_RISK"
    if assurance.polarity == "present":
        return "FINDING.CONTRADICTION.SAFETY_RISK"
    return "FINDING.CONTRADICTION.ABSENT_PRESENT"


def _risk_pairs(
    sentences: _Sentences,
    index: int,
    assurance: _Claim,
    risks: list[tuple[int, _Claim]],
    by_sentence: dict[int, list[_Claim]],
) -> list[_Pair]:
    """Stated risks that contradict an assurance; see ``_targets``.

    A mild harm stated only for misuse or excess does not contradict a comparison. The partner
    is the risk in the same sentence; else one for an assurance about a named harm
    or side effects before one for a general "safe"; a serious harm before a mild one; for an
    absolute assurance ("safe", "no risk of overdose", which speak of proper use) a risk stated
    for any use before one stated only for misuse or excess; then the nearest.
    """
    targets, profile = _targets(assurance)
    absolute = assurance.rule.get("assurance") == "absolute"
    universal = bool(assurance.rule.get("universal"))  # "safe for the whole family"
    any_amount = is_for_any_amount(sentences.sent(index))
    rule_id = _risk_rule(assurance)
    pairs = []
    # "Impossible to overdose" is contradicted by any harm of too high a dose.
    too_much = "overdose" in targets
    comparative = assurance.rule.get("assurance") == "comparative"
    for other_index, risk in risks:
        if risk.polarity == "lower":
            continue
        if risk.aspect not in targets and not (too_much and sentences.conditional(other_index)):
            continue
        if risk.start_char < assurance.end_char and assurance.start_char < risk.end_char:
            continue
        if profile and not (_sentence_harms(by_sentence[other_index]) & profile):
            continue
        info = aspect_named(risk.aspect)
        serious = info is not None and info.serious
        indirect = info is not None and info.indirect
        misuse_only = sentences.conditional(other_index)
        if comparative and not serious and misuse_only:
            continue  # "safer than sleeping pills" survives mild harms of excess
        # "Safe for everyone" meets "do not give it to children" as squarely as a serious harm.
        warned_off = universal and risk.aspect == "contraindication"
        # "No side effects" meets a list of three or more as squarely as a serious harm.
        lists_side_effects = assurance.aspect == "side effects" and _lists_harms(
            by_sentence[other_index]
        )
        key = _rank(
            index,
            other_index,
            generic=assurance.aspect in (None, "safety"),
            # "Safe" is denied most plainly by "its safety is unknown", "no side effects" by "side
            # effects include", "does not cause dependence" by dependence; "safer than opioids
            # in terms of dependency" by any harm opioids are known for.
            oblique=(assurance.aspect in _GENERIC_HARMS or assurance.polarity == "absent")
            and risk.aspect != assurance.aspect
            and not lists_side_effects,
            mild=not (serious or warned_off or lists_side_effects),
            indirect=indirect and not warned_off,
            # "Safe at any dose" is answered by the harms of excess; "safe" by those of use.
            for_misuse=absolute and misuse_only != any_amount,
            plain=risk.aspect not in _stressed_harms(by_sentence[other_index]),
        )
        pairs.append(_Pair(key, rule_id, assurance, risk, other_index))
    return pairs


_EFFICACY_NULL = "FINDING.CONTRADICTION.EFFICACY_NULL"
_REGULATORY_USE = "FINDING.CONTRADICTION.REGULATORY_USE"
_PROOF_LACK = "FINDING.CONTRADICTION.PROOF_LACK"
_APPROVAL_DENIAL = "FINDING.CONTRADICTION.APPROVAL_DENIAL"
_NOT_FOR_USE = "FINDING.CONTRADICTION.NOT_FOR_USE"
_LEGAL_BANNED = "FINDING.CONTRADICTION.LEGAL_BANNED"


@dataclass(frozen=True)
class _Partners:
    """The document's statements an assurance can be contradicted by, as (sentence, claim)."""

    risks: list[tuple[int, _Claim]]
    denials: list[tuple[int, _Claim]]  # a regulator's refusal
    bans: list[tuple[int, _Claim]]  # "banned in Alabama"
    # "there are no rigorous studies" and null results, by the claim sentence they answer
    lacks: dict[int, list[tuple[int, _Claim]]]
    nulls: dict[int, list[tuple[int, _Claim]]]
    # "not for human consumption", by the dose it answers
    not_for_use: dict[int, list[tuple[int, _Claim]]]


def _claims_benefit(claim: _Claim) -> bool:
    """A strong benefit claim: "cures insomnia", "works better than melatonin"."""
    if claim.label == "comparative":
        return claim.polarity == "higher" and claim.aspect == "efficacy"
    return claim.label == "efficacy" and claim.rule.get("strength") == "strong"


def _claims_proof_unhedged(sentences: _Sentences, index: int, claim: _Claim) -> bool:
    return bool(claim.rule.get("proof")) and sentences.certainty(index) in ("certain", "probable")


def _answers(null: _Claim, claim: _Claim) -> bool:
    """Whether a null result on a topic answers a benefit claim: on the same topic, or on any
    topic when the claim names none ("works better than melatonin")."""
    return null.aspect == claim.aspect or claim.aspect == "efficacy"


def _to_nearest_claim(
    sentences: _Sentences,
    ordered: list[tuple[int, list[_Claim]]],
    is_claim: Callable[[int, _Claim], bool],
    is_answer: Callable[[_Claim], bool],
    answers: Callable[[_Claim, _Claim], bool],
) -> dict[int, list[tuple[int, _Claim]]]:
    """Each answer ("did not reduce X", "there are no rigorous studies") goes to the nearest
    other sentence holding a claim it answers, so one admission gives one finding, not one per
    claim; keyed by that claim sentence. A claim on the condition the answer names ("research
    on magnesium for migraine is limited") comes before a nearer one on another, and a claim
    that research proves it ("clinically proven to double weight loss") before a plain one,
    as a null trial answers it squarely; then the earlier on a tie."""
    claims = [(i, c) for i, cs in ordered for c in cs if is_claim(i, c)]
    proofs = {i for i, cs in ordered if any(c.rule.get("proof") for c in cs)}
    by_claim: dict[int, list[tuple[int, _Claim]]] = {}
    for j, cs in ordered:
        for answer in cs:
            if not is_answer(answer):
                continue
            candidates = [i for i, claim in claims if i != j and answers(answer, claim)]
            if candidates:
                topics = sentences.topics(j)
                nearest = min(
                    candidates,
                    key=lambda i: (
                        not (topics & sentences.topics(i)),
                        i not in proofs,
                        abs(i - j),
                        i,
                    ),
                )
                by_claim.setdefault(nearest, []).append((j, answer))
    return by_claim


def _pairs_for(
    sentences: _Sentences,
    index: int,
    claims: list[_Claim],
    partners: _Partners,
    by_sentence: dict[int, list[_Claim]],
) -> list[_Pair]:
    """Every candidate contradiction for the claims of one sentence."""
    pairs: list[_Pair] = []
    risks = partners.risks
    for claim in claims:
        mode = claim.rule.get("assurance")
        if claim.label == "risk" and claim.polarity == "lower":
            # "side effects are rare" is contradicted by any serious or common harm.
            covered = side_effect_names() | aspect_names(family="harm")
            same = covered if claim.aspect == "side effects" else {claim.aspect}
            pairs += [
                _Pair(
                    _rank(index, j),
                    "FINDING.CONTRADICTION.LOW_HIGH",
                    claim,
                    risk,
                    j,
                )
                for j, risk in risks
                # "The most common side effects are mild", "rare but serious": one sentence
                # weighing frequency against severity is no contradiction.
                if risk.polarity == "higher" and risk.aspect in same and j != index
            ]
        if mode in ("absolute", "comparative"):
            pairs += _risk_pairs(sentences, index, claim, risks, by_sentence)
        if mode in ("use", "absolute") and claim.polarity == "present":
            # Use advice meets any refusal, the one to call it safe first; a claim that the
            # product is safe meets only a refusal to call it safe.
            pairs += [
                _Pair(
                    _rank(index, j, generic=True, oblique=denial.aspect != "safety"),
                    _REGULATORY_USE,
                    claim,
                    denial,
                    j,
                )
                for j, denial in partners.denials
                if mode == "use" or denial.aspect == "safety"
            ]
        if mode == "approval":
            # "reviewed by the FDA and recognized as safe" against "the FDA has not approved it".
            pairs += [
                _Pair(_rank(index, j), _APPROVAL_DENIAL, claim, denial, j)
                for j, denial in partners.denials
                if j != index
            ]
        if _claims_benefit(claim):
            # "prevents memory loss" against "the trial found it did not reduce dementia".
            pairs += [
                _Pair(_rank(index, j), _EFFICACY_NULL, claim, null, j)
                for j, null in partners.nulls.get(index, ())
                if _answers(null, claim)
            ]
        if mode == "legal":
            # "legal in all 50 states" against "banned in Alabama".
            pairs += [
                _Pair(_rank(index, j), _LEGAL_BANNED, claim, ban, j)
                for j, ban in partners.bans
                if j != index
            ]
        if claim.label == "dosage":
            # "mix 2 to 3 grams into juice" against "not for human consumption".
            pairs += [
                _Pair(_rank(index, j), _NOT_FOR_USE, claim, label, j)
                for j, label in partners.not_for_use.get(index, ())
            ]
        if _claims_proof_unhedged(sentences, index, claim):
            # "clinically proven" against "there are no rigorous clinical studies".
            pairs += [
                _Pair(_rank(index, j), _PROOF_LACK, claim, lack, j)
                for j, lack in partners.lacks.get(index, ())
            ]
    return pairs


def _describe_assurance(claim: _Claim) -> str:
    aspect, comparator = claim.aspect, claim.comparator
    rule = claim.rule
    if rule.get("proof"):
        return "Claims research has proven it"
    if rule.get("assurance") == "approval":
        return "Says a regulator approved it"
    if claim.label == "dosage":
        return "Gives a dose to take"
    if rule.get("assurance") == "legal":
        return "Says it is legal everywhere"
    if claim.label == "efficacy":
        return f"Claims it works for {aspect}"
    if rule.get("assurance") == "use":
        return "Says it can be used safely and effectively"
    if claim.polarity == "lower" and claim.label == "risk":
        return f"Calls {aspect} rare or mild"
    if claim.polarity == "lower":
        than = f" than {comparator}" if comparator else ""
        if aspect and aspect != "safety":
            return f"Claims a lower risk of {aspect}{than}"
        return f"Claims it is safer{than}"
    if claim.polarity == "absent":
        topic = "risks" if aspect in (None, "safety") else f"{aspect}"
        return f"Claims no {topic}" + (f" (unlike {comparator})" if comparator else "")
    return "Calls it safe"


def _describe_other(pair: _Pair) -> str:
    other = pair.other
    if other.label == "regulatory":
        if other.rule.get("forbids_use"):
            return "labels it not for human consumption"
        if other.rule.get("bans"):
            return "says it is banned somewhere"
        if other.aspect == "safety":
            return "says it is not approved as safe"
        return "says it is not approved"
    if other.polarity == "higher":
        return f"calls {other.aspect} serious or common"
    if other.label == "efficacy":
        return f"reports no effect on {other.aspect}"
    if other.label == "evidence_appeal":
        return "admits that good evidence is missing"
    if other.aspect == "contraindication":
        return "says some people must not take it"
    if other.aspect == "safety":
        return "says it is not safe for everyone or its safety is unknown"
    return f"states a risk of {other.aspect}"


def _contradiction(sentences: _Sentences, index: int, pair: _Pair) -> Finding:
    sent = sentences.sent(index)
    other_sent = sentences.sent(pair.other_index)
    other = pair.other
    if other.label == "regulatory":
        aspect, severity = "regulatory", "medium"
    elif other.label == "evidence_appeal":
        aspect, severity = "evidence", "medium"
    else:
        aspect = other.aspect
        info = aspect_named(aspect)
        severity = "high" if info is not None and info.serious else "medium"
    where = (
        f"in the same sentence (s{index + 1})"
        if pair.other_index == index
        else f"(s{pair.other_index + 1})"
    )
    message = (
        f"{_describe_assurance(pair.assurance)} (s{index + 1}) but {_describe_other(pair)} {where}"
        if pair.other_index != index
        else f"{_describe_assurance(pair.assurance)} but {_describe_other(pair)} {where}"
    )
    return Finding(
        kind="contradiction",
        aspect=aspect,
        severity=severity,
        rule_ids=_rule_ids(pair.rule_id, pair.assurance.rule.id, other.rule.id),
        message=message,
        sent=sent,
        cue=f"{pair.assurance.text} | {other.text}",
        certainty=sentences.certainty(index),
        related_sent=other_sent,
        related_certainty=sentences.certainty(pair.other_index),
        sent_id=index + 1,
        related_sent_id=pair.other_index + 1,
    )


def _by_assured_harm(pairs: list[_Pair]) -> list[list[_Pair]]:
    """A sentence's candidate pairs grouped by the harm each assurance names, as "free of drug
    interactions and side effects" makes two claims a reviewer checks apart; a general "safe"
    in the same sentence adds no group of its own."""
    groups: dict[str | None, list[_Pair]] = {}
    for pair in pairs:
        aspect = pair.assurance.aspect
        groups.setdefault(None if aspect == "safety" else aspect, []).append(pair)
    named = [group for aspect, group in groups.items() if aspect is not None]
    return named or list(groups.values())


def _contradictions(sentences: _Sentences, by_sentence: dict[int, list[_Claim]]) -> list[Finding]:
    ordered = sorted(by_sentence.items())
    every = [(i, c) for i, claims in ordered for c in claims]
    # "Opioids can cause respiratory depression" states the comparator's risk, not the product's.
    product = next((c.subject for _, c in every if c.label != "risk"), None)
    partners = _Partners(
        risks=[
            (i, c)
            for i, c in every
            if c.label == "risk" and (product is None or c.subject in (product, None))
        ],
        denials=[(i, c) for i, c in every if c.label == "regulatory" and c.polarity == "absent"],
        bans=[(i, c) for i, c in every if c.label == "regulatory" and c.rule.get("bans")],
        lacks=_to_nearest_claim(
            sentences,
            ordered,
            lambda i, c: _claims_proof_unhedged(sentences, i, c),
            lambda c: c.label == "evidence_appeal" and c.polarity == "absent",
            lambda lack, proof: True,
        ),
        nulls=_to_nearest_claim(
            sentences,
            ordered,
            lambda i, c: _claims_benefit(c),
            lambda c: c.label == "efficacy" and c.polarity == "absent",
            _answers,
        ),
        not_for_use=_to_nearest_claim(
            sentences,
            ordered,
            lambda i, c: c.label == "dosage",
            lambda c: bool(c.rule.get("forbids_use")),
            lambda label, dose: True,
        ),
    )
    findings = []
    reported: set[frozenset[int]] = set()
    for index, claims in ordered:
        pairs = _pairs_for(sentences, index, claims, partners, by_sentence)
        if not pairs:
            continue
        for group in _by_assured_harm(pairs):
            best = min(group, key=lambda p: p.key)
            sentence_pair = frozenset({index, best.other_index})
            if sentence_pair in reported and best.other_index != index:
                continue
            reported.add(sentence_pair)
            findings.append(_contradiction(sentences, index, best))
    return findings


def _without_balanced_safety(claims: list[_Claim]) -> list[_Claim]:
    """Drop a general "is safe" that its own sentence qualifies with a risk ("Magnesium from
    food is safe, but supplements can cause diarrhea"): the writer has already balanced it."""
    if not any(c.label == "risk" and c.polarity in ("present", "higher") for c in claims):
        return claims
    return [
        c for c in claims if not (c.rule.get("assurance") == "absolute" and c.polarity == "present")
    ]


# --- entry points ----------------------------------------------------------------------------


def find_findings(doc: Doc) -> list[Finding]:
    """Unsupported and contradiction findings of one document, in document order."""
    claims = [_Claim(c) for c in doc.spans.get(extensions.CLAIMS, ()) if c.label_ != "disclaimer"]
    if not claims:
        return []
    sentences = _Sentences(doc)
    by_sentence: dict[int, list[_Claim]] = {}
    for claim in sorted(claims, key=lambda c: (c.start_char, c.end_char)):
        by_sentence.setdefault(sentences.index(claim), []).append(claim)
    for index, sentence_claims in by_sentence.items():
        by_sentence[index] = _without_balanced_safety(sentence_claims)
    contradictions = _contradictions(sentences, by_sentence)
    self_contradicted = {f.sent_id - 1 for f in contradictions if f.related_sent_id == f.sent_id}
    findings = contradictions + _unsupported(doc, sentences, by_sentence, self_contradicted)
    return sorted(
        findings,
        key=lambda f: (f.sent.start_char, KINDS.index(f.kind), f.related_sent_id or 0),
    )


class FindingsComponent:
    """Sets ``doc._.findings``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.findings = find_findings(doc)
        return doc


@Language.factory("claimlens_findings")
def make_findings(nlp: Language, name: str) -> FindingsComponent:
    extensions.register()
    return FindingsComponent()
