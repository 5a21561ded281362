"""A self-contained HTML report for reviewers: no network, CSS and JS inlined.

Article text is untrusted input: every piece of it passes through :func:`html.escape` and
nothing from it is ever placed in a URL, an event handler or a script.
"""

from __future__ import annotations

import html
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from claimlens.report import FORMATS, restore_formula
from claimlens.scan import LIST_SEPARATOR
from claimlens.schema import REPORT_TABLES

SEVERITIES = ("high", "medium", "low")

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:12px 24px}
main{padding:16px 24px}
table{border-collapse:collapse;background:#fff;margin-bottom:24px}
th,td{border:1px solid #d8dce3;padding:4px 8px;text-align:left}
th{cursor:pointer;background:#eceff4;user-select:none}
.filters{margin:12px 0;display:flex;gap:16px;align-items:center}
section.doc{background:#fff;border:1px solid #d8dce3;margin:16px 0;padding:12px 16px}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:24px}
.article p{margin:0 0 10px}
.article .heading,.article .title{font-weight:600;font-size:1.05em}
.s{border-radius:3px;padding:1px 0}
.s:target{outline:3px solid #f0a202;background:#fff3cd}
.c-efficacy{background:#e3f2e1}.c-safety{background:#e1ecf7}.c-risk{background:#fbe3e1}
.c-comparative{background:#efe3f7}.c-mechanism{background:#f7f1de}.c-dosage{background:#e0f4f4}
.c-regulatory{background:#ececec}
u.hedge{text-decoration:underline wavy #c77700}u.booster{text-decoration:underline double #b00020}
mark.ev-specific{background:#c8f0c8}mark.ev-vague,mark.ev-anecdote{background:#ffe08a}
.finding{border-left:4px solid #999;padding:6px 10px;margin:0 0 10px;background:#fafbfc}
.finding.high{border-color:#b00020}.finding.medium{border-color:#e08a00}
.finding.low{border-color:#6c8ebf}
.badge{font-size:.8em;padding:1px 6px;border-radius:8px;background:#eceff4;margin-right:4px}
.jump{font-size:.8em;margin-left:4px}
.hidden{display:none}
"""

_JS = """
function applyFilters(){
  const want={kind:document.getElementById('f-kind').value,
    severity:document.getElementById('f-severity').value,
    aspect:document.getElementById('f-aspect').value};
  let shown=0;
  document.querySelectorAll('.finding').forEach(function(el){
    const ok=Object.keys(want).every(function(k){return !want[k]||el.dataset[k]===want[k];});
    el.classList.toggle('hidden',!ok); if(ok){shown++;}
  });
  document.getElementById('shown').textContent=shown;
}
function sortBy(th){
  const table=th.closest('table'), body=table.tBodies[0];
  const col=Array.prototype.indexOf.call(th.parentNode.children,th);
  const asc=th.dataset.asc!=='1'; th.dataset.asc=asc?'1':'0';
  const rows=Array.from(body.rows);
  rows.sort(function(a,b){
    const x=a.cells[col].dataset.v, y=b.cells[col].dataset.v;
    const nx=parseFloat(x), ny=parseFloat(y);
    const r=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny; return asc?r:-r;});
  rows.forEach(function(r){body.appendChild(r);});
}
document.querySelectorAll('.filters select').forEach(function(s){
  s.addEventListener('change',applyFilters);});
document.querySelectorAll('th').forEach(function(th){
  th.addEventListener('click',function(){sortBy(th);});});
applyFilters();
"""


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _split(cell: str) -> list[str]:
    return [v for v in (cell or "").split(LIST_SEPARATOR) if v]


def _highlight(text: str, marks: Iterable[tuple[str, str, str]]) -> str:
    """Escape ``text`` and wrap each first occurrence of a cue in its tag; overlapping cues
    keep the longest."""
    spans: list[tuple[int, int, str, str]] = []
    for cue, tag, cls in sorted(marks, key=lambda m: -len(m[0])):
        start = text.find(cue)
        if not cue or start < 0:
            continue
        end = start + len(cue)
        if all(end <= s or start >= e for s, e, _, _ in spans):
            spans.append((start, end, tag, cls))
    out, pos = [], 0
    for start, end, tag, cls in sorted(spans):
        out.append(_esc(text[pos:start]))
        out.append(f'<{tag} class="{cls}">{_esc(text[start:end])}</{tag}>')
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _sentence_html(row: dict, anchor: str, jumps: list[tuple[str, str]]) -> str:
    marks = [(c, "u", "hedge") for c in _split(row["hedge_cues"])]
    marks += [(c, "u", "booster") for c in _split(row["booster_cues"])]
    for cue in _split(row["evidence"]):
        label, _, text = cue.partition(":")
        marks.append((text, "mark", f"ev-{label}"))
    classes = " ".join(f"c-{t}" for t in _split(row["claim_types"]))
    title = _esc(
        f"s{row['sent_id']} · certainty {row['certainty'] or '-'} · "
        f"strength {row['claim_strength'] or '-'} · claims {row['claim_types'] or '-'}"
    )
    links = "".join(f'<a class="jump" href="#{a}">{_esc(label)}</a>' for a, label in jumps)
    body = _highlight(row["text"], marks)
    return f'<span class="s {classes}" id="{anchor}" title="{title}">{body}</span>{links} '


def _document_html(index: int, doc: dict, sentences: list[dict], findings: list[dict]) -> str:
    def anchor(sent_id: object) -> str:
        return f"d{index}-s{sent_id}"

    jumps: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n, f in enumerate(findings):
        jumps[str(f["sent_id"])].append((f"d{index}-f{n}", f"[{f['kind']}]"))
        related = str(f["related_sent_id"])
        if f["kind"] == "contradiction" and related and related != str(f["sent_id"]):
            jumps[str(f["sent_id"])].append((anchor(related), f"↔ s{related}"))
            jumps[related].append((anchor(f["sent_id"]), f"↔ s{f['sent_id']}"))
    paragraphs: dict[int, list[str]] = {}
    blocks: dict[int, str] = {}
    for row in sentences:
        para = int(row["paragraph"] or 0)
        blocks.setdefault(para, row["block"])
        paragraphs.setdefault(para, []).append(
            _sentence_html(row, anchor(row["sent_id"]), jumps.get(str(row["sent_id"]), []))
        )
    article = "".join(
        f'<p class="{_esc(blocks[p])}">{"".join(parts)}</p>' for p, parts in paragraphs.items()
    )
    cards = []
    for n, f in enumerate(findings):
        links = f'<a href="#{anchor(f["sent_id"])}">s{_esc(f["sent_id"])}</a>'
        if f["related_sent_id"] not in ("", None):
            links += (
                f' ↔ <a href="#{anchor(f["related_sent_id"])}">s{_esc(f["related_sent_id"])}</a>'
            )
        cards.append(
            f'<div class="finding {_esc(f["severity"])}" id="d{index}-f{n}" '
            f'data-kind="{_esc(f["kind"])}" data-severity="{_esc(f["severity"])}" '
            f'data-aspect="{_esc(f["aspect"])}">'
            f'<span class="badge">{_esc(f["kind"])}</span><span class="badge">'
            f'{_esc(f["severity"])}</span><span class="badge">{_esc(f["aspect"])}</span> {links}'
            f"<div>{_esc(f['message'])}</div>"
            f"<details><summary>rules</summary>{_esc(f['rule_id'])} · cue: {_esc(f['cue'])} · "
            f"certainty {_esc(f['certainty'])} / {_esc(f['related_certainty'])}</details></div>"
        )
    error = f'<p class="error">error: {_esc(doc["error"])}</p>' if doc["status"] == "error" else ""
    return (
        f'<section class="doc" id="d{index}"><h2>{_esc(doc["doc_id"])}</h2>{error}'
        f'<div class="cols"><div class="article">{article}</div>'
        f'<div class="findings">{"".join(cards) or "<p>No findings.</p>"}</div></div></section>'
    )


def render_html(documents: pd.DataFrame, sentences: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The whole report as one HTML string."""
    sents_by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in sentences.to_dict("records"):
        sents_by_doc[str(row["doc_id"])].append(row)
    finds_by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in findings.to_dict("records"):
        finds_by_doc[str(row["doc_id"])].append(row)
    index_rows, sections = [], []
    for i, doc in enumerate(documents.to_dict("records")):
        doc_id = str(doc["doc_id"])
        found = finds_by_doc.get(doc_id, [])
        counts = [sum(f["kind"] == k for f in found) for k in ("unsupported", "contradiction")]
        counts += [sum(f["severity"] == s for f in found) for s in SEVERITIES]
        cells = [f'<td data-v="{_esc(doc_id)}"><a href="#d{i}">{_esc(doc_id)}</a></td>']
        cells.append(f'<td data-v="{_esc(doc["status"])}">{_esc(doc["status"])}</td>')
        cells += [f'<td data-v="{n}">{n}</td>' for n in counts]
        index_rows.append(f"<tr>{''.join(cells)}</tr>")
        sections.append(_document_html(i, doc, sents_by_doc.get(doc_id, []), found))

    def options(values: Iterable[str]) -> str:
        return '<option value="">all</option>' + "".join(
            f'<option value="{_esc(v)}">{_esc(v)}</option>' for v in sorted(set(values)) if v
        )

    filters = (
        '<div class="filters">'
        f'<label>kind <select id="f-kind">{options(findings["kind"])}</select></label>'
        f'<label>severity <select id="f-severity">{options(findings["severity"])}</select></label>'
        f'<label>aspect <select id="f-aspect">{options(findings["aspect"])}</select></label>'
        '<span><span id="shown"></span> findings shown</span></div>'
    )
    head = "".join(
        f"<th>{h}</th>" for h in ("document", "status", "unsupported", "contradiction", *SEVERITIES)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>claimlens report</title><style>{_CSS}</style></head><body>"
        f"<header><h1>claimlens report</h1>{len(documents)} documents, {len(findings)} findings"
        f'</header><main>{filters}<table id="index"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(index_rows)}</tbody></table>{''.join(sections)}</main>"
        f"<script>{_JS}</script></body></html>"
    )


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """The report tables written by ``claimlens scan`` in any format, cells as strings."""
    for fmt in FORMATS:
        paths = {t: out_dir / f"{t}.{fmt}" for t in REPORT_TABLES}
        if all(p.exists() for p in paths.values()):
            break
    else:
        raise FileNotFoundError(
            f"no complete claimlens report (documents, sentences, findings) in {out_dir}"
        )
    if fmt == "csv":
        tables = {
            t: pd.read_csv(p, dtype=str, keep_default_na=False).map(restore_formula)
            for t, p in paths.items()
        }
    elif fmt == "jsonl":
        tables = {t: pd.read_json(p, lines=True, dtype=False) for t, p in paths.items()}
    else:
        tables = {t: pd.read_parquet(p) for t, p in paths.items()}
    return {t: frame.fillna("").astype(str) for t, frame in tables.items()}


def write_html_report(out_dir: Path) -> Path:
    """Render ``out_dir``'s tables to ``out_dir/report.html`` (atomically)."""
    tables = read_tables(out_dir)
    text = render_html(tables["documents"], tables["sentences"], tables["findings"])
    target = out_dir / "report.html"
    tmp = out_dir / f".report.html.tmp-{os.getpid()}"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target
