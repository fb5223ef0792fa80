"""The real recorder on the real audio stack: what paplay plays into the PulseAudio null sink is
what the default source (its monitor) hears. Plus the `record` and `devices` commands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import SHARED, RunCli
from rehearse.speech.audio_io import load_audio, write_wav
from rehearse.speech.capture import SAMPLE_RATE, MicrophoneSource, Recorder

pytestmark = pytest.mark.audio

JFK = SHARED / "audio" / "jfk.flac"


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SAMPLE_RATE)
        frames = w.readframes(w.getnframes())
    # A valid header: its frame count matches the bytes on disk.
    assert path.stat().st_size == 44 + len(frames)
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32767


def envelope(audio: np.ndarray, hop: int = 160) -> np.ndarray:
    """RMS per 10 ms, in dB: a shape that survives the sound server's resampling."""
    n = len(audio) // hop
    frames = audio[: n * hop].reshape(n, hop)
    return 20 * np.log10(np.sqrt(np.mean(frames**2, axis=1)) + 1e-5)


def wav_seconds(path: Path) -> float:
    """Duration in the header right now, or 0 while the file is not there yet."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / w.getframerate()
    except (FileNotFoundError, EOFError, wave.Error):
        return 0.0


def wait_until(predicate: object, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@pytest.fixture
def speech_wav(tmp_path: Path) -> tuple[Path, np.ndarray]:
    """The first 5 s of JFK ("And so my fellow Americans, ask not...") as a 16-bit WAV."""
    audio = load_audio(JFK)[: 5 * SAMPLE_RATE]
    return write_wav(tmp_path / "jfk5.wav", audio), audio


def record_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "rehearse", "record", *args]


def test_recorder_hears_what_is_played(
    pulse: str, tmp_path: Path, speech_wav: tuple[Path, np.ndarray]
) -> None:
    played_path, played = speech_wav
    out = tmp_path / "heard.wav"
    recorder = Recorder(MicrophoneSource(None), out, max_seconds=30)
    recorder.start()
    # An idle null-sink monitor sends its first block only after a second or two.
    wait_until(lambda: recorder.elapsed_s > 0.3, timeout=10)
    subprocess.run(["paplay", "--device", pulse, str(played_path)], check=True, timeout=30)
    time.sleep(0.5)
    recorder.stop()
    result = recorder.wait(timeout=10)
    assert result.stop_reason == "stopped" and result.error is None

    heard = read_wav(out)
    assert len(heard) / SAMPLE_RATE == pytest.approx(result.duration_s)
    assert result.duration_s >= 5.0
    # Align by cross-correlating the energy envelopes, then compare them.
    ref, rec = envelope(played), envelope(heard)
    scores = [
        np.corrcoef(ref, rec[lag : lag + len(ref)])[0, 1] for lag in range(len(rec) - len(ref))
    ]
    lag = int(np.argmax(scores))
    assert scores[lag] > 0.8, f"recording does not match what was played (r={scores[lag]:.2f})"
    during = heard[lag * 160 : lag * 160 + len(played)]
    assert 20 * np.log10(np.sqrt(np.mean(during**2))) > -30  # speech, not silence
    assert np.sqrt(np.mean(during**2)) == pytest.approx(np.sqrt(np.mean(played**2)), rel=0.3)


def test_record_seconds_makes_a_valid_wav(pulse: str, run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "two.wav"
    proc = run_cli("record", str(out), "--seconds", "2", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert len(read_wav(out)) == 2 * SAMPLE_RATE
    assert f"Saved 2.0 s to {out} (time limit)" in proc.stdout


def test_ctrl_c_stops_and_keeps_the_recording(
    pulse: str, rehearse_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "interrupted.wav"
    proc = subprocess.Popen(
        record_cmd(str(out)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until(lambda: wav_seconds(out) >= 1.0, timeout=20)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    kept = len(read_wav(out)) / SAMPLE_RATE
    assert kept >= 1.0
    assert f"Saved {kept:.1f} s to {out} (stopped)" in stdout
    assert "Traceback" not in stderr


def test_kill_9_loses_at_most_about_a_second(pulse: str, tmp_path: Path) -> None:
    out = tmp_path / "killed.wav"
    proc = subprocess.Popen(record_cmd(str(out)), stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: wav_seconds(out) >= 1.0, timeout=20)
        before = wav_seconds(out)
        time.sleep(3.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    kept = len(read_wav(out)) / SAMPLE_RATE  # read_wav checks the header matches the data
    # About 3 s more were captured after `before`; at most about a second may be lost.
    assert kept >= before + 3.0 - 1.2, (before, kept)


def test_silence_stop_on_speech_then_silence(run_cli: RunCli, tmp_path: Path) -> None:
    speech = load_audio(JFK)[: 2 * SAMPLE_RATE]
    src = write_wav(tmp_path / "answer.wav", np.concatenate([speech, np.zeros(6 * SAMPLE_RATE)]))
    out = tmp_path / "o.wav"
    proc = run_cli("record", str(out), "--input-file", str(src), "--silence-stop", "1.5")
    assert proc.returncode == 0, proc.stderr
    assert "1.5 s of silence" in proc.stdout
    assert 3.4 <= len(read_wav(out)) / SAMPLE_RATE <= 3.8


def test_max_duration_with_an_input_file(
    run_cli: RunCli, tmp_path: Path, speech_wav: tuple[Path, np.ndarray]
) -> None:
    src, played = speech_wav
    out = tmp_path / "o.wav"
    proc = run_cli("record", str(out), "--input-file", str(src), "--seconds", "1.5")
    assert proc.returncode == 0, proc.stderr
    assert "(time limit)" in proc.stdout
    kept = read_wav(out)
    assert len(kept) == int(1.5 * SAMPLE_RATE)
    np.testing.assert_allclose(kept, played[: len(kept)], atol=1e-3)


def test_input_file_to_the_end(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "o.wav"
    proc = run_cli("record", str(out), "--input-file", str(JFK))
    assert proc.returncode == 0, proc.stderr
    assert "(end of the input file)" in proc.stdout
    assert len(read_wav(out)) == len(load_audio(JFK))


@pytest.mark.parametrize("kind", ["missing", "empty", "text", "random"])
def test_bad_input_files(run_cli: RunCli, tmp_path: Path, kind: str) -> None:
    bad = tmp_path / f"{kind}.wav"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "text":
        bad.write_text("This is my answer, typed instead of recorded.\n")
    elif kind == "random":
        bad.write_bytes(np.random.default_rng(1).bytes(30_000))
    out = tmp_path / "o.wav"
    proc = run_cli("record", str(out), "--input-file", str(bad))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rehearse: ") and str(bad) in lines[0]
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("device", ["no-such-microphone", "99"])
def test_unknown_device(run_cli: RunCli, tmp_path: Path, device: str) -> None:
    out = tmp_path / "o.wav"
    proc = run_cli("record", str(out), "--device", device, "--seconds", "1")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "rehearse devices" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_existing_output_is_not_overwritten(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "keep.wav"
    out.write_bytes(b"precious")
    proc = run_cli("record", str(out), "--input-file", str(JFK))
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert out.read_bytes() == b"precious"


@pytest.fixture
def no_portaudio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment where `import sounddevice` fails as it does without libportaudio."""
    fake = tmp_path / "fake-site"
    fake.mkdir()
    (fake / "sounddevice.py").write_text("raise OSError('PortAudio library not found')\n")
    monkeypatch.setenv("PYTHONPATH", f"{fake}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")


@pytest.mark.parametrize("args", [["devices"], ["record", "x.wav", "--seconds", "1"]])
@pytest.mark.usefixtures("no_portaudio")
def test_no_portaudio(run_cli: RunCli, tmp_path: Path, args: list[str]) -> None:
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "PortAudio library is missing" in proc.stderr and "libportaudio2" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.wav").exists()


def test_devices_lists_the_default_input(run_cli: RunCli) -> None:
    import json

    proc = run_cli("devices", "--format", "json", "--no-test")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    defaults = [d for d in data["devices"] if d["default"]]
    assert len(defaults) == 1 and defaults[0]["channels"] >= 1
    assert data["level_test"] is None
    table = run_cli("devices", "--no-test")
    assert f"* {defaults[0]['index']:>3}  {defaults[0]['name']}" in table.stdout


def test_devices_level_test_hears_playback(
    pulse: str, run_cli: RunCli, tmp_path: Path, speech_wav: tuple[Path, np.ndarray]
) -> None:
    import json

    src, _ = speech_wav
    player = subprocess.Popen(["paplay", "--device", pulse, str(src)])
    try:
        proc = run_cli("devices", "--format", "json")
    finally:
        player.kill()
        player.wait()
    assert proc.returncode == 0, proc.stderr
    test = json.loads(proc.stdout)["level_test"]
    assert test["seconds"] == 1.0
    assert test["peak_dbfs"] > -20 and test["rms_dbfs"] > -40
    assert test["verdict"].startswith("ok")


def test_devices_unknown_device(run_cli: RunCli) -> None:
    proc = run_cli("devices", "--device", "no-such-microphone")
    assert proc.returncode == 2
    assert "No input device matches 'no-such-microphone'" in proc.stderr
    assert "Traceback" not in proc.stderr
