"""Fast access to sentences and span attributes, shared by the components.

Creating a ``Span`` and an ``Underscore`` per sentence, or calling ``doc.char_span`` per cue,
cost more than some components' own work; these helpers do the same from token arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span


def expanded_token_ranges(
    token_offsets: np.ndarray,
    token_lengths: np.ndarray,
    starts: Sequence[int],
    ends: Sequence[int],
) -> tuple[np.ndarray, np.ndarray]:
    """Token ``(first, end)`` arrays of ``doc.char_span(start, end, alignment_mode="expand")``
    for many non-empty character ranges at once; ``doc.char_span`` costs microseconds per call.

    Every character of a ``Doc`` belongs to the token it follows (tokens cover the text), and a
    range starting in the trailing space of a token begins with the next token, as spaCy does.
    """
    starts = np.asarray(starts, dtype=np.int64)
    first = np.searchsorted(token_offsets, starts, side="right") - 1
    first += starts == token_offsets[first] + token_lengths[first]
    end = np.searchsorted(token_offsets, np.asarray(ends, dtype=np.int64) - 1, side="right")
    return first, end


def sentence_offsets_from(
    sent_start: np.ndarray, token_offsets: np.ndarray, token_lengths: np.ndarray
) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every span of ``hedges.sentence_spans`` for a non-empty doc,
    from its SENT_START, IDX and LENGTH columns: creating a ``Span`` per sentence cost more
    than some components' own work."""
    starts = np.flatnonzero(sent_start == 1)
    if not len(starts) or starts[0] != 0:
        starts = np.insert(starts, 0, 0)
    last = np.append(starts[1:], len(sent_start)) - 1
    start_chars = token_offsets[starts].tolist()
    end_chars = (token_offsets[last] + token_lengths[last]).tolist()
    return list(zip(start_chars, end_chars, strict=True))


def store_span_values(
    doc: Doc, name: str, spans: Sequence[tuple[int, int]], values: Sequence[object]
) -> None:
    """Set ``span._.<name>`` for the spans with the given ``(start_char, end_char)``, without
    building a ``Span`` and an ``Underscore`` per span (about 2 µs per sentence each).

    spaCy's ``Underscore`` keeps a Span extension that has a plain default (no getter, setter or
    method, as all of ``claimlens.extensions``) in ``doc.user_data`` under
    ``("._.", name, start_char, end_char)``; this writes the same entries, so ``span._.<name>``
    reads them back on any span with those offsets.
    """
    _require_plain(name)
    entries = zip(spans, values, strict=True)
    doc.user_data.update((("._.", name, start, end), value) for (start, end), value in entries)


def span_value(doc: Doc, name: str, start_char: int, end_char: int) -> object:
    """``span._.<name>`` of the span with these offsets, read where ``store_span_values`` (and
    spaCy) keep it, without building an ``Underscore``."""
    _require_plain(name)
    return doc.user_data.get(("._.", name, start_char, end_char), Span.get_extension(name)[0])


def _require_plain(name: str) -> None:
    _, method, getter, setter = Span.get_extension(name)
    if method or getter or setter:
        raise ValueError(f"span extension {name!r} is not a plain attribute")


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of every sentence, as ``doc.sents`` gives them."""
    if len(doc) == 0:
        return []
    sent_start, token_offsets, token_lengths = (
        doc.to_array([SENT_START, IDX, LENGTH]).astype(np.int64).T
    )
    return sentence_offsets_from(sent_start, token_offsets, token_lengths)
