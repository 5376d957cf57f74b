"""Breadcrumbs: linli.css puts the “›” between the items of `.breadcrumbs`, so a template that writes its own shows
it twice (工作报告 › › 青和居社区2026年12月工作报告)."""

import re
from pathlib import Path

import linli

TRAIL = re.compile(r'<(?:div|nav)[^>]*class="breadcrumbs"[^>]*>(.*?)</(?:div|nav)>', re.S)


def test_no_template_writes_its_own_separator_between_breadcrumbs():
    written = []
    for path in Path(linli.__file__).parent.rglob("templates/**/*.html"):
        for trail in TRAIL.findall(path.read_text(encoding="utf-8")):
            if "›" in trail:
                written.append(str(path))
    assert written == []
