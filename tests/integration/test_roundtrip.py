"""Round trips with no fakes: the interviewer's voice and a speaker into the null sink, heard back
by the real Whisper model."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES
from rehearse.questions import family
from rehearse.speech.capture import MicrophoneSource, Recorder
from rehearse.speech.transcribe import Transcriber
from rehearse.speech.tts import Speaker, load_presets

pytestmark = pytest.mark.model

_spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
assert _spec and _spec.loader
fx = importlib.util.module_from_spec(_spec)
sys.modules["make_fixtures"] = fx
_spec.loader.exec_module(fx)

QUESTIONS = [q.text for q in family("career_goals")]


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    t = Transcriber()
    t.load()
    return t


@pytest.mark.parametrize("preset_name", sorted(load_presets()))
def test_the_voice_renders_questions_that_transcribe_back(
    transcriber: Transcriber, tmp_path: Path, preset_name: str
) -> None:
    # The whole career-goals family, scored as one corpus: tiny.en mishears single short
    # questions now and then (neutral's "What are your career goals?" -> "Well, tell your
    # career goals."), and one two-word slip in five words is not what this test is about.
    speaker = Speaker(load_presets()[preset_name])
    heard: list[str] = []
    try:
        for i, question in enumerate(QUESTIONS):
            wav = speaker.save_wav(question, tmp_path / f"q{i}.wav")
            heard.append(transcriber.transcribe(wav).text)
    finally:
        speaker.close()
    wer = fx.wer(" ".join(QUESTIONS), " ".join(heard))
    assert wer <= 0.15, f"WER {wer:.3f}: {heard}"


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.05)


@pytest.mark.audio
def test_what_paplay_plays_is_recorded_and_transcribed(
    pulse: str, transcriber: Transcriber, tmp_path: Path
) -> None:
    clip = next(c for c in fx.load_manifest() if c.file == "answer_growth.wav")
    out = tmp_path / "heard.wav"
    recorder = Recorder(MicrophoneSource(None), out, max_seconds=40)
    recorder.start()
    # An idle null-sink monitor sends its first block only after a second or two.
    _wait_until(lambda: recorder.elapsed_s > 0.3, timeout=10)
    subprocess.run(["paplay", "--device", pulse, str(clip.path)], check=True, timeout=40)
    time.sleep(0.5)
    recorder.stop()
    recording = recorder.wait(timeout=10)
    assert recording.error is None
    assert recording.duration_s >= 11.0

    result = transcriber.transcribe(out)
    assert fx.wer(clip.text, result.text) <= 0.15, result.text
    # The words sit where the speech was in the recording, after the lead-in silence.
    assert result.words[-1].end <= recording.duration_s
