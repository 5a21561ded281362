"""A folder of good articles mixed with every kind of broken input a scan must survive.

Self-contained (standard library only) so end-to-end tests can build it anywhere:
``make_bad_input_folder(tmp_path)`` returns ``{relative file name: "ok" | "error"}`` for every
file a scan with the default options (``max_doc_chars=5_000_000``) must produce Documents for.
Multi-record files are "error" when one of their rows is: in ``one_broken_line.jsonl`` only row
3 is broken and in ``ragged.csv`` only row 2, every other row is "ok".
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

HUGE_FILE_BYTES = 50 * 1024 * 1024

GOOD_TEXT = """Vitamin D and winter fatigue

Vitamin D is made in the skin when it is exposed to sunlight, so levels often fall in winter.
A 2020 randomised trial of 2,000 adults found no effect of supplements on tiredness.
Some people report feeling more energetic after taking it, but this may be a placebo effect.

What to consider
- Ask a doctor to test your level before taking high doses.
- Doses above 4,000 IU a day can cause side effects.
"""

GOOD_MARKDOWN = """# Green tea extract: what the evidence says

Green tea extract is sold as a weight-loss aid. Reviews of trials found at most a small effect,
and several cases of liver injury have been linked to concentrated extracts.

## Safety

* Do not take it on an empty stomach.
* Stop and see a doctor if you notice yellow skin or dark urine.
"""

GOOD_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Turmeric for joint pain | Example Health</title>
<script>window.analytics = {track: function () {}};</script>
<style>body { font-family: sans-serif; }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop supplements</a></li></ul></nav>
<article>
<h1>Turmeric for joint pain</h1>
<p>Turmeric is a yellow spice whose main active compound, curcumin, has been studied for
osteoarthritis. Small trials suggest it may ease knee pain about as much as ibuprofen, but most
of them were short and funded by manufacturers.</p>
<h2>How people take it</h2>
<ul>
<li>Capsules of standardised curcumin extract, usually 500 mg twice a day.</li>
<li>Ground turmeric in food, which delivers far less curcumin.</li>
</ul>
<p>Curcumin is poorly absorbed, so many products add black pepper extract to raise blood
levels. High doses can upset the stomach and may interact with blood thinners.</p>
</article>
<footer><p>Copyright Example Health. All rights reserved. Subscribe to our newsletter.</p></footer>
</body></html>
"""

LATIN1_TEXT = "Le curcuma réduit-il la douleur? Une étude à Genève dit «peut-être», rien de sûr.\n"

MALFORMED_HTML = (
    "<html><head><title>Detox teas</title><body><h2>Do detox teas work?<p>Detox teas often "
    "contain laxatives <b>such as senna<p>They cause water loss, not fat loss<ul><li>Cramps"
    "<li>Dehydration</ul><div>Unclosed <i>tags everywhere"
)


def _png_bytes() -> bytes:
    """A real 1x1 PNG image, built here so the folder needs no binary fixtures."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _write_huge(path: Path) -> None:
    line = b"Kratom is said to cure everything, according to many people online.\n"
    block = line * (1024 * 1024 // len(line) + 1)
    with path.open("wb") as handle:
        remaining = HUGE_FILE_BYTES
        while remaining:
            piece = block[: min(remaining, len(block))]
            handle.write(piece)
            remaining -= len(piece)


def _readable(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except PermissionError:
        return False
    return True


def make_bad_input_folder(root: Path) -> dict[str, str]:
    """Write the mixed folder under ``root`` (a new folder) and return ``{file name: status}``.

    ``unreadable.txt`` has mode 000; when the current user can still read it (root without
    dropped privileges), it holds a good article and is expected to be "ok".
    """
    root.mkdir(parents=True, exist_ok=True)
    articles = root / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "vitamin_d.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (articles / "green_tea.md").write_text(GOOD_MARKDOWN, encoding="utf-8")
    (articles / "turmeric.html").write_text(GOOD_HTML, encoding="utf-8")
    (root / "photo.png").write_bytes(_png_bytes())  # unsupported suffix: skipped silently
    (root / "binary.txt").write_bytes(_png_bytes())
    (root / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (root / "empty.txt").write_bytes(b"")
    (root / "whitespace.txt").write_text(" \n\t\r\n   \n", encoding="utf-8")
    _write_huge(root / "huge.txt")
    (root / "malformed.html").write_text(MALFORMED_HTML, encoding="utf-8")
    (root / "no_text_column.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "one_broken_line.jsonl").write_text(
        '{"text": "Milk thistle is said to protect the liver."}\n'
        '{"text": "CBD oil may help some people sleep.", "url": "https://example.org/cbd"}\n'
        '{"text": "Broken line without a closing brace"\n'
        '{"text": "Echinacea did not prevent colds in a large trial."}\n',
        encoding="utf-8",
    )
    (root / "ragged.csv").write_text(
        "title,text\n"
        "Zinc,Zinc lozenges may shorten colds by a day.\n"
        "Broken,row,with,too,many,fields\n"
        'Iron,"Too much iron is harmful, especially for children."\n',
        encoding="utf-8",
    )
    (root / "invalid.jsonl.gz").write_bytes(b'{"text": "this was never compressed"}\n')
    unreadable = root / "unreadable.txt"
    unreadable.write_text(GOOD_TEXT, encoding="utf-8")
    unreadable.chmod(0)
    os.symlink("symlink_loop.txt", root / "symlink_loop.txt")
    return {
        "articles/green_tea.md": "ok",
        "articles/turmeric.html": "ok",
        "articles/vitamin_d.txt": "ok",
        "binary.txt": "error",
        "empty.txt": "error",
        "huge.txt": "error",
        "invalid.jsonl.gz": "error",
        "latin1.txt": "ok",
        "malformed.html": "ok",
        "no_text_column.csv": "error",
        "one_broken_line.jsonl": "error",
        "ragged.csv": "error",
        "symlink_loop.txt": "error",
        "unreadable.txt": "ok" if _readable(unreadable) else "error",
        "whitespace.txt": "error",
    }
