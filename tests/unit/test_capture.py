"""Recorder edge cases with file sources and fakes (the real microphone is in integration/)."""

from __future__ import annotations

import queue
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import SHARED
from rehearse.errors import RehearseError
from rehearse.speech import capture
from rehearse.speech.audio_io import write_wav
from rehearse.speech.capture import (
    BLOCK_FRAMES,
    SAMPLE_RATE,
    FileSource,
    Recorder,
    SourceEnd,
    level_dbfs,
)

JFK = SHARED / "audio" / "jfk.flac"


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, SAMPLE_RATE)
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32767


def tone(seconds: float, amplitude: float = 0.3, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


class ManualSource:
    """A source the test feeds by hand, to play a device that stalls, vanishes or never ends."""

    description = "test source"

    def __init__(self) -> None:
        self.sink: queue.SimpleQueue[Any] | None = None
        self.stopped = threading.Event()

    def start(self, sink: queue.SimpleQueue[Any]) -> None:
        self.sink = sink

    def stop(self) -> None:
        self.stopped.set()

    def push(self, item: Any) -> None:
        assert self.sink is not None
        self.sink.put(item)


def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_level_dbfs_of_a_sine_and_of_silence() -> None:
    # A sine of amplitude a has RMS a/sqrt(2): 0.5 -> -9.03 dBFS.
    assert level_dbfs(tone(0.1, amplitude=0.5)) == pytest.approx(-9.03, abs=0.05)
    assert level_dbfs(np.zeros(1600, np.float32)) == capture.FLOOR_DBFS


def test_file_source_feeds_the_whole_file_through_the_recorder(tmp_path: Path) -> None:
    reference = capture.load_audio(JFK)
    out = tmp_path / "copy.wav"
    blocks: list[np.ndarray] = []
    recorder = Recorder(FileSource(JFK, realtime=False), out)
    recorder.add_listener(blocks.append)
    result = recorder.record()
    assert result.stop_reason == "end_of_input"
    assert result.duration_s == pytest.approx(len(reference) / SAMPLE_RATE)
    written = read_wav(out)
    # Listeners get every block, in order: together they are the recording.
    np.testing.assert_allclose(np.concatenate(blocks), reference, atol=1e-6)
    np.testing.assert_allclose(written, np.clip(reference, -1, 1), atol=1 / 16000)
    assert result.peak_dbfs > -6 and -30 < result.rms_dbfs < -10


def test_max_duration_cuts_at_the_exact_frame(tmp_path: Path) -> None:
    out = tmp_path / "cut.wav"
    result = Recorder(FileSource(JFK, realtime=False), out, max_seconds=1.25).record()
    assert result.stop_reason == "max_duration"
    assert result.duration_s == 1.25
    assert len(read_wav(out)) == int(1.25 * SAMPLE_RATE)


def test_silence_stop_fires_after_speech_then_silence(tmp_path: Path) -> None:
    speech = capture.load_audio(JFK)[: 2 * SAMPLE_RATE]  # "And so my fellow Americans"
    noise = np.random.default_rng(0).normal(0, 10**-3, 6 * SAMPLE_RATE).astype(np.float32)
    src = write_wav(tmp_path / "answer.wav", np.concatenate([speech, noise]))
    result = Recorder(
        FileSource(src, realtime=False), tmp_path / "o.wav", silence_stop_seconds=1.5
    ).record()
    assert result.stop_reason == "silence"
    assert 3.4 <= result.duration_s <= 3.8


def test_silence_before_speech_does_not_stop(tmp_path: Path) -> None:
    # Thinking before answering is not the end of the answer.
    speech = capture.load_audio(JFK)[: 2 * SAMPLE_RATE]
    src = write_wav(tmp_path / "late.wav", np.concatenate([np.zeros(3 * SAMPLE_RATE), speech]))
    result = Recorder(FileSource(src, realtime=False), None, silence_stop_seconds=1.0).record()
    assert result.stop_reason == "end_of_input"
    assert result.duration_s == pytest.approx(5.0)


def test_file_source_keeps_real_time_pace(tmp_path: Path) -> None:
    src = write_wav(tmp_path / "tone.wav", tone(0.6))
    recorder = Recorder(FileSource(src, realtime=True), None)
    recorder.start()
    with pytest.raises(TimeoutError):
        recorder.wait(timeout=0.3)  # 0.6 s of audio cannot be over after 0.3 s
    assert recorder.wait(timeout=5).duration_s == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("content", "phrase"),
    [(None, "does not exist"), (b"", "empty"), (b"just text\n", "not an audio file")],
)
def test_file_source_rejects_bad_files(tmp_path: Path, content: bytes | None, phrase: str) -> None:
    path = tmp_path / "bad.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RehearseError, match=phrase):
        FileSource(path)


def test_device_vanishing_keeps_what_was_recorded(tmp_path: Path) -> None:
    source = ManualSource()
    out = tmp_path / "vanish.wav"
    recorder = Recorder(source, out, max_seconds=60)
    recorder.start()
    for _ in range(5):
        source.push(tone(0.1))
    source.push(SourceEnd("error", "the test source stopped delivering audio"))
    result = recorder.wait(timeout=5)
    assert result.stop_reason == "error"
    assert "stopped delivering" in (result.error or "")
    assert len(read_wav(out)) == 5 * BLOCK_FRAMES
    assert source.stopped.is_set()


def test_a_stalled_device_ends_the_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture, "STALL_S", 0.3)
    source = ManualSource()
    recorder = Recorder(source, tmp_path / "stall.wav")
    recorder.start()
    source.push(tone(0.1))
    result = recorder.wait(timeout=5)
    assert result.stop_reason == "error" and "sent no audio" in (result.error or "")
    assert result.duration_s == pytest.approx(0.1)


def test_stop_on_demand_keeps_what_was_captured(tmp_path: Path) -> None:
    source = ManualSource()
    out = tmp_path / "stop.wav"
    recorder = Recorder(source, out)
    recorder.start()
    for _ in range(3):
        source.push(tone(0.1))
    recorder.stop()
    result = recorder.wait(timeout=5)
    assert result.stop_reason == "stopped"
    assert len(read_wav(out)) == 3 * BLOCK_FRAMES


def test_wav_on_disk_is_valid_while_recording(tmp_path: Path) -> None:
    source = ManualSource()
    out = tmp_path / "live.wav"
    recorder = Recorder(source, out)
    recorder.start()
    for _ in range(10):
        source.push(tone(0.1))
    wait_for(lambda: recorder.elapsed_s >= 1.0)
    time.sleep(capture.FLUSH_INTERVAL_S + 0.1)
    source.push(tone(0.1))  # the next block after the interval triggers the flush
    wait_for(lambda: recorder.elapsed_s >= 1.1)
    time.sleep(0.1)
    # Another reader sees a valid header whose frame count matches the data on disk.
    assert len(read_wav(out)) >= 10 * BLOCK_FRAMES
    assert out.stat().st_size == 44 + 2 * len(read_wav(out))
    recorder.stop()
    assert recorder.wait(timeout=5).duration_s == pytest.approx(1.1)


def test_a_failing_listener_does_not_cost_the_recording(tmp_path: Path) -> None:
    def broken(block: np.ndarray) -> None:
        raise RuntimeError("listener bug")

    good: list[int] = []
    recorder = Recorder(FileSource(JFK, realtime=False), tmp_path / "l.wav", max_seconds=1)
    recorder.add_listener(broken)
    recorder.add_listener(lambda b: good.append(len(b)))
    result = recorder.record()
    assert result.stop_reason == "max_duration"
    assert sum(good) == SAMPLE_RATE


def test_source_that_cannot_start_leaves_no_file(tmp_path: Path) -> None:
    class Busy(ManualSource):
        def start(self, sink: queue.SimpleQueue[Any]) -> None:
            raise RehearseError("busy")

    out = tmp_path / "never.wav"
    with pytest.raises(RehearseError):
        Recorder(Busy(), out).start()
    assert not out.exists()


class FakeStream:
    """Stands in for sd.InputStream so the test can call PortAudio's callbacks itself."""

    last: FakeStream | None = None

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        FakeStream.last = self

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_microphone_vanishing_mid_recording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sounddevice as sd

    monkeypatch.setattr(sd, "InputStream", FakeStream)
    source = capture.MicrophoneSource(None)
    out = tmp_path / "mic.wav"
    recorder = Recorder(source, out)
    recorder.start()
    stream = FakeStream.last
    assert stream is not None
    assert stream.kwargs["samplerate"] == SAMPLE_RATE and stream.kwargs["channels"] == 1
    for _ in range(4):
        stream.kwargs["callback"](tone(0.1)[:, None], BLOCK_FRAMES, None, None)
    stream.kwargs["finished_callback"]()  # PortAudio ends the stream: the device went away
    result = recorder.wait(timeout=5)
    assert result.stop_reason == "error"
    assert len(read_wav(out)) == 4 * BLOCK_FRAMES


def test_busy_microphone_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    import sounddevice as sd

    def busy(**kwargs: Any) -> None:
        raise sd.PortAudioError("Device unavailable", -9985)

    monkeypatch.setattr(sd, "InputStream", busy)
    with pytest.raises(RehearseError, match=r"busy or unavailable.*--device"):
        capture.MicrophoneSource(None).start(queue.SimpleQueue())
