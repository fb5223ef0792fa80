"""The real tiny.en model on real speech: espeak-ng fixtures, JFK, silence, and the CLI."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from conftest import FIXTURES, SHARED, RunCli
from rehearse.speech.transcribe import NO_SPEECH_NOTE, Transcriber, load_audio

pytestmark = pytest.mark.model


def _fixtures_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module
    spec.loader.exec_module(module)
    return module


fx = _fixtures_module()
SPEECH = [c for c in fx.load_manifest() if c.kind != "silence"]


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    t = Transcriber()
    t.load()
    return t


@pytest.mark.parametrize("clip", SPEECH, ids=[c.file for c in SPEECH])
def test_each_fixture_transcribes_within_wer_015(
    transcriber: Transcriber, clip: object, record_property: pytest.RecordProperty
) -> None:
    result = transcriber.transcribe(clip.path)  # type: ignore[attr-defined]
    wer = fx.wer(clip.text, result.text)  # type: ignore[attr-defined]
    record_property("wer", round(wer, 3))
    assert wer <= 0.15, f"WER {wer:.3f}: {result.text!r}"
    assert result.note == ""


def test_jfk_transcribes_close_to_its_text(transcriber: Transcriber) -> None:
    result = transcriber.transcribe(SHARED / "audio" / "jfk.flac")
    reference = (SHARED / "audio" / "jfk.txt").read_text()
    assert fx.wer(reference, result.text) <= 0.1, result.text
    assert result.model == "tiny.en"
    assert 10.5 < result.duration_s < 11.5


def test_silence_gives_an_empty_transcript_with_a_note(transcriber: Transcriber) -> None:
    result = transcriber.transcribe(FIXTURES / "speech" / "silence.wav")
    assert result.text == ""
    assert result.words == []
    assert result.note == NO_SPEECH_NOTE


def test_word_timestamps_are_monotonic_and_inside_the_audio(transcriber: Transcriber) -> None:
    result = transcriber.transcribe(FIXTURES / "speech" / "answer_long.wav")
    assert 60 <= result.duration_s <= 90
    assert len(result.words) > 150
    previous_end = 0.0
    for w in result.words:
        assert previous_end - 0.01 <= w.start <= w.end <= result.duration_s
        assert 0.0 <= w.probability <= 1.0
        assert w.word == w.word.strip() and w.word
        previous_end = w.end
    # The words span the answer, not just its start.
    assert result.words[-1].end > result.duration_s - 5


def test_samples_and_offset_place_words_on_a_longer_timeline(transcriber: Transcriber) -> None:
    path = FIXTURES / "speech" / "q_five_years.wav"
    from_file = transcriber.transcribe(path)
    shifted = transcriber.transcribe(load_audio(path), offset_s=30.0)
    assert shifted.text == from_file.text
    assert [w.word for w in shifted.words] == [w.word for w in from_file.words]
    for a, b in zip(from_file.words, shifted.words, strict=True):
        assert b.start == pytest.approx(a.start + 30.0)
        assert b.end == pytest.approx(a.end + 30.0)
    assert shifted.segments[0].start == pytest.approx(from_file.segments[0].start + 30.0)


def test_cancel_stops_between_segments(transcriber: Transcriber) -> None:
    path = FIXTURES / "speech" / "answer_long.wav"
    full = transcriber.transcribe(path)
    cancel = threading.Event()
    cancel.set()
    partial = transcriber.transcribe(path, cancel=cancel)
    assert partial.note == "cancelled"
    assert 1 == len(partial.segments) < len(full.segments)
    assert full.text.startswith(partial.text)


def test_the_model_loads_once_per_process_across_threads() -> None:
    models: list[object] = []
    threads = [
        threading.Thread(target=lambda: models.append(Transcriber().load())) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(models) == 4
    assert all(m is models[0] for m in models)


def test_the_filler_prompt_keeps_fillers_that_no_prompt_drops(transcriber: Transcriber) -> None:
    path = FIXTURES / "speech" / "filler_goals.wav"

    def fillers(text: str) -> int:
        return sum(w in {"um", "umm", "uh", "uhh"} for w in fx.normalise(text).split())

    assert fillers(transcriber.transcribe(path).text) > fillers(
        transcriber.transcribe(path, prompt="").text
    )


# The CLI, as a user runs it.


def test_cli_json_has_the_documented_keys(run_cli: RunCli) -> None:
    out = run_cli("transcribe", "--format", "json", str(FIXTURES / "speech" / "q_why_here.wav"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"text", "duration_s", "words", "model"}
    assert data["model"] == "tiny.en"
    assert fx.wer("Why do you want to work here?", data["text"]) <= 0.2
    assert 1.5 < data["duration_s"] < 3
    assert data["words"] and set(data["words"][0]) == {"word", "start", "end", "probability"}


def test_cli_text_prints_the_transcript(run_cli: RunCli) -> None:
    out = run_cli("transcribe", str(SHARED / "audio" / "jfk.flac"))
    assert out.returncode == 0, out.stderr
    assert "ask not what your country can do for you" in fx.normalise(out.stdout)


def test_cli_silence_prints_nothing_and_notes_it(run_cli: RunCli) -> None:
    out = run_cli("transcribe", str(FIXTURES / "speech" / "silence.wav"))
    assert out.returncode == 0
    assert out.stdout == ""
    assert out.stderr.strip() == "rehearse: no speech detected"
    data = json.loads(
        run_cli("transcribe", "--format", "json", str(FIXTURES / "speech" / "silence.wav")).stdout
    )
    assert data["text"] == "" and data["words"] == [] and data["note"] == NO_SPEECH_NOTE


@pytest.mark.parametrize("kind", ["missing", "empty", "text", "random-bytes"])
def test_cli_bad_audio_exits_2_with_one_line(run_cli: RunCli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("Dear hiring manager, this is a cover letter.\n" * 10)
    elif kind == "random-bytes":
        path.write_bytes(np.random.default_rng(7).bytes(20_000))
    out = run_cli("transcribe", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rehearse: ")
    assert str(path) in lines[0]
    assert "Traceback" not in out.stderr


def test_cli_unknown_offline_model_exits_2(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    out = run_cli("transcribe", "--model", "small.en", str(FIXTURES / "speech" / "q_why_here.wav"))
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "rehearse: The Whisper model 'small.en' is not on this machine and could not be "
        "downloaded; connect to the internet once to fetch it, or use the bundled tiny.en."
    )
