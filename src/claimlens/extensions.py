"""The claimlens attributes on spaCy objects, registered once, in one place.

Span extension values are stored by spaCy per (start_char, end_char), so values set on a
sentence span are visible on every later ``doc.sents`` span with the same offsets.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

# Span groups written by the components.
CLAIMS = "claimlens_claims"  # label = claim type
HEDGES = "claimlens_cues"  # label = hedge | booster | negation | conditional
EVIDENCE = "claimlens_evidence"  # label = specific | vague | anecdote
BLOCKS = "claimlens_blocks"  # label = title | heading | list_item | paragraph

_DOC = {
    # Structure handed over by ingest: list of (start_char, end_char, block, paragraph).
    "cl_blocks": None,
    "findings": None,  # list[claimlens.analysis.Finding], set by claimlens_findings
}
_SPAN = {
    # sentence spans
    "block": None,
    "paragraph": None,
    "certainty": None,  # certain | probable | possible | doubtful
    "certainty_cues": None,  # list of cue texts that decided the grade
    "claim_strength": None,  # none | correlational | conditional_causal | direct_causal
    "strength_rule": None,
    # cue / claim / evidence spans
    "aspect": None,
    "polarity": None,  # present | absent | lower | higher
    "subject": None,
    "comparator": None,
}


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document: spaCy rebuilds it from every token on each
    access, which made it the single largest cost of the pipeline. The text of a ``Doc`` never
    changes after tokenisation, so caching it in ``user_data`` is safe."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Hand ``doc_text`` the string the ``Doc`` was made from (the tokenizer keeps it exactly),
    so no component ever pays for rebuilding it."""
    doc.user_data[_TEXT_KEY] = text


_TEXT_KEY = "claimlens.text"


def rule_id_of(span: Span) -> str | None:
    """``span._.rule_id`` without the cost of an Underscore (for per-span loops)."""
    return span.id_ or None


def _set_rule_id(span: Span, rule_id: str | None) -> None:
    span.id_ = rule_id or ""


def register() -> None:
    """Idempotent: safe to call from every component factory.

    ``span._.rule_id`` lives in the span's own ``id`` (kept per span inside its span group),
    not in ``doc.user_data`` by offsets like the other attributes: a hedge cue and an evidence
    cue over the same words ("clinically proven") each keep their own rule. Set it before the
    span is added to its group, or create the span with ``span_id=rule_id``.
    """
    for name, default in _DOC.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Span.has_extension("rule_id"):
        Span.set_extension("rule_id", getter=rule_id_of, setter=_set_rule_id)


register()
