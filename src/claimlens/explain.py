"""``claimlens explain``: one article in the terminal, for a quick review without a browser."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from claimlens.document import Document
from claimlens.scan import LIST_SEPARATOR, iter_results

_CLAIM_STYLE = {
    "efficacy": "on dark_green",
    "safety": "on dark_blue",
    "risk": "on dark_red",
    "comparative": "on purple4",
    "mechanism": "on grey30",
    "dosage": "on dark_cyan",
    "regulatory": "on grey23",
}
_CUE_STYLE = {"hedge_cues": "underline yellow", "booster_cues": "bold underline red"}


def _sentence_text(row: dict) -> Text:
    text = Text(row["text"])
    for kind in row["claim_types"].split(LIST_SEPARATOR):
        if kind in _CLAIM_STYLE:
            text.stylize(_CLAIM_STYLE[kind])
            break
    for column, style in _CUE_STYLE.items():
        for cue in filter(None, row[column].split(LIST_SEPARATOR)):
            text.highlight_words([cue], style)
    for cue in filter(None, row["evidence"].split(LIST_SEPARATOR)):
        text.highlight_words([cue.partition(":")[2]], "reverse green")
    return text


def explain_documents(
    documents: Iterable[Document], *, model: str | None = None, console: Console | None = None
) -> None:
    console = console or Console()
    for result in iter_results(documents, model=model):
        doc = result.document
        console.rule(f"[bold]{doc['doc_id']}[/bold]")
        if doc["status"] == "error":
            console.print(f"[red]error:[/red] {doc['error']}")
            continue
        flagged = {r["sent_id"] for r in result.findings} | {
            r["related_sent_id"] for r in result.findings
        }
        for row in result.sentences:
            marker = "[bold red]![/bold red]" if row["sent_id"] in flagged else " "
            meta = f"[dim]s{row['sent_id']} {row['block'][:4]} {row['certainty'] or '-':9}[/dim]"
            console.print(Text.from_markup(f"{marker} {meta} "), _sentence_text(row))
        console.rule("findings")
        for f in result.findings:
            related = f" ↔ s{f['related_sent_id']}" if f["related_sent_id"] != "" else ""
            console.print(  # article text is never parsed as markup
                Text.assemble(
                    (f["kind"], "bold"),
                    f" ({f['severity']}) {f['aspect']}: s{f['sent_id']}{related}  {f['message']}  ",
                    (f["rule_id"], "dim"),
                )
            )
        if not result.findings:
            console.print("no findings")
