"""Microphone capture figures: audio-callback cost, writer cost, first-block latency and the audio
a `kill -9` loses. Run: .venv/bin/python benchmarks/bench_capture.py"""

from __future__ import annotations

import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from rehearse.speech.audio_io import write_wav
from rehearse.speech.capture import (
    BLOCK_FRAMES,
    SAMPLE_RATE,
    FileSource,
    MicrophoneSource,
    Recorder,
)


def callback_cost_us(n: int = 20_000) -> float:
    """What the PortAudio callback does per 100 ms block: copy one channel and put it."""
    q: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
    put = q.put_nowait
    indata = np.random.default_rng(0).normal(0, 0.1, (BLOCK_FRAMES, 1)).astype(np.float32)
    t0 = time.perf_counter()
    for _ in range(n):
        put(indata[:, 0].copy())
    return (time.perf_counter() - t0) / n * 1e6


def writer_cost(tmp: Path, seconds: float = 300.0) -> float:
    """CPU seconds the writer thread spends per second of audio (WAV + level + silence check)."""
    audio = np.random.default_rng(1).normal(0, 0.1, int(seconds * SAMPLE_RATE)).astype(np.float32)
    src = tmp / "noise.wav"
    write_wav(src, audio)
    source = FileSource(src, realtime=False)  # decoding is outside the timed part
    t0 = time.perf_counter()
    Recorder(source, tmp / "out.wav", silence_stop_seconds=5).record()
    return (time.perf_counter() - t0) / seconds


def first_block_latency_s() -> float:
    recorder = Recorder(MicrophoneSource(None), None, max_seconds=0.2)
    t0 = time.monotonic()
    recorder.start()
    while recorder.elapsed_s == 0:
        time.sleep(0.005)
    latency = time.monotonic() - t0
    recorder.wait()
    return latency


def kill9_loss_s(tmp: Path, run: int) -> float:
    """Seconds of audio the file lacks after kill -9, vs. what had been captured by then."""
    out = tmp / f"killed{run}.wav"
    src = Path(__file__).resolve().parent.parent.parent / "shared" / "audio" / "jfk.flac"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "record", str(out), "--input-file", str(src)],
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )

    def seconds() -> float:
        try:
            with wave.open(str(out), "rb") as w:
                return w.getnframes() / SAMPLE_RATE
        except (FileNotFoundError, EOFError, wave.Error):
            return 0.0

    while seconds() == 0:
        time.sleep(0.01)
    # The file source feeds at real time from its start, so captured ~= header + time since.
    t_first, first = time.monotonic(), seconds()
    time.sleep(2.0 + run * 0.137)  # vary the phase against the flush interval
    captured = first + (time.monotonic() - t_first)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return captured - seconds()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cb = statistics.median(callback_cost_us() for _ in range(5))
        print(f"audio callback per 100 ms block: {cb:.1f} µs (median of 5 x 20000)")
        wc = statistics.median(writer_cost(tmp) for _ in range(3))
        print(f"writer thread: {wc * 1000:.2f} ms per second of audio (median of 3 x 300 s)")
        lat = [first_block_latency_s() for _ in range(3)]
        print(f"first block from the default source: {', '.join(f'{x:.2f}' for x in lat)} s")
        losses = [kill9_loss_s(tmp, i) for i in range(5)]
        print(
            f"kill -9 loss: median {statistics.median(losses):.2f} s, "
            f"max {max(losses):.2f} s (5 runs)"
        )


if __name__ == "__main__":
    main()
