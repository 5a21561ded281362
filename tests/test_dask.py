"""The Dask engine finds what the single-process scan finds (real LocalCluster, 2 processes)."""

import dask.dataframe as dd
import pandas as pd

import claimlens
from claimlens.dask import scan_dataframe, scan_to_parquet

from conftest import ROOT

RAW = ROOT / "data" / "raw"
KEY = ["doc_id", "kind", "aspect", "rule_id", "sent_id", "related_sent_id", "message"]


def _as_text(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in frame[columns].values)


def test_cluster_scan_of_a_folder_matches_the_local_scan(tmp_path):
    local = claimlens.scan_paths([RAW])
    documents, errors = scan_to_parquet([str(RAW)], tmp_path, workers=2)
    assert documents == len(local.documents) and errors == []
    findings = pd.read_parquet(tmp_path / "findings")
    assert len(findings) == len(local.findings) > 0
    assert _as_text(findings, KEY) == _as_text(local.findings, KEY)
    docs = pd.read_parquet(tmp_path / "documents")
    assert docs["doc_id"].tolist() == local.documents["doc_id"].tolist()
    sentences = pd.read_parquet(tmp_path / "sentences")
    assert _as_text(sentences, ["doc_id", "sent_id", "start_char", "end_char"]) == _as_text(
        local.sentences, ["doc_id", "sent_id", "start_char", "end_char"]
    )


def test_scan_dataframe_partitions_give_the_same_rows_as_scan_frame():
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    frame = pd.DataFrame({"id": [f"a{i}" for i in range(len(texts))], "text": texts})
    local = claimlens.scan_frame(frame, "text", "id")
    scan = scan_dataframe(dd.from_pandas(frame, npartitions=2), "text", "id")
    docs, sents, finds = (t.compute() for t in scan.tables())
    assert docs["doc_id"].tolist() == local.documents["doc_id"].tolist()
    assert len(sents) == len(local.sentences)
    assert _as_text(finds, KEY) == _as_text(local.findings, KEY)
