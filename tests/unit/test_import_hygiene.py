"""analysis/ stays pure: no UI, audio or model imports; only rehearse.ui imports textual."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

HEAVY = ("textual", "sounddevice", "faster_whisper")


def test_analysis_imports_no_engine_or_ui() -> None:
    code = (
        "import sys\n"
        "import rehearse.analysis, rehearse.analysis.render\n"
        "import rehearse.questions, rehearse.profiles\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_only_the_ui_package_imports_textual() -> None:
    pattern = re.compile(r"^\s*(?:from|import)\s+textual\b", re.MULTILINE)
    src = REPO / "src" / "rehearse"
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
        and "ui" not in path.relative_to(src).parts[:1]
    ]
    assert offenders == []
