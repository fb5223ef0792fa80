"""`rehearse practice` refuses bad input with one sentence and exit code 2, before any screen."""

from __future__ import annotations

from conftest import RunCli


def test_unknown_question_is_one_sentence(run_cli: RunCli) -> None:
    result = run_cli("practice", "--question", "no_such_question", "--no-tts")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "There is no question 'no_such_question'" in result.stderr


def test_missing_input_file_is_one_sentence(run_cli: RunCli) -> None:
    result = run_cli("practice", "--input-file", "/nonexistent/answer.wav", "--prep", "0")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr


def test_question_and_round_together_are_refused(run_cli: RunCli) -> None:
    result = run_cli("practice", "--question", "career_goals", "--round", "2")
    assert result.returncode == 2
    assert "not both" in result.stderr
