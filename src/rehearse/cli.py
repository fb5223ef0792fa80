"""The `rehearse` command line. Each command lives in rehearse.commands.<name> and is imported
only when it runs (or when --help lists it), so start-up stays fast."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from rehearse import __version__
from rehearse.errors import RehearseError

# name -> "module:attribute"; the module must import only light things at the top.
COMMANDS: dict[str, str] = {
    "analyze": "rehearse.commands.analyze:analyze",
    "devices": "rehearse.commands.devices:devices",
    "doctor": "rehearse.commands.doctor:doctor",
    "history": "rehearse.commands.history:history",
    "listen": "rehearse.commands.listen:listen",
    "practice": "rehearse.commands.practice:practice",
    "record": "rehearse.commands.record:record",
    "say": "rehearse.commands.say:say",
    "transcribe": "rehearse.commands.transcribe:transcribe",
    "voices": "rehearse.commands.voices:voices",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (the pattern from click's docs)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not written yet
                return None
            raise
        return getattr(module, attr)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="rehearse")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Rehearse interview answers out loud, offline: hear the question, answer, get feedback.

    With no command, opens the practice studio.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if ctx.invoked_subcommand is None:
        from rehearse.commands.practice import open_studio

        open_studio()


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI; a RehearseError becomes one sentence on stderr and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        return cli.main(args=args, prog_name="rehearse", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(2)
    except RehearseError as exc:
        if debug:
            raise
        click.echo(f"rehearse: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        if debug:
            raise
        click.echo("rehearse: interrupted; nothing was lost.", err=True)
        sys.exit(2)
