"""Build the claimlens spaCy pipeline."""

from __future__ import annotations

import spacy
from spacy.language import Language

from claimlens import extensions

# Order matters: sentences first; cues before the claims and findings that read them.
COMPONENTS = (
    "claimlens_segmenter",
    "abbreviation_detector",
    "claimlens_hedges",
    "claimlens_strength",
    "claimlens_evidence",
    "claimlens_claims",
    "claimlens_findings",
)


def _import_factories() -> None:
    """Register the factories even when the package is not installed with entry points."""
    import scispacy.abbreviation  # noqa: F401

    from claimlens import analysis  # noqa: F401
    from claimlens.pipeline import claims, evidence, hedges, segmenter, strength  # noqa: F401


def build_pipeline(model: str | None = None, components: tuple[str, ...] = COMPONENTS) -> Language:
    """``spacy.blank("en")`` plus the claimlens components, or an installed ``model``.

    With a model, its own parser/senter is disabled for sentence boundaries: claimlens's
    structure-aware segmenter runs first and the model's other components keep working.
    """
    extensions.register()
    _import_factories()
    if model:
        nlp = spacy.load(model, exclude=["senter"])
        first = nlp.pipe_names[0] if nlp.pipe_names else None
    else:
        nlp = spacy.blank("en")
        first = None
    for name in components:
        if name in nlp.pipe_names:
            continue
        if name == "claimlens_segmenter" and first:
            nlp.add_pipe(name, before=first)
        else:
            nlp.add_pipe(name)
    return nlp
