"""Evaluations of claimlens against gold findings and public labelled datasets."""


def share(part: int, whole: int, empty: float) -> float:
    """``part / whole``, or ``empty`` when there is nothing to divide (e.g. recall of no gold)."""
    return part / whole if whole else empty


def f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0
