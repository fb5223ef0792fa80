"""Pilot tests of the studio's flow, driven by audio files standing in for the microphone."""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import GROWTH_TEXT, services, speech_file, wait_for

from rehearse import locations
from rehearse.errors import RehearseError
from rehearse.speech.capture import FileSource, SourceEnd
from rehearse.ui.app import RehearseApp, StartPlan
from rehearse.ui.screens.confirm import ConfirmScreen
from rehearse.ui.screens.home import HomeScreen
from rehearse.ui.screens.practice import PracticeScreen
from rehearse.ui.widgets.meter import AnswerTimer


def studio(svc: Any, plan: StartPlan | None = None) -> RehearseApp:
    return RehearseApp(svc, plan or StartPlan("single", prep_s=0), hints_provider=None)


def practice(app: RehearseApp) -> PracticeScreen:
    screen = app.screen
    assert isinstance(screen, PracticeScreen), type(screen).__name__
    return screen


def phase_is(app: RehearseApp, *phases: str) -> bool:
    return isinstance(app.screen, PracticeScreen) and app.screen.phase in phases


@pytest.fixture
def growth_wav(tmp_path: Path) -> Path:
    return speech_file("answer_growth.wav", GROWTH_TEXT, tmp_path)


async def test_escape_cancels_after_confirmation_and_saves_nothing(growth_wav: Path) -> None:
    svc = services(growth_wav)
    app = RehearseApp(svc, StartPlan("single", prep_s=0), hints_provider=None, load_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: phase_is(app, "recording"))
        timer = practice(app).query_one(AnswerTimer)
        await wait_for(pilot, lambda: timer.elapsed_s > 0.5)
        assert timer.has_class("-recording")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # "keep going" really keeps recording
        await wait_for(pilot, lambda: timer.elapsed_s > 1.5)
        assert phase_is(app, "recording")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert svc.store().list_attempts() == []
    assert list(locations.audio_dir().glob("*")) == []


async def test_prep_countdown_runs_then_skip_key_starts_recording(growth_wav: Path) -> None:
    svc = services(growth_wav)
    app = RehearseApp(svc, StartPlan("single", prep_s=30), hints_provider=None, load_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: phase_is(app, "prep"))
        timer = practice(app).query_one(AnswerTimer)
        await wait_for(pilot, lambda: timer.elapsed_s > 0.3)
        assert "Prepare" in str(timer.render())
        assert timer.has_class("-prep")
        await pilot.press("s")
        await wait_for(pilot, lambda: phase_is(app, "recording"), timeout=5)
        # Cancel so the test does not need the model.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_missing_microphone_is_one_sentence_on_screen_and_app_lives_on() -> None:
    svc = services(None)

    def no_mic() -> Any:
        raise RehearseError("No microphone was found; plug one in, then check `rehearse devices`.")

    svc.source_factory = no_mic
    app = studio(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: phase_is(app, "failed"))
        error = str(practice(app).query_one("#error").render())
        assert "No microphone was found" in error
        await pilot.press("r")  # retry is offered and fails the same way, without a crash
        await wait_for(pilot, lambda: phase_is(app, "failed"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.is_running
    assert svc.store().list_attempts() == []


class VanishingSource:
    """A mic that delivers a second of real speech, then is unplugged."""

    description = "test microphone"

    def __init__(self, path: Path) -> None:
        self.inner = FileSource(path, realtime=False)
        self.stopped = threading.Event()

    def start(self, sink: queue.SimpleQueue[Any]) -> None:
        for block in (self.inner.audio[i : i + 1600] for i in range(0, 16000, 1600)):
            sink.put(block)
        sink.put(SourceEnd("error", "the input device disappeared"))

    def stop(self) -> None:
        self.stopped.set()


async def test_microphone_vanishing_mid_answer_keeps_the_recording(growth_wav: Path) -> None:
    svc = services(growth_wav)
    svc.source_factory = lambda: VanishingSource(growth_wav)
    app = RehearseApp(svc, StartPlan("single", prep_s=0), hints_provider=None, load_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: phase_is(app, "failed"))
        error = str(practice(app).query_one("#error").render())
        assert "the input device disappeared" in error
        assert "history recover" in error
        assert app.is_running
    [kept] = svc.store().list_attempts()
    assert kept.status == "interrupted"
    attempt = svc.store().get_attempt(kept.id)
    assert attempt.audio_path is not None and attempt.audio_path.stat().st_size > 30_000
    assert attempt.duration_s == pytest.approx(1.0, abs=0.05)


class BrokenTranscriber:
    def load(self) -> None:
        pass

    def transcribe(self, audio: Any, **kwargs: Any) -> Any:
        raise RuntimeError("CTranslate2 ran out of memory")


async def test_engine_failing_after_recording_keeps_audio_and_says_so(growth_wav: Path) -> None:
    svc = services(growth_wav)
    svc.transcriber = BrokenTranscriber()
    app = RehearseApp(svc, StartPlan("single", prep_s=0), hints_provider=None, load_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: phase_is(app, "recording"))
        await wait_for(pilot, lambda: practice(app).query_one(AnswerTimer).elapsed_s > 1.0)
        await pilot.press("space")  # stop early
        await wait_for(pilot, lambda: phase_is(app, "failed"))
        assert "ran out of memory" in str(practice(app).query_one("#error").render())
    [kept] = svc.store().list_attempts()
    assert kept.status == "interrupted"
    assert 0.8 < (kept.duration_s or 0) < 5.0  # space stopped it well before the file ended
    assert svc.store().get_attempt(kept.id).audio_path.exists()  # type: ignore[union-attr]
