"""Studio responsiveness: first paint, and the longest the UI thread is ever blocked.

1. First paint in a real terminal: `rehearse` starts in a tmux pane (a private server) and the
   clock stops when the home screen's text is on the pane (polled every 10 ms). Includes Python
   start-up and imports, i.e. what a person waits for.
2. First paint in-process: App construction to the home screen's first refresh under Pilot.
3. UI-thread blocking: an asyncio probe on the app's loop sleeps 5 ms at a time and records how
   late it wakes. Any handler that blocks the loop shows up as lateness. Measured through app
   start (the model loads in a worker) and one whole attempt with --input-file: record,
   transcribe, analyse, save, results screen. Goal: no stall over 50 ms.

Run: .venv/bin/python benchmarks/bench_ui.py [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WAV = REPO / "fixtures" / "speech" / "answer_growth.wav"


def first_paint_tmux(home: Path) -> float:
    # A fresh private server per run: reusing a socket right after kill-server races.
    sock = ["tmux", "-L", f"rehearse-bench-{os.getpid()}-{time.monotonic_ns()}"]
    cmd = shlex.join(
        ["env", f"REHEARSE_HOME={home}", "TERM=xterm-256color", sys.executable, "-m", "rehearse"]
    )
    start = time.perf_counter()
    subprocess.run(
        [*sock, "new-session", "-d", "-s", "b", "-x", "100", "-y", "30", cmd], check=True
    )
    try:
        while time.perf_counter() - start < 20:
            pane = subprocess.run([*sock, "capture-pane", "-p", "-t", "b"], capture_output=True)
            if b"Practice one question" in pane.stdout:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError("the home screen never appeared")
    finally:
        subprocess.run([*sock, "kill-server"], capture_output=True)


class Probe:
    """Measures event-loop lateness: how long handlers kept the UI thread from running."""

    def __init__(self, period: float = 0.005) -> None:
        self.period = period
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.period)
            self.lags.append(time.perf_counter() - before - self.period)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


class StepTimer:
    """Times every step the event loop runs (a callback, or a task running up to its next await):
    the direct test of "no handler blocks the UI for more than 50 ms", as asyncio's own debug mode
    measures slow callbacks, without debug mode's overhead."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []
        # Steps before this moment (app start and first paint) are reported by the first-paint
        # figures instead.
        self.since = float("inf")

    def install(self) -> None:
        original = asyncio.events.Handle._run
        timer = self

        def timed(handle: Any) -> None:
            start = time.perf_counter()
            try:
                original(handle)
            finally:
                took = time.perf_counter() - start
                if took > 0.02 and start >= timer.since:
                    name = f"{_step_name(handle)} at {start - timer.since:+.1f} s"
                    timer.times.append((took, name))

        asyncio.events.Handle._run = timed  # type: ignore[method-assign]


def _step_name(handle: Any) -> str:
    """The coroutine a task step ran (e.g. a message pump's loop), else the callback."""
    owner = getattr(handle._callback, "__self__", None)
    coro = owner.get_coro() if isinstance(owner, asyncio.Task) else None
    name = getattr(coro, "__qualname__", None) or repr(handle._callback)[:60]
    # A message pump's loop: say whose (the screen or widget doing the work).
    pump = getattr(getattr(coro, "cr_frame", None), "f_locals", {}).get("self")
    return f"{name} ({type(pump).__name__})" if pump is not None else name


class HandlerTimer:
    """Times every message dispatch, awaits included: which message a slow step belonged to.
    A dispatch that awaits (a screen switch waits for the new screen to mount) counts the wait
    too, while the loop is free, so StepTimer is the measure of blocking."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []

    def install(self) -> None:
        from textual.message_pump import MessagePump

        original = MessagePump._dispatch_message
        timer = self

        async def timed(pump: Any, message: Any) -> Any:
            start = time.perf_counter()
            try:
                return await original(pump, message)
            finally:
                timer.times.append((time.perf_counter() - start, type(message).__name__))

        MessagePump._dispatch_message = timed  # type: ignore[method-assign]


def stream_rtf() -> list[float]:
    """The live transcriber's real-time factor (decode seconds / audio seconds) under the TUI,
    taken when the practice screen's StreamingTranscriber finishes."""
    from rehearse.speech.streaming import StreamingTranscriber

    out: list[float] = []
    original = StreamingTranscriber.finish

    def finish(self: StreamingTranscriber, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if self.duration_s > 0:
            out.append(self.decode_s / self.duration_s)
        return result

    StreamingTranscriber.finish = finish  # type: ignore[method-assign]
    return out


async def attempt_under_probe() -> dict[str, float]:
    from rehearse.config import Settings
    from rehearse.services import build_services
    from rehearse.ui.app import RehearseApp, StartPlan
    from rehearse.ui.screens.home import HomeScreen
    from rehearse.ui.screens.results import ResultsScreen

    handlers = HandlerTimer()
    handlers.install()
    steps = StepTimer()
    steps.install()
    rtf = stream_rtf()
    probe = Probe()
    probe.start()
    t0 = time.perf_counter()
    services = build_services(Settings(prep_seconds=0), input_file=WAV, no_tts=True)
    app = RehearseApp(services, StartPlan("single", prep_s=0), hints_provider=None)
    figures: dict[str, float] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        while not any(isinstance(s, HomeScreen) for s in app.screen_stack):
            await pilot.pause(0.001)
        figures["first_screen_s"] = time.perf_counter() - t0
        await pilot.pause(0.5)  # let the first layout settle
        steps.since = time.perf_counter()
        while not isinstance(app.screen, ResultsScreen):
            await pilot.pause(0.05)
            if time.perf_counter() - t0 > 300:
                raise RuntimeError("the attempt never reached the results screen")
        figures["attempt_s"] = time.perf_counter() - t0
        figures["model_load_s"] = app.model_load_s or 0.0
        await pilot.pause(0.3)
    probe.stop()
    lags = sorted(probe.lags)
    figures["probe_samples"] = len(lags)
    figures["max_stall_ms"] = 1000 * lags[-1]
    figures["p99_stall_ms"] = 1000 * lags[int(0.99 * (len(lags) - 1))]
    figures["stalls_over_50ms"] = sum(1 for x in lags if x > 0.05)
    # Mount/Compose of a whole screen is the first paint, reported above; the rest are handlers.
    slow = sorted(
        (t for t in handlers.times if t[1] not in ("Mount", "Compose", "ScreenResume")),
        reverse=True,
    )
    if rtf:
        figures["stream_rtf"] = rtf[-1]
    # This coroutine's own steps (Pilot walking the widget tree) are the harness, not the app.
    app_steps = [(t, n) for t, n in steps.times if not n.startswith("attempt_under_probe")]
    figures["max_step_ms"] = 1000 * max((t for t, _ in app_steps), default=0.0)
    figures["steps_over_50ms"] = sum(1 for t, _ in app_steps if t > 0.05)
    worst = sorted(steps.times, reverse=True)[:4]
    print("  slowest loop steps:", ", ".join(f"{n} {t * 1000:.0f} ms" for t, n in worst))
    figures["max_handler_ms"] = 1000 * slow[0][0]
    figures["handlers_over_50ms"] = sum(1 for t, _ in slow if t > 0.05)
    figures["handlers"] = len(slow)
    print("  slowest handlers:", ", ".join(f"{n} {t * 1000:.0f} ms" for t, n in slow[:4]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REHEARSE_HOME"] = tmp
        if shutil.which("tmux"):
            paints = [first_paint_tmux(Path(tmp)) for _ in range(args.runs)]
            print(
                f"first paint in tmux (rehearse -> home text): median "
                f"{statistics.median(paints) * 1000:.0f} ms, max {max(paints) * 1000:.0f} ms "
                f"over {len(paints)} runs"
            )
        for run in range(args.runs):
            figures = asyncio.run(attempt_under_probe())
            print(
                f"run {run + 1}: first screen {figures['first_screen_s'] * 1000:.0f} ms, "
                f"model load {figures['model_load_s']:.2f} s (worker), whole attempt "
                f"{figures['attempt_s']:.1f} s; UI stalls: max {figures['max_stall_ms']:.1f} ms, "
                f"p99 {figures['p99_stall_ms']:.1f} ms, over 50 ms: "
                f"{figures['stalls_over_50ms']:.0f} of {figures['probe_samples']:.0f}; "
                f"loop steps: max {figures['max_step_ms']:.1f} ms, over 50 ms: "
                f"{figures['steps_over_50ms']:.0f}; "
                f"live transcription RTF {figures.get('stream_rtf', float('nan')):.2f}; "
                f"handlers: max {figures['max_handler_ms']:.1f} ms, over 50 ms: "
                f"{figures['handlers_over_50ms']:.0f} of {figures['handlers']:.0f}"
            )
    # Linux reports kilobytes. The whole studio: Textual, the model and an answer's audio.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the studio process over {args.runs} attempts: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
