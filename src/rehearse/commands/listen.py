"""`rehearse listen`: record an answer and transcribe it while it is spoken.

The transcript is ready about a second after the answer ends, because all but the last few
seconds were transcribed during the answer (rehearse.speech.streaming).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from rehearse.errors import RehearseError

# With no --max-seconds, a forgotten session still ends.
DEFAULT_MAX_SECONDS = 600.0


class _PartialLine:
    """The live transcript on one terminal line of stderr (its end, if it is too long)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.shown = False

    def __call__(self, text: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        line = text if len(text) <= width else "\u2026" + text[-(width - 1) :]
        with self._lock:
            sys.stderr.write("\r\033[K" + line)
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        with self._lock:
            if self.shown:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
                self.shown = False


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="json", show_default=True
)
@click.option(
    "--device",
    help="Input device index or name substring (default: the config's input_device, "
    "else the system default). See `rehearse devices`.",
)
@click.option(
    "--input-file",
    type=click.Path(path_type=Path),
    help="Use an audio file instead of the microphone, fed at real-time pace.",
)
@click.option(
    "--silence-stop",
    type=click.FloatRange(min=0),
    help="Stop after this many seconds of silence once speech has started (0: off; "
    "default: the config's silence_stop_seconds).",
)
@click.option(
    "--max-seconds",
    type=click.FloatRange(min=0, min_open=True),
    help=f"Stop after this many seconds (default {DEFAULT_MAX_SECONDS:.0f}).",
)
@click.option(
    "--save-audio",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also save the recording to this WAV file.",
)
def listen(
    fmt: str,
    device: str | None,
    input_file: Path | None,
    silence_stop: float | None,
    max_seconds: float | None,
    save_audio: Path | None,
) -> None:
    """Record from the microphone and transcribe while you speak.

    Ends on Ctrl-C, after --silence-stop seconds of silence, or at --max-seconds; then prints
    the transcript (JSON as `rehearse transcribe --format json`, or text).
    """
    from rehearse.config import load_settings
    from rehearse.speech.capture import Recorder, open_source
    from rehearse.speech.streaming import StreamingTranscriber
    from rehearse.speech.transcribe import Transcriber

    settings = load_settings()
    if save_audio is not None and save_audio.exists():
        raise RehearseError(f"{save_audio} already exists; pick a new name for --save-audio.")
    source = open_source(input_file, device if device is not None else settings.input_device)
    if silence_stop is None:
        silence_stop = settings.silence_stop_seconds
    transcriber = Transcriber(
        model=settings.model,
        compute_type=settings.compute_type,
        threads=settings.threads,
        beam_size=settings.beam_size,
    )
    transcriber.load()  # before recording, so the first chunk does not wait for it
    partial = _PartialLine() if sys.stderr.isatty() else None
    streamer = StreamingTranscriber(transcriber, on_partial=partial)
    recorder = Recorder(
        source,
        save_audio,
        max_seconds=max_seconds or DEFAULT_MAX_SECONDS,
        silence_stop_seconds=silence_stop or None,
    )
    recorder.add_listener(streamer.feed)
    cancel = threading.Event()

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        # The first Ctrl-C ends the answer; a second one gives up waiting for the transcript.
        if recorder.running:
            recorder.stop()
        else:
            cancel.set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        click.echo(f"Listening to the {source.description}; Ctrl-C stops.", err=True)
        try:
            recorder.start()
        except BaseException:
            streamer.close()
            raise
        while True:
            with contextlib.suppress(TimeoutError):
                result = recorder.wait(timeout=0.2)
                break
        transcript = streamer.finish(cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
        if partial is not None:
            partial.clear()
    if fmt == "json":
        click.echo(json.dumps(transcript.to_json_dict(), indent=2))
    else:
        if transcript.text:
            click.echo(transcript.text)
        if transcript.note:
            click.echo(f"rehearse: {transcript.note}", err=True)
    if result.stop_reason == "error":
        saved = f"; the audio is saved in {save_audio}" if save_audio is not None else ""
        raise RehearseError(
            f"Listening stopped early after {result.duration_s:.1f} s: {result.error}{saved}; "
            "check the microphone with `rehearse devices`."
        )
