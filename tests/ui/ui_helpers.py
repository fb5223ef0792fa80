"""Shared helpers for the studio's tests: fixed reports, fixture audio, waiting in a Pilot."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from rehearse.config import Settings
from rehearse.domain import (
    CheckResult,
    Delivery,
    Evidence,
    Pause,
    Question,
    RedFlag,
    Report,
    TimedPhrase,
    Word,
)
from rehearse.services import Services, build_services

REPO = Path(__file__).resolve().parents[2]
SPEECH = REPO / "fixtures" / "speech"

ANSWER = (
    "Um, in the next three years I want to lead a platform team. "
    "I admire how Acme ships carefully, so I would like to grow here."
)


def speech_file(name: str, text: str, tmp: Path) -> Path:
    """A fixture WAV; made with espeak-ng in `tmp` when the shared fixtures are absent."""
    path = SPEECH / name
    if path.exists():
        return path
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is needed to make speech fixtures")
    out = tmp / name
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(out), text], check=True)
    return out


GROWTH_TEXT = (
    "In the next few years I want to grow into a senior engineer who leads projects from start "
    "to finish. I would like to mentor newer developers and get better at designing systems "
    "that are easy to maintain."
)


def settings(**changes: object) -> Settings:
    base = Settings(prep_seconds=0.0, speak_questions=False)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def services(input_file: Path | None = None, no_tts: bool = True, **changes: object) -> Services:
    return build_services(settings(**changes), input_file=input_file, no_tts=no_tts)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def sample_report(score: int = 68, question_id: str = "career_goals", wpm: float = 148.0) -> Report:
    """A fixed report with every part the results view draws, for snapshots and review tests."""
    text = ANSWER
    words: list[Word] = []
    t = 0.4
    for token in text.split():
        words.append(Word(" " + token, round(t, 2), round(t + 0.3, 2), 0.95))
        t += 0.4 if token != "team." else 2.2
    s1, e1 = _span(text, "in the next three years")
    s2, e2 = _span(text, "I admire how Acme ships carefully")
    f1, g1 = _span(text, "Um")
    return Report(
        question_id=question_id,
        question_text="What are your career goals?",
        transcript=text,
        words=tuple(words),
        duration_s=14.0,
        delivery=Delivery(
            duration_s=14.0,
            speaking_s=12.5,
            wpm=wpm,
            wpm_band="ideal",
            fillers=(TimedPhrase("Um", f1, g1, 0.4, 0.7),),
            fillers_per_minute=4.8,
            pauses=(Pause(5.5, 7.4),),
            longest_pause_s=1.9,
            hedges=(),
            time_to_first_word_s=0.4,
        ),
        checks=(
            CheckResult(
                "timeframe",
                "Timeframe",
                "pass",
                1.0,
                (Evidence(text[s1:e1], s1, e1),),
                "You named a time horizon.",
                "",
            ),
            CheckResult(
                "company_fit",
                "Company fit",
                "partial",
                0.5,
                (Evidence(text[s2:e2], s2, e2),),
                "You named the company but not what you would do there.",
                "Say how the role moves you toward your goal.",
            ),
            CheckResult(
                "specificity",
                "Specificity",
                "miss",
                0.0,
                (),
                "No concrete skill or milestone.",
                "Name one skill you are building and how.",
            ),
        ),
        red_flags=(RedFlag("vague", "Vague goal", (), "The goal could fit any job."),),
        score=score,
        analyzer_version="test",
        word_count=len(text.split()),
    )


def question() -> Question:
    from rehearse.questions import get_question

    return get_question("career_goals")


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 60.0, step: float = 0.1
) -> None:
    """Let the app run until `condition()` holds (the workers run in threads meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await pilot.pause(step)
        await asyncio.sleep(0)
    # Let the screen that just appeared finish mounting (its Header sets its title in a task).
    await pilot.pause()
