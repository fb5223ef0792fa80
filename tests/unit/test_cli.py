from __future__ import annotations

from conftest import RunCli
from rehearse import locations


def test_help_lists_the_commands(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ("doctor",):
        assert name in result.stdout


def test_unknown_command_exits_2(run_cli: RunCli) -> None:
    result = run_cli("no-such-command")
    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_broken_config_is_one_line_and_exit_2(run_cli: RunCli) -> None:
    locations.config_file().write_text("threads = [\n")
    result = run_cli("doctor")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "not valid TOML" in result.stderr
