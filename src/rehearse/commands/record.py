"""`rehearse record OUT.wav`: record the microphone (or a file standing in for it) to a WAV."""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from rehearse.errors import RehearseError

if TYPE_CHECKING:
    from rehearse.speech.capture import Recorder

# With no --seconds, a forgotten recording still ends (and stays a sensible size).
DEFAULT_MAX_SECONDS = 600.0
METER_WIDTH = 30
METER_FLOOR_DBFS = -60.0


def meter_line(elapsed_s: float, level: float) -> str:
    """'● 00:03.2 [#########-----] -23 dBFS' for the live level line."""
    filled = round(METER_WIDTH * (max(METER_FLOOR_DBFS, min(0.0, level)) / -METER_FLOOR_DBFS + 1))
    minutes, seconds = divmod(elapsed_s, 60)
    bar = "#" * filled + "-" * (METER_WIDTH - filled)
    shown = f"{level:5.0f}" if level > METER_FLOOR_DBFS else " -inf"
    return f"\u25cf {int(minutes):02d}:{seconds:04.1f} [{bar}] {shown} dBFS"


def _run_with_meter(recorder: Recorder, meter: bool) -> None:
    """Wait for the recorder, drawing the level line; Ctrl-C stops it instead of killing us."""

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        recorder.stop()  # only sets an Event: safe in a signal handler

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        recorder.start()
        while recorder.running:
            with contextlib.suppress(TimeoutError):
                recorder.wait(timeout=0.1)
            if meter:
                sys.stderr.write("\r" + meter_line(recorder.elapsed_s, recorder.level_dbfs))
                sys.stderr.flush()
    finally:
        signal.signal(signal.SIGINT, previous)
        if meter:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--seconds",
    type=click.FloatRange(min=0, min_open=True),
    help=f"Stop after this many seconds (default: Ctrl-C, at most {DEFAULT_MAX_SECONDS:.0f} s).",
)
@click.option(
    "--device",
    help="Input device index or name substring (default: the config's input_device, "
    "else the system default). See `rehearse devices`.",
)
@click.option(
    "--silence-stop",
    type=click.FloatRange(min=0),
    help="Stop after this many seconds of silence once speech has started (0: off; "
    "default: the config's silence_stop_seconds).",
)
@click.option(
    "--input-file",
    type=click.Path(path_type=Path),
    help="Use an audio file instead of the microphone, fed at real-time pace.",
)
@click.option("--force", "-f", is_flag=True, help="Overwrite OUT if it exists.")
def record(
    out: Path,
    seconds: float | None,
    device: str | None,
    silence_stop: float | None,
    input_file: Path | None,
    force: bool,
) -> None:
    """Record an answer to OUT (a 16 kHz mono WAV). Ctrl-C stops and keeps the recording."""
    from rehearse.config import load_settings
    from rehearse.speech.capture import Recorder, open_source

    settings = load_settings()
    if out.exists() and not force:
        raise RehearseError(f"{out} already exists; pass --force to replace it or pick a new name.")
    if out.is_dir():
        raise RehearseError(f"{out} is a folder; give a file name such as answer.wav.")
    source = open_source(input_file, device if device is not None else settings.input_device)
    if silence_stop is None:
        silence_stop = settings.silence_stop_seconds
    recorder = Recorder(
        source,
        out,
        max_seconds=seconds or DEFAULT_MAX_SECONDS,
        silence_stop_seconds=silence_stop or None,
    )
    click.echo(f"Recording from the {source.description}; Ctrl-C stops.", err=True)
    _run_with_meter(recorder, meter=sys.stderr.isatty())
    result = recorder.wait()
    why = {
        "stopped": "stopped",
        "max_duration": "time limit",
        "silence": f"{silence_stop:g} s of silence",
        "end_of_input": "end of the input file",
        "error": "error",
    }[result.stop_reason]
    click.echo(f"Saved {result.duration_s:.1f} s to {out} ({why}).")
    if result.stop_reason == "error":
        raise RehearseError(
            f"Recording stopped early: {result.error}; the {result.duration_s:.1f} s before "
            f"that are saved in {out}."
        )
