"""Microphone capture: a source of 16 kHz mono float32 blocks -> a writer thread -> WAV + listeners.

The flow is the same for the microphone and for a file standing in for it:

    source (PortAudio callback or file feeder thread) --queue--> writer thread
        writer: WAV on disk (header valid after every block, flushed twice a second),
                level in dBFS, max duration, silence stop, stop on demand, listeners.

The PortAudio callback only copies the block into a queue: no allocation-heavy work, no file I/O
and no logging runs there, so a slow disk or a slow listener can never make the audio drop out.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import threading
import time
import wave
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rehearse.errors import RehearseError
from rehearse.speech.audio_io import SAMPLE_RATE, load_audio

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "SAMPLE_RATE",
    "AudioSource",
    "FileSource",
    "InputDevice",
    "MicrophoneSource",
    "Recorder",
    "RecordingResult",
    "SourceEnd",
    "describe_input_device",
    "level_dbfs",
    "list_input_devices",
    "resolve_input_device",
]

log = logging.getLogger(__name__)

StopReason = Literal["stopped", "max_duration", "silence", "end_of_input", "error"]

# 100 ms blocks: fine enough for a meter and for silence timing, coarse enough to be cheap.
BLOCK_FRAMES = SAMPLE_RATE // 10
# The WAV header is patched on every block; the file is flushed to the OS this often, so a
# crash or kill -9 loses at most this much plus one block.
FLUSH_INTERVAL_S = 0.5
# Levels below this are reported as this (digital silence would otherwise be -inf).
FLOOR_DBFS = -100.0

# Silence detection (used only by the optional silence stop). A block counts as speech when its
# RMS level is SPEECH_MARGIN_DB above the noise floor, the quietest block of the last
# NOISE_WINDOW_S seconds. The threshold is kept within [MIN, MAX]: digital silence must not make
# a breath count as speech, and a noisy room must not hide normal speech (which sits around
# -30..-10 dBFS on a sensibly set microphone). Speech has "started" after SPEECH_START_S of
# speech blocks, so a click or a cough before the answer does not arm the silence stop.
SPEECH_MARGIN_DB = 12.0
NOISE_WINDOW_S = 10.0
SPEECH_THRESHOLD_MIN_DBFS = -58.0
SPEECH_THRESHOLD_MAX_DBFS = -35.0
SPEECH_START_S = 0.3

# A microphone that sends nothing for this long has gone away. Some devices (a PulseAudio
# monitor that was idle) take a second or two to send their first block, hence the longer wait.
STALL_S = 5.0
STARTUP_S = 15.0

_INSTALL_PORTAUDIO = (
    "The PortAudio library is missing; install it with `sudo apt-get install libportaudio2` "
    "(macOS: `brew install portaudio`) and try again."
)


def _dbfs(amplitude: float) -> float:
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude)) if amplitude > 0 else FLOOR_DBFS


def level_dbfs(block: np.ndarray) -> float:
    """RMS level of a float32 block in dBFS (0 dBFS = full scale), floored at FLOOR_DBFS."""
    import numpy as np

    if block.size == 0:
        return FLOOR_DBFS
    return _dbfs(float(np.sqrt(np.mean(np.square(block, dtype=np.float64)))))


# --- Sources -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceEnd:
    """Put on the queue by a source when it stops delivering on its own."""

    reason: StopReason
    error: str | None = None


class AudioSource(Protocol):
    """Delivers float32 mono blocks at SAMPLE_RATE to a queue, then possibly a SourceEnd."""

    description: str

    def start(self, sink: queue.SimpleQueue[Any]) -> None:
        """Begin delivering; raises RehearseError if the source cannot start."""

    def stop(self) -> None:
        """Stop delivering (idempotent); called from the writer thread."""


def _sounddevice() -> Any:
    try:
        import sounddevice as sd
    except OSError:  # sounddevice raises OSError on import when libportaudio is absent
        raise RehearseError(_INSTALL_PORTAUDIO) from None
    return sd


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_samplerate: float
    hostapi: str
    is_default: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "channels": self.channels,
            "default_samplerate": self.default_samplerate,
            "hostapi": self.hostapi,
            "default": self.is_default,
        }


def _default_input_index(sd: Any) -> int:
    try:
        return int(sd.query_devices(kind="input")["index"])
    except (sd.PortAudioError, ValueError, KeyError):
        return -1


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel; RehearseError without PortAudio."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        hostapis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise RehearseError(
            f"PortAudio cannot list audio devices ({exc}); check the sound system."
        ) from None
    default = _default_input_index(sd)
    return [
        InputDevice(
            index=int(d["index"]),
            name=str(d["name"]),
            channels=int(d["max_input_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            hostapi=str(hostapis[d["hostapi"]]["name"]),
            is_default=int(d["index"]) == default,
        )
        for d in devices
        if d["max_input_channels"] > 0
    ]


def _normalise_device(device: str | int | None) -> str | int | None:
    if isinstance(device, str):
        device = device.strip()
        if not device:
            return None
        if device.isdigit():
            return int(device)
    return device


def resolve_input_device(device: str | int | None) -> InputDevice:
    """The input device for an index, a name substring or None (the system default)."""
    sd = _sounddevice()
    device = _normalise_device(device)
    try:
        info = sd.query_devices(device, "input")
    except ValueError as exc:  # no match, several matches, or no input channels
        how = "Several input devices match" if "Multiple" in str(exc) else "No input device matches"
        raise RehearseError(
            f"{how} {device!r}; run `rehearse devices` to list them and pass an index."
        ) from None
    except sd.PortAudioError:
        if device is None:
            raise RehearseError(
                "No microphone was found; plug one in or enable it, then check `rehearse devices`."
            ) from None
        raise RehearseError(
            f"There is no input device {device!r}; run `rehearse devices` to list them."
        ) from None
    hostapis = sd.query_hostapis()
    return InputDevice(
        index=int(info["index"]),
        name=str(info["name"]),
        channels=int(info["max_input_channels"]),
        default_samplerate=float(info["default_samplerate"]),
        hostapi=str(hostapis[info["hostapi"]]["name"]),
        is_default=int(info["index"]) == _default_input_index(sd),
    )


def describe_input_device(device: str | int | None) -> str:
    """One line naming the device that would be used (for `rehearse doctor`)."""
    d = resolve_input_device(device)
    mark = ", the default" if d.is_default else ""
    return f"{d.name} (index {d.index}, {d.channels} input channels{mark})"


class MicrophoneSource:
    """A PortAudio input stream at 16 kHz mono float32 (PortAudio or the sound server resamples)."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = resolve_input_device(device)
        self.description = f"microphone {self.device.name!r}"
        self._stream: Any = None
        self._stopping = False

    def start(self, sink: queue.SimpleQueue[Any]) -> None:
        sd = _sounddevice()
        put = sink.put_nowait

        def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
            # Only a copy and a put: anything slower here makes PortAudio drop audio.
            put(indata[:, 0].copy())

        def finished() -> None:
            # PortAudio ends the stream by itself when the device vanishes or fails.
            if not self._stopping:
                put(SourceEnd("error", f"the {self.description} stopped delivering audio"))

        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="float32",
                blocksize=BLOCK_FRAMES,
                device=self.device.index,
                callback=callback,
                finished_callback=finished,
            )
            self._stream.start()
        except sd.PortAudioError as exc:
            self._close()
            raise RehearseError(
                f"The {self.description} is busy or unavailable ({exc}); close other programs "
                "using it, or pick another with --device (see `rehearse devices`)."
            ) from None

    def stop(self) -> None:
        self._stopping = True
        self._close()

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        with contextlib.suppress(Exception):  # a vanished device may fail to stop; it is gone
            stream.stop()
        with contextlib.suppress(Exception):
            stream.close()


class FileSource:
    """An audio file standing in for the microphone, decoded to 16 kHz mono up front (so a bad
    file fails before anything is recorded) and fed in BLOCK_FRAMES blocks, at real-time pace
    unless realtime=False, then a SourceEnd("end_of_input")."""

    def __init__(self, path: str | Path, realtime: bool = True) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.audio = load_audio(self.path)
        self.description = f"file {self.path.name!r}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def duration_s(self) -> float:
        return len(self.audio) / SAMPLE_RATE

    def start(self, sink: queue.SimpleQueue[Any]) -> None:
        self._thread = threading.Thread(
            target=self._feed, args=(sink,), name="rehearse-file-source", daemon=True
        )
        self._thread.start()

    def _feed(self, sink: queue.SimpleQueue[Any]) -> None:
        t0 = time.monotonic()
        for n, i in enumerate(range(0, len(self.audio), BLOCK_FRAMES)):
            if self.realtime:
                # A block is "captured" once its last frame has been spoken, as from a mic.
                due = t0 + (n + 1) * BLOCK_FRAMES / SAMPLE_RATE
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    return
            elif self._stop.is_set():
                return
            sink.put(self.audio[i : i + BLOCK_FRAMES].copy())
        sink.put(SourceEnd("end_of_input"))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)


# --- Recorder ----------------------------------------------------------------------------------


def open_source(input_file: str | Path | None, device: str | int | None) -> AudioSource:
    """The audio for one recording: the file at real-time pace when given, else the microphone.

    Opening it first means a bad file or device fails before anything is written.
    """
    if input_file is not None:
        return FileSource(input_file, realtime=True)
    return MicrophoneSource(device)


@dataclass(frozen=True)
class RecordingResult:
    path: Path | None
    duration_s: float
    stop_reason: StopReason
    error: str | None = None
    # Over the whole recording, for level tests.
    peak_dbfs: float = FLOOR_DBFS
    rms_dbfs: float = FLOOR_DBFS


Listener = Callable[["np.ndarray"], object]


class _SilenceDetector:
    """Counts trailing silence after speech has started; see the constants at the top."""

    def __init__(self) -> None:
        self._recent: deque[float] = deque(maxlen=int(NOISE_WINDOW_S * SAMPLE_RATE / BLOCK_FRAMES))
        self.speech_s = 0.0
        self.silence_s = 0.0

    def threshold(self) -> float:
        floor = min(self._recent) if self._recent else FLOOR_DBFS
        return min(
            SPEECH_THRESHOLD_MAX_DBFS, max(SPEECH_THRESHOLD_MIN_DBFS, floor + SPEECH_MARGIN_DB)
        )

    def feed(self, level: float, seconds: float) -> None:
        self._recent.append(level)
        if level >= self.threshold():
            self.speech_s += seconds
            self.silence_s = 0.0
        elif self.speech_s >= SPEECH_START_S:
            self.silence_s += seconds


class Recorder:
    """Records a source to a WAV (or nowhere, with out_path=None) on a writer thread.

    start() raises RehearseError if the source cannot start (nothing is written then);
    wait(timeout) returns the RecordingResult, or raises TimeoutError while still recording.
    """

    def __init__(
        self,
        source: AudioSource,
        out_path: Path | None,
        max_seconds: float | None = None,
        silence_stop_seconds: float | None = None,
    ) -> None:
        self.source = source
        self.out_path = Path(out_path) if out_path is not None else None
        self.max_frames = int(max_seconds * SAMPLE_RATE) if max_seconds else None
        self.silence_stop_seconds = silence_stop_seconds or None
        self._listeners: list[Listener] = []
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._result: RecordingResult | None = None
        self._frames = 0
        self._level = FLOOR_DBFS
        self._peak = 0.0
        self._sum_squares = 0.0

    # Read from any thread: plain attribute reads are atomic in CPython.
    @property
    def level_dbfs(self) -> float:
        """RMS level of the latest block, for a meter."""
        return self._level

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio recorded so far."""
        return self._frames / SAMPLE_RATE

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    def add_listener(self, listener: Listener) -> None:
        """listener(block) gets every block in order, on the writer thread, after it is on disk."""
        self._listeners.append(listener)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a Recorder records once; make a new one")
        wav = self._open_wav() if self.out_path is not None else None
        try:
            self.source.start(self._queue)
        except BaseException:
            if wav is not None:
                wav[0].close()
                wav[1].close()
                self.out_path.unlink(missing_ok=True)  # type: ignore[union-attr]
            raise
        self._thread = threading.Thread(
            target=self._run, args=(wav,), name="rehearse-recorder", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Ask the recording to end; what was captured so far is kept. Safe from any thread
        (and from a signal handler: it only sets an Event)."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> RecordingResult:
        if self._thread is None:
            raise RuntimeError("the recorder was not started")
        if not self._done.wait(timeout):
            raise TimeoutError("still recording")
        assert self._result is not None
        return self._result

    def record(self) -> RecordingResult:
        """start() then wait(): for callers with nothing else to do meanwhile."""
        self.start()
        return self.wait()

    # -- writer thread --

    def _open_wav(self) -> tuple[wave.Wave_write, Any]:
        path = self.out_path
        assert path is not None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(path, "wb")  # noqa: SIM115 - closed by the writer thread
        except OSError as exc:
            raise RehearseError(
                f"Cannot write the recording to {path} ({exc.strerror}); pick another place."
            ) from None
        w = wave.open(f, "wb")  # noqa: SIM115 - closed by the writer thread
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        return w, f

    def _run(self, wav: tuple[wave.Wave_write, Any] | None) -> None:
        reason: StopReason = "stopped"
        error: str | None = None
        silence = _SilenceDetector() if self.silence_stop_seconds else None
        last_flush = last_block = time.monotonic()
        got_block = False
        try:
            while True:
                stopping = self._stop.is_set()
                try:
                    # Once asked to stop, keep only what was already captured.
                    item = self._queue.get_nowait() if stopping else self._queue.get(timeout=0.1)
                except queue.Empty:
                    if stopping:
                        break
                    waited = time.monotonic() - last_block
                    if waited > (STALL_S if got_block else STARTUP_S):
                        reason = "error"
                        error = f"the {self.source.description} sent no audio for {waited:.0f} s"
                        break
                    continue
                if isinstance(item, SourceEnd):
                    reason, error = item.reason, item.error
                    break
                got_block = True
                last_block = time.monotonic()
                done = self._take(item, wav, silence)
                if done is not None:
                    reason = done
                    break
                if wav is not None and last_block - last_flush >= FLUSH_INTERVAL_S:
                    wav[1].flush()
                    last_flush = last_block
        except OSError as exc:  # disk full, file removed...: keep what is there
            reason, error = "error", f"writing {self.out_path} failed ({exc.strerror})"
        except Exception as exc:
            log.exception("recorder writer failed")
            reason, error = "error", f"the recorder failed ({exc})"
        finally:
            with contextlib.suppress(Exception):
                self.source.stop()
            if wav is not None:
                with contextlib.suppress(Exception):
                    wav[0].close()  # patches the header one last time
                with contextlib.suppress(Exception):
                    wav[1].flush()
                    os.fsync(wav[1].fileno())
                with contextlib.suppress(Exception):
                    wav[1].close()
            rms = math.sqrt(self._sum_squares / self._frames) if self._frames else 0.0
            self._result = RecordingResult(
                path=self.out_path,
                duration_s=self._frames / SAMPLE_RATE,
                stop_reason=reason,
                error=error,
                peak_dbfs=_dbfs(self._peak),
                rms_dbfs=_dbfs(rms),
            )
            self._done.set()

    def _take(
        self,
        block: np.ndarray,
        wav: tuple[wave.Wave_write, Any] | None,
        silence: _SilenceDetector | None,
    ) -> StopReason | None:
        import numpy as np

        reason: StopReason | None = None
        if self.max_frames is not None and self._frames + len(block) >= self.max_frames:
            block = block[: self.max_frames - self._frames]
            reason = "max_duration"
        if wav is not None:
            pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
            wav[0].writeframes(pcm.tobytes())  # wave patches the header on every call
        self._frames += len(block)
        if block.size:
            self._sum_squares += float(np.sum(np.square(block, dtype=np.float64)))
            self._peak = max(self._peak, float(np.max(np.abs(block))))
        self._level = level_dbfs(block)
        for listener in list(self._listeners):
            try:
                listener(block)
            except Exception:
                # A failing consumer (live transcription) must not cost the recording.
                log.exception("recording listener %r failed; it gets no more audio", listener)
                self._listeners.remove(listener)
        if silence is not None and reason is None:
            silence.feed(self._level, len(block) / SAMPLE_RATE)
            if silence.silence_s >= (self.silence_stop_seconds or math.inf):
                reason = "silence"
        return reason
