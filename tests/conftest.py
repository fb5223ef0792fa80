"""Shared fixtures: every test gets its own REHEARSE_HOME, and a way to run the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def rehearse_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep every test's config and data out of the real user dirs."""
    home = tmp_path_factory.mktemp("rehearse-home")
    monkeypatch.setenv("REHEARSE_HOME", str(home))
    return home


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(rehearse_home: Path) -> RunCli:
    """Run `python -m rehearse ARGS` as a user would, in a subprocess."""

    def run(
        *args: str, input: str | bytes | None = None, timeout: float = 180, **kwargs: object
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "REHEARSE_HOME": str(rehearse_home)}
        return subprocess.run(
            [sys.executable, "-m", "rehearse", *args],
            input=input,
            capture_output=True,
            text=not isinstance(input, bytes),
            timeout=timeout,
            env=env,
            **kwargs,  # type: ignore[arg-type]
        )

    return run


def pulse_available() -> bool:
    if shutil.which("pactl") is None:
        return False
    return subprocess.run(["pactl", "info"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def pulse() -> Iterator[str]:
    """The PulseAudio null sink; `make test` starts it, and so does this fixture if needed."""
    if not pulse_available():
        subprocess.run([str(REPO / "scripts" / "start-pulse.sh")], check=True)
    yield "rehearse_sink"
