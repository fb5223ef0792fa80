"""The real voice: espeak-ng through pyttsx3, rendered to WAV and played into the PulseAudio
null sink while `parec` records its monitor."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rehearse.errors import RehearseError
from rehearse.speech import tts

QUESTION = "What are your career goals for the next five years?"
LONG = (
    "Tell me about a time you disagreed with a colleague about the direction of a project, "
    "how you raised it, what you both learned, and what you would do differently today."
)
LOW_LATENCY = ["--latency-msec=20"]
RATE = 22_050  # espeak-ng's native rate; recording at it avoids resampling in the test


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data.astype(np.float32) / 32768.0, wav.getframerate()


def envelope(samples: np.ndarray, rate: int, frame_s: float = 0.01) -> np.ndarray:
    """RMS per 10 ms frame."""
    frame = int(rate * frame_s)
    usable = len(samples) // frame * frame
    return np.sqrt(np.mean(samples[:usable].reshape(-1, frame) ** 2, axis=1))


def dbfs(samples: np.ndarray) -> float:
    return 20 * np.log10(float(np.sqrt(np.mean(samples**2))) + 1e-12)


def preset(name: str = "neutral", **changes: object) -> tts.VoicePreset:
    from dataclasses import replace

    return replace(tts.get_preset(name), **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def speaker() -> Iterator[tts.Speaker]:
    with tts.Speaker(tts.get_preset("neutral")) as s:
        yield s


# --------------------------------------------------------------------------- rendering


# The shipped presets (not load_presets(): collection runs before REHEARSE_HOME is set).
@pytest.mark.parametrize("name", sorted(p.stem for p in tts.package_voices_dir().glob("*.toml")))
def test_each_preset_renders_a_plausible_wav(name: str, tmp_path: Path) -> None:
    voice = tts.get_preset(name)
    assert tts.voice_resolves(voice), f"{name} does not resolve on this machine"
    with tts.Speaker(voice) as s:
        out = s.save_wav(QUESTION, tmp_path / f"{name}.wav")
    samples, rate = read_wav(out)
    duration = len(samples) / rate
    expected = len(QUESTION.split()) / voice.rate * 60
    # espeak's wpm is approximate and it adds a trailing pause; within a factor of two.
    assert expected / 2 < duration < expected * 2, (duration, expected)
    assert dbfs(samples) > -35
    # Speech, not a tone: a good share of loud frames and some quiet gaps between words.
    env = envelope(samples, rate)
    loud = np.mean(env > 0.02)
    assert 0.4 < loud < 0.98
    assert not list(tmp_path.glob("*.part"))  # the temporary file was moved into place


def test_rate_and_volume_change_the_audio(speaker: tts.Speaker, tmp_path: Path) -> None:
    def render(**changes: object) -> np.ndarray:
        path = tmp_path / f"{sorted(changes.items())}.wav"
        with tts.Speaker(preset(**changes)) as s:
            s.save_wav(QUESTION, path)
        return read_wav(path)[0]

    slow, fast = render(rate=110), render(rate=240)
    assert len(slow) > 1.6 * len(fast)
    quiet, loud = render(volume=0.3), render(volume=1.0)
    assert dbfs(loud) - dbfs(quiet) > 4


def test_save_wav_errors_leave_no_file(speaker: tts.Speaker, tmp_path: Path) -> None:
    with pytest.raises(RehearseError, match="writable"):
        speaker.save_wav(QUESTION, tmp_path / "missing" / "q.wav")
    with pytest.raises(RehearseError, match="nothing to say"):
        speaker.save_wav("   ", tmp_path / "q.wav")
    assert list(tmp_path.iterdir()) == []


def test_unresolvable_voice_is_a_clear_error(tmp_path: Path) -> None:
    with tts.Speaker(preset(voice="xx-klingon")) as s, pytest.raises(RehearseError) as info:
        s.save_wav(QUESTION, tmp_path / "q.wav")
    assert "xx-klingon" in info.value.message
    assert not (tmp_path / "q.wav").exists()
    # The engine is still fine for the next job.
    with tts.Speaker(tts.get_preset("neutral")) as s:
        assert s.save_wav("Still here.", tmp_path / "ok.wav").stat().st_size > 10_000


def test_speakers_in_many_threads_share_one_engine_thread(tmp_path: Path) -> None:
    """Jobs from several threads are serialised on the one engine thread, each with its own
    preset: no job picks up another's rate or text."""
    jobs = [("slow", 100, LONG), ("fast", 260, LONG), ("short", 160, "Thank you.")] * 2
    errors: list[BaseException] = []

    def render(index: int, label: str, rate: int, text: str) -> None:
        try:
            with tts.Speaker(preset(rate=rate)) as s:
                s.save_wav(text, tmp_path / f"{label}-{index}.wav")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [t.name for t in threading.enumerate()].count("rehearse-tts") == 1
    seconds = {p.stem: len(read_wav(p)[0]) / RATE for p in sorted(tmp_path.glob("*.wav"))}
    for i in (0, 3):
        assert seconds[f"slow-{i}"] > 2 * seconds[f"fast-{i + 1}"]
        assert seconds[f"short-{i + 2}"] < 2.5
    # The same job gives the same audio whichever thread asked first.
    assert seconds["slow-0"] == pytest.approx(seconds["slow-3"], rel=0.02)


# --------------------------------------------------------------------------- speaking aloud


class MonitorRecording:
    """`parec` on the null sink's monitor (the default source), 22.05 kHz mono s16."""

    def __init__(self) -> None:
        if shutil.which("parec") is None:
            pytest.skip("parec (pulseaudio-utils) is not installed")
        self._proc = subprocess.Popen(
            # Small fragments: parec otherwise holds up to two seconds, lost when it is killed.
            ["parec", "--raw", f"--rate={RATE}", "--channels=1", "--format=s16le", *LOW_LATENCY],
            stdout=subprocess.PIPE,
        )
        self._chunks: list[bytes] = []
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        # Speak only once the recorder really hears the sink.
        assert self._started.wait(10), "parec produced no audio"

    def _read(self) -> None:
        assert self._proc.stdout is not None
        while chunk := self._proc.stdout.read1(4096):
            self._chunks.append(chunk)
            self._started.set()

    def stop(self) -> np.ndarray:
        time.sleep(1.0)  # let the tail through the sound server
        self._proc.terminate()
        self._proc.wait(5)
        self._thread.join(5)
        raw = b"".join(self._chunks)
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0


def best_alignment(reference: np.ndarray, recorded: np.ndarray) -> tuple[int, float]:
    """Lag (frames) and Pearson correlation where the reference envelope fits the recording."""
    best = (0, -1.0)
    for lag in range(0, len(recorded) - len(reference) + 1):
        window = recorded[lag : lag + len(reference)]
        if window.std() == 0:
            continue
        r = float(np.corrcoef(reference, window)[0, 1])
        if r > best[1]:
            best = (lag, r)
    return best


@pytest.mark.audio
@pytest.mark.parametrize("backend", ["paplay", "portaudio"])
def test_speaks_aloud_into_the_sink(
    pulse: str, speaker: tts.Speaker, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # paplay is the Linux default; PortAudio is the fallback with no paplay or no sound server.
    monkeypatch.setattr(tts, "_use_paplay", backend == "paplay")
    reference, rate = read_wav(speaker.save_wav(QUESTION, tmp_path / "ref.wav"))
    assert rate == RATE
    recording = MonitorRecording()
    try:
        assert speaker.say(QUESTION) is True
    finally:
        recorded = recording.stop()
    ref_env, rec_env = envelope(reference, RATE), envelope(recorded, RATE)
    assert len(rec_env) >= len(ref_env), "the recording is shorter than the speech"
    lag, r = best_alignment(ref_env, rec_env)
    # What the recorder heard has the shape of what we rendered: our speech, complete.
    assert r > 0.6, r
    spoken = recorded[lag * RATE // 100 : (lag + len(ref_env)) * RATE // 100]
    assert dbfs(spoken) > -40
    assert abs(dbfs(spoken) - dbfs(reference)) < 10  # volume 0.9: about as loud as rendered


@pytest.mark.audio
def test_cancel_stops_promptly_and_engine_stays_usable(
    pulse: str, speaker: tts.Speaker, tmp_path: Path
) -> None:
    full = len(read_wav(speaker.save_wav(LONG, tmp_path / "long.wav"))[0]) / RATE
    assert full > 6  # long enough that finishing it could not pass for cancelling

    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    assert speaker.say(LONG, cancel=cancel) is False
    assert time.monotonic() - started < 2.0  # generous: a loaded machine, not a benchmark

    # stop() from another thread cancels too, once speech is under way.
    outcome: list[bool] = []
    talker = threading.Thread(target=lambda: outcome.append(speaker.say(LONG)))
    talker.start()
    deadline = time.monotonic() + 10
    while not speaker.busy and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    speaker.stop()
    talker.join(5)
    assert outcome == [False]
    assert not speaker.busy

    # The engine took no harm: the next sentence plays to the end.
    assert speaker.say("Thank you.") is True
    # An already-set event means nothing is spoken at all.
    assert speaker.say(QUESTION, cancel=cancel) is False
