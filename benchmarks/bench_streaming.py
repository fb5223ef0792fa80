"""Transcribe-while-speaking figures through the real microphone path (issue 6).

For spoken answers of about 30, 80 and 150 s (espeak-ng, made in a temp dir), each run plays the
answer with paplay into the PulseAudio null sink while a Recorder on the default source (the sink's
monitor) feeds a StreamingTranscriber, as `rehearse listen` and the practice screen do. Then:

- stop mode: the recorder is stopped the moment paplay returns (speech has ended: the stop key)
  and we time end of speech -> final transcript;
- silence mode (--silence-stop S): the recorder stops itself after S s of silence and we time
  auto-stop -> final transcript.

Also: WER of the streaming transcript and of a batch transcription of the same recorded audio,
the real-time factor of the streaming decodes (decode seconds / audio seconds) and the batch
decode time, which is what the candidate would wait without streaming.

The runs use a null sink of their own (`rehearse_bench`, made and removed here) with its monitor
as the recorder's source (PULSE_SOURCE), so other test suites playing into the shared
`rehearse_sink` at the same time cannot leak into the recording.

Run: .venv/bin/python benchmarks/bench_streaming.py [--runs N] [--lengths 30,80,150]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
SINK = "rehearse_bench"

# Sentences in the voice of a candidate answering "What are your career goals?" (our own words).
SENTENCES = [
    "When I think about my career goals, I want to grow into a senior engineer who can lead a "
    "small team.",
    "Over the next two years, I plan to deepen my skills in distributed systems and cloud "
    "infrastructure.",
    "I have already started by taking on the migration of our billing service, which taught me "
    "a lot about reliability.",
    "After that, I would like to mentor junior developers, because I enjoy explaining complex "
    "ideas in simple terms.",
    "In the longer run, maybe five years from now, I see myself as a technical lead who shapes "
    "the architecture of a product that people use every day.",
    "This role appeals to me because your company values ownership and learning, and those are "
    "the same things that motivate me.",
    "I am also excited about your work on data privacy, which connects with a project I did at "
    "university.",
    "Last year I organised our team's on-call rotation and wrote the runbooks that new people "
    "now use in their first week.",
    "I want to get better at writing design proposals and at reviewing code in a way that "
    "teaches rather than just corrects.",
    "Outside work, I contribute to an open source library for scheduling jobs, which keeps me "
    "close to how other teams solve problems.",
    "So in short, I want to build things that matter, help others grow, and keep learning "
    "along the way.",
]


@contextlib.contextmanager
def private_sink() -> Iterator[str]:
    """A null sink for this process alone; libpulse reads PULSE_SOURCE when PortAudio connects."""
    module = subprocess.run(
        ["pactl", "load-module", "module-null-sink", f"sink_name={SINK}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    os.environ["PULSE_SOURCE"] = f"{SINK}.monitor"
    # A plain `kill` must still remove the sink: make SIGTERM unwind through `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    try:
        yield SINK
    finally:
        subprocess.run(["pactl", "unload-module", module], check=False)


def fixtures_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_fixtures", REPO / "fixtures" / "make_fixtures.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = module
    spec.loader.exec_module(module)
    return module


def make_answer(tmp: Path, seconds: float) -> tuple[Path, str, float]:
    """An espeak-ng answer of about `seconds`: sentences repeated in order until long enough."""
    import wave

    words_per_s = 2.6  # espeak-ng en-us at 160 wpm, pauses included
    target_words = seconds * words_per_s
    chosen: list[str] = []
    i = 0
    while sum(len(s.split()) for s in chosen) < target_words:
        chosen.append(SENTENCES[i % len(SENTENCES)])
        i += 1
    text = " ".join(chosen)
    path = tmp / f"answer_{int(seconds)}.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path)) as w:
        duration = w.getnframes() / w.getframerate()
    return path, text, duration


def one_run(
    answer: Path, text: str, silence_stop: float | None, transcriber: object, fx: ModuleType
) -> dict[str, float]:
    from rehearse.speech.capture import MicrophoneSource, Recorder
    from rehearse.speech.streaming import StreamingTranscriber

    with tempfile.TemporaryDirectory() as tmp:
        heard = Path(tmp) / "heard.wav"
        streamer = StreamingTranscriber(transcriber)  # type: ignore[arg-type]
        recorder = Recorder(
            MicrophoneSource(None), heard, max_seconds=600, silence_stop_seconds=silence_stop
        )
        recorder.add_listener(streamer.feed)
        recorder.start()
        while recorder.elapsed_s < 0.3:  # an idle null-sink monitor takes a second or two
            time.sleep(0.02)
        subprocess.run(["paplay", "--device", SINK, str(answer)], check=True)
        speech_end = time.perf_counter()
        if silence_stop is None:
            recorder.stop()
            recorder.wait()
            start = speech_end
        else:
            recorder.wait()
            start = time.perf_counter()  # the auto-stop has just fired
        transcript = streamer.finish()
        latency = time.perf_counter() - start
        audio_s = transcript.duration_s
        t0 = time.perf_counter()
        batch = transcriber.transcribe(heard)  # type: ignore[attr-defined]
        batch_s = time.perf_counter() - t0
    return {
        "latency_s": latency,
        "wer_stream": fx.wer(text, transcript.text),
        "wer_batch": fx.wer(text, batch.text),
        "rtf": streamer.decode_s / audio_s,
        "decodes": streamer.decodes,
        "dropped": streamer.dropped,
        "batch_s": batch_s,
        "audio_s": audio_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lengths", default="30,80,150")
    parser.add_argument("--silence-stop", type=float, default=2.0)
    parser.add_argument("--modes", default="stop,silence")
    args = parser.parse_args()

    from rehearse.speech.transcribe import Transcriber

    fx = fixtures_module()
    transcriber = Transcriber()
    transcriber.load()
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average at start: {' '.join(load)}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, private_sink():
        for length in [float(x) for x in args.lengths.split(",")]:
            answer, text, duration = make_answer(Path(tmp), length)
            for mode in args.modes.split(","):
                stop = None if mode == "stop" else args.silence_stop
                runs = [one_run(answer, text, stop, transcriber, fx) for _ in range(args.runs)]
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                lat = ", ".join(f"{r['latency_s']:.2f}" for r in runs)
                rows.append(
                    f"| {duration:.0f} s | {mode} | **{med['latency_s']:.2f} s** ({lat}) | "
                    f"{med['wer_stream']:.3f} | {med['wer_batch']:.3f} | {med['rtf']:.2f} | "
                    f"{med['decodes']:.0f} ({med['dropped']:.0f} dropped) | "
                    f"{med['batch_s']:.1f} s |"
                )
                print(rows[-1], flush=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average at end: {' '.join(load)}")
    print(
        "| answer | end | latency, median (runs) | WER stream | WER batch | RTF | decodes | "
        "batch decode |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
