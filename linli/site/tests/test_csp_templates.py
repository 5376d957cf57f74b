"""The Content-Security-Policy (linli/settings.py) allows styles from our own origin only: a style="" attribute in a
page template is silently ignored by the browser (a timetable's slots all at the left edge, a progress bar at 0).
Computed styles go into data-style="" and linli.js applies them. PDF templates are drawn by WeasyPrint, not a browser
under the policy, and may use inline styles."""

import re
from pathlib import Path

import linli

ROOT = Path(linli.__file__).parent
INLINE_STYLE = re.compile(r"""<[^>]*\sstyle\s*=""", re.S)


def test_no_page_template_has_a_style_attribute_the_policy_would_drop():
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        if "_pdf" in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        for match in INLINE_STYLE.finditer(text):
            found.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not found, "style attributes (use data-style): " + ", ".join(found)


def test_linli_js_applies_data_styles():
    script = (ROOT / "static" / "linli" / "linli.js").read_text(encoding="utf-8")
    assert "[data-style]" in script and "style.setProperty" in script


INLINE_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.S)


def test_no_page_template_has_an_inline_event_handler_the_policy_would_drop():
    """script-src 'self' drops onclick="": a print link that does nothing, a 整栋已张贴 with no confirmation.
    linli.js handles data-print and data-confirm instead."""
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in INLINE_HANDLER.finditer(text):
            found.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    assert not found, "inline event handlers (use data-print / data-confirm): " + ", ".join(found)
