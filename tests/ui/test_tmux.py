"""`rehearse practice` in a real terminal (tmux), as a person would run it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_helpers import GROWTH_TEXT, speech_file

from conftest import RunCli

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux() -> Iterator[list[str]]:
    """A private tmux server, so the test never touches anyone's sessions."""
    base = ["tmux", "-L", f"rehearse-test-{os.getpid()}"]
    yield base
    subprocess.run([*base, "kill-server"], capture_output=True)


def screen(tmux: list[str]) -> str:
    out = subprocess.run([*tmux, "capture-pane", "-p", "-t", "studio"], capture_output=True)
    return out.stdout.decode(errors="replace")


def wait_screen(tmux: list[str], needle: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = screen(tmux)
        if needle in text:
            return text
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen(tmux)}")


def test_practice_with_input_file_reaches_results_and_saves(
    tmux: list[str], tmp_path: Path, rehearse_home: Path, run_cli: RunCli
) -> None:
    wav = speech_file("answer_growth.wav", GROWTH_TEXT, tmp_path)
    command = shlex.join(
        [
            "env",
            f"REHEARSE_HOME={rehearse_home}",
            "TERM=xterm-256color",
            sys.executable,
            "-m",
            "rehearse",
            "practice",
            "--input-file",
            str(wav),
            "--prep",
            "0",
            "--no-tts",
        ]
    )
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "studio", "-x", "100", "-y", "30", command], check=True
    )
    wait_screen(tmux, "RECORDING", timeout=30)
    results = wait_screen(tmux, "/100", timeout=180)
    assert "Score" in results
    assert "Delivery" in results
    assert "wpm" in results
    subprocess.run([*tmux, "send-keys", "-t", "studio", "Escape"], check=True)
    wait_screen(tmux, "Practice one question", timeout=10)
    subprocess.run([*tmux, "send-keys", "-t", "studio", "q"], check=True)
    deadline = time.monotonic() + 10
    while (
        subprocess.run([*tmux, "has-session", "-t", "studio"], capture_output=True).returncode == 0
    ):
        assert time.monotonic() < deadline, "the studio did not quit on q"
        time.sleep(0.2)

    listed = run_cli("history", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert row["question"] == "career_goals"
    assert 0 <= row["score"] <= 100
    assert row["duration_s"] == pytest.approx(11.9, abs=1.0)
