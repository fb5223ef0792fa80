"""How fast the rubric is: analysing one transcript (goal < 20 ms) and the whole
`rehearse analyze --text` command, process start to exit (goal < 0.5 s)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from rehearse.analysis import analyze_text, analyze_transcript
from rehearse.domain import Transcript, Word
from rehearse.questions import get_question

REPO = Path(__file__).resolve().parent.parent


def sample_answers() -> list[str]:
    texts = [
        tomllib.loads(p.read_text(encoding="utf-8"))["text"]
        for p in sorted((REPO / "fixtures" / "answers").glob("*.toml"))
    ]
    return texts or ["In five years I want to lead a data team within your company. " * 20]


def as_transcript(text: str) -> Transcript:
    """Word timings at 150 wpm, as Whisper would give for a fluent reading."""
    words = [
        Word(" " + w, 0.5 + 0.4 * i, 0.5 + 0.4 * i + 0.32, 0.9) for i, w in enumerate(text.split())
    ]
    return Transcript(text, words, [], duration_s=words[-1].end + 1.0, model="bench")


def bench_transcripts() -> tuple[float, float, int]:
    question = get_question("career_goals")
    answers = sample_answers()
    transcripts = [as_transcript(t) for t in answers]
    analyze_text(answers[0], question)  # load and compile the data files once
    times = []
    for _ in range(3):
        for t in transcripts:
            start = time.perf_counter()
            analyze_transcript(t, question)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000, len(transcripts)


def bench_cli(runs: int = 7) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write(sample_answers()[0])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rehearse", "analyze", "--text", fh.name],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    Path(fh.name).unlink()
    return statistics.median(times)


def main() -> None:
    median_ms, worst_ms, n = bench_transcripts()
    print(
        f"analyze_transcript: median {median_ms:.1f} ms, worst {worst_ms:.1f} ms "
        f"over {n} answers x3 (goal < 20 ms)"
    )
    print(f"rehearse analyze --text: median wall {bench_cli():.3f} s (goal < 0.5 s)")


if __name__ == "__main__":
    main()
