"""`rehearse doctor`: is this machine ready to rehearse?"""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def doctor(fmt: str) -> None:
    """Check the microphone, voice, model and data folder; each line says ok or the fix."""
    from rehearse.config import load_settings
    from rehearse.doctor import run_checks

    outcomes = run_checks(load_settings())
    if fmt == "json":
        click.echo(json.dumps([o.to_dict() for o in outcomes], indent=2))
    else:
        for o in outcomes:
            mark = click.style("ok  ", fg="green") if o.ok else click.style("FIX ", fg="red")
            line = f"{mark} {o.name:<11} {o.detail}"
            if o.fix:
                line += f"\n     {'':<11} -> {o.fix}"
            click.echo(line)
    if not all(o.ok for o in outcomes):
        raise SystemExit(1)
