"""`rehearse transcribe AUDIO`: one model load, one decode, the text or the documented JSON."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("audio", type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--model", default=None, help="Whisper model name or folder (default: config).")
def transcribe(audio: str, fmt: str, model: str | None) -> None:
    """Transcribe an audio file (WAV, FLAC, MP3, OGG...) with the local Whisper model."""
    from rehearse.config import load_settings
    from rehearse.speech.transcribe import Transcriber

    settings = load_settings()
    transcriber = Transcriber(
        model=model or settings.model,
        compute_type=settings.compute_type,
        threads=settings.threads,
        beam_size=settings.beam_size,
    )
    result = transcriber.transcribe(audio)
    if fmt == "json":
        click.echo(json.dumps(result.to_json_dict(), indent=2))
        return
    if result.text:
        click.echo(result.text)
    if result.note:
        click.echo(f"rehearse: {result.note}", err=True)
