"""The auditing notebook runs headless from top to bottom, so it never rots."""

import json

import nbformat
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "audit.ipynb"


def test_notebook_is_committed_without_outputs_or_volatile_metadata():
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
        assert not cell.get("metadata", {}).get("execution")


def test_notebook_executes_and_draws_its_plots():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # per-document findings, certainty, aspects, heat strips
    text = "".join(o.get("text", "") for o in outputs)
    assert "documents" in text and "findings" in text
