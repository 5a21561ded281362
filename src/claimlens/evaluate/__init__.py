"""Evaluations of claimlens against gold findings and public labelled datasets."""
