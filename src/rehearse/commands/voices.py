"""`rehearse voices`: the interviewer presets and whether each works on this machine."""

from __future__ import annotations

import json

import click


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def voices(fmt: str) -> None:
    """List the interviewer voice presets and whether each resolves on this machine."""
    from rehearse import locations
    from rehearse.speech.tts import SpeechUnavailable, load_presets, resolve_voice

    presets = load_presets()
    engine_note: str | None = None
    rows = []
    for preset in sorted(presets.values(), key=lambda p: p.name):
        engine_voice: str | None = None
        if engine_note is None:
            try:
                engine_voice = resolve_voice(preset)
            except SpeechUnavailable as exc:
                engine_note = exc.message
        rows.append(
            {
                "name": preset.name,
                "description": preset.description,
                "voice": preset.voice,
                "rate": preset.rate,
                "volume": preset.volume,
                "resolves": engine_voice is not None,
                "engine_voice": engine_voice,
                "source": "built-in" if preset.builtin else "user",
                "path": str(preset.source) if preset.source else None,
            }
        )

    if fmt == "json":
        click.echo(json.dumps({"presets": rows, "engine_error": engine_note}, indent=2))
        return
    if not rows:
        click.echo("No voice presets found.")
    for row in rows:
        if row["resolves"]:
            status = click.style("ok", fg="green") + f" ({row['engine_voice']})"
        else:
            status = click.style("not available here", fg="red")
        click.echo(
            f"{row['name']:<10} {row['rate']:>3} wpm  {row['source']:<8}  "
            f"{row['voice']:<12} {status}"
        )
        if row["description"]:
            click.echo(f"{'':<10} {row['description']}")
        if row["source"] == "user":
            click.echo(f"{'':<10} from {row['path']}")
    if engine_note:
        click.echo(f"\nrehearse: {engine_note}", err=True)
    click.echo(f"\nAdd or override presets with TOML files in {locations.user_voices_dir()}")
