"""`rehearse say`: speak text in an interviewer's voice, or write it to a WAV file."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click


@click.command()
@click.argument("text")
@click.option("--voice", "voice_name", default=None, help="Preset name (see `rehearse voices`).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the speech to this WAV file instead of playing it.",
)
def say(text: str, voice_name: str | None, out: Path | None) -> None:
    """Speak TEXT aloud (Ctrl-C stops it), or write it to --out FILE.wav."""
    from rehearse.config import load_settings
    from rehearse.errors import RehearseError
    from rehearse.speech.tts import Speaker, get_preset

    if not text.strip():
        raise RehearseError("There is nothing to say: give some text.")
    preset = get_preset(voice_name or load_settings().voice)
    with Speaker(preset) as speaker:
        if out is not None:
            written = speaker.save_wav(text, out)
            click.echo(f"Wrote {written}", err=True)
            return
        # Our own handler, as record and listen have: Ctrl-C works even where the shell
        # started us with SIGINT ignored (a background job), and stops the sound cleanly.
        stop = threading.Event()

        def on_sigint(signum: int, frame: FrameType | None) -> None:
            stop.set()  # only sets an Event: safe in a signal handler

        previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            finished = speaker.say(text, cancel=stop)
        finally:
            signal.signal(signal.SIGINT, previous)
        if not finished:
            click.echo("Stopped.", err=True)
            raise SystemExit(130)
