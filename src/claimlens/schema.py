"""Column order of every report table (the public schema; README documents each column)."""

FINDING_KINDS = ("unsupported", "contradiction")

DOCUMENT_COLUMNS = (
    "doc_id",
    "source_path",
    "format",
    "status",
    "error",
    "note",
    "n_chars",
    "n_sentences",
    *(f"n_{kind}" for kind in FINDING_KINDS),
    "sha256",
    "title",
    "url",
)
SENTENCE_COLUMNS = (
    "doc_id",
    "sent_id",
    "start_char",
    "end_char",
    "block",
    "paragraph",
    "text",
    "claim_types",
    "aspects",
    "polarity",
    "claim_strength",
    "certainty",
    "hedge_cues",
    "booster_cues",
    "evidence",
)
FINDING_COLUMNS = (
    "finding_id",
    "doc_id",
    "source_path",
    "kind",
    "aspect",
    "severity",
    "rule_id",
    "message",
    "sent_id",
    "start_char",
    "end_char",
    "sentence",
    "related_sent_id",
    "related_start_char",
    "related_end_char",
    "related_sentence",
    "cue",
    "certainty",
    "related_certainty",
)
TEXT_COLUMNS = ("doc_id", "text")  # --emit-text: the decoded text that offsets index into
REPORT_TABLES = ("documents", "sentences", "findings")
TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "findings": FINDING_COLUMNS,
    "texts": TEXT_COLUMNS,
}
# Always non-negative integers (or empty): never a spreadsheet formula.
NUMERIC_COLUMNS = frozenset(
    {
        "n_chars",
        "n_sentences",
        *(f"n_{kind}" for kind in FINDING_KINDS),
        "sent_id",
        "start_char",
        "end_char",
        "paragraph",
        "related_sent_id",
        "related_start_char",
        "related_end_char",
    }
)
