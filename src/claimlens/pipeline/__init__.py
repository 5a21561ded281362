"""Build the claimlens spaCy pipeline."""

from __future__ import annotations

import importlib

import spacy
from spacy.language import Language

from claimlens import extensions

# Order matters: sentences first; cues before the claims and findings that read them.
COMPONENTS = (
    "claimlens_segmenter",
    "claimlens_abbreviations",
    "claimlens_hedges",
    "claimlens_strength",
    "claimlens_evidence",
    "claimlens_claims",
    "claimlens_findings",
)


SEGMENTATION_ONLY = ("claimlens_segmenter",)

# Where each factory is registered: imported on demand, so the pipeline also builds from a
# source checkout without installed entry points.
FACTORY_MODULES = {
    "claimlens_segmenter": "claimlens.pipeline.segmenter",
    "claimlens_abbreviations": "claimlens.pipeline.abbreviations",
    "claimlens_hedges": "claimlens.pipeline.hedges",
    "claimlens_strength": "claimlens.pipeline.strength",
    "claimlens_evidence": "claimlens.pipeline.evidence",
    "claimlens_claims": "claimlens.pipeline.claims",
    "claimlens_findings": "claimlens.analysis",
}


def build_pipeline(model: str | None = None, components: tuple[str, ...] = COMPONENTS) -> Language:
    """``spacy.blank("en")`` plus the claimlens components, or an installed ``model``.

    With a model, its own parser/senter is disabled for sentence boundaries: claimlens's
    structure-aware segmenter runs first and the model's other components keep working.
    """
    extensions.register()
    for name in components:
        importlib.import_module(FACTORY_MODULES[name])
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
