"""Interviewer voice figures: engine start, render speed per preset, time to first sound and how
fast a cancel takes effect. Run: .venv/bin/python benchmarks/bench_voice.py"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

from rehearse.speech import tts

QUESTION = "What are your career goals for the next five years?"
LONG = (
    "Tell me about a time you disagreed with a colleague about the direction of a project, "
    "how you raised it, what you both learned, and what you would do differently today."
)
RATE = 22_050
LOW = ["--latency-msec=20"]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def render_figures(tmp: Path) -> dict[str, tuple[float, float]]:
    """Per preset: median render time (s) and audio length (s) for QUESTION."""
    out: dict[str, tuple[float, float]] = {}
    for name, preset in sorted(tts.load_presets().items()):
        with tts.Speaker(preset) as s:
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                s.save_wav(QUESTION, tmp / f"{name}.wav")
                times.append(time.perf_counter() - t0)
        out[name] = (statistics.median(times), wav_seconds(tmp / f"{name}.wav"))
    return out


def first_sound_s(speaker: tts.Speaker, runs: int = 5) -> list[float]:
    """From say() to the first loud 10 ms in the null sink's monitor (parec, 20 ms fragments)."""
    results = []
    for _ in range(runs):
        proc = subprocess.Popen(
            ["parec", "--raw", f"--rate={RATE}", "--channels=1", "--format=s16le", *LOW],
            stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None
        proc.stdout.read(RATE // 10 * 2)  # the server is warm and the recorder is listening
        chunks: list[bytes] = []
        stream = proc.stdout
        reader = threading.Thread(target=lambda s=stream, c=chunks: c.append(s.read(RATE * 8)))
        reader.start()  # four seconds from the moment say() is called
        speaker.say("Hello.")
        reader.join()
        proc.terminate()
        proc.wait()
        samples = np.frombuffer(chunks[0], dtype="<i2").astype(np.float32) / 32768
        env = np.sqrt(np.mean(samples[: len(samples) // 220 * 220].reshape(-1, 220) ** 2, axis=1))
        loud = np.nonzero(env > 0.02)[0]
        if len(loud):
            results.append(loud[0] * 0.01)
    return results


def cancel_latency_s(speaker: tts.Speaker, runs: int = 5) -> list[float]:
    latencies = []
    for _ in range(runs):
        cancel = threading.Event()
        set_at: list[float] = []

        def fire(event: threading.Event = cancel, stamp: list[float] = set_at) -> None:
            stamp.append(time.monotonic())
            event.set()

        threading.Timer(1.0, fire).start()
        spoken = speaker.say(LONG, cancel=cancel)
        assert spoken is False
        latencies.append(time.monotonic() - set_at[0])
    return latencies


def main() -> None:
    t0 = time.perf_counter()
    speaker = tts.Speaker(tts.get_preset("neutral"))
    start = time.perf_counter() - t0
    print(f"engine start (pyttsx3 + espeak-ng init, voice list): {start * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (seconds, audio) in render_figures(Path(tmp)).items():
            print(
                f"render {name:<8} {seconds * 1000:6.1f} ms for {audio:.2f} s of audio "
                f"({audio / seconds:.0f}x real time)"
            )
    firsts = first_sound_s(speaker)
    print(f"say() to first sound (warm server): median {statistics.median(firsts) * 1000:.0f} ms")
    lat = cancel_latency_s(speaker)
    print(
        f"cancel -> say() returns: median {statistics.median(lat) * 1000:.0f} ms, "
        f"max {max(lat) * 1000:.0f} ms"
    )
    speaker.close()


if __name__ == "__main__":
    main()
