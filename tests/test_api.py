import pandas as pd

import claimlens
from claimlens.schema import DOCUMENT_COLUMNS, FINDING_COLUMNS, SENTENCE_COLUMNS

ARTICLE = (
    "CBD Oil for Anxiety\n"
    "CBD oil is completely safe and has no side effects. "
    "However, high doses may cause liver damage and drowsiness.\n"
)


def test_scan_texts_returns_the_three_tables():
    result = claimlens.scan_texts({"cbd": ARTICLE, "empty": "  "})
    assert list(result.documents.columns) == list(DOCUMENT_COLUMNS)
    assert list(result.sentences.columns) == list(SENTENCE_COLUMNS)
    assert list(result.findings.columns) == list(FINDING_COLUMNS)
    docs = result.documents.set_index("doc_id")
    assert docs.loc["cbd", "status"] == "ok" and docs.loc["empty", "status"] == "error"
    sents = result.sentences
    assert sents["text"].tolist()[0] == "CBD Oil for Anxiety"
    assert sents["block"].tolist()[0] in ("title", "heading")
    for row in sents.itertuples():
        assert ARTICLE[row.start_char : row.end_char] == row.text


def test_scan_frame_uses_the_id_column():
    frame = pd.DataFrame({"url_id": ["a", "b"], "body": [ARTICLE, "Vitamin D may help."]})
    result = claimlens.scan_frame(frame, text_col="body", id_col="url_id")
    assert result.documents["doc_id"].tolist() == ["a", "b"]
    assert set(result.sentences["doc_id"]) == {"a", "b"}
