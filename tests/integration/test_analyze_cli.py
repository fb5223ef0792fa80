"""`rehearse analyze` as a user runs it: typed answers, bad input, and real speech through
espeak-ng and the real Whisper model."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHARED, RunCli

ANSWER = (
    "In the short term, I want to finish my CIPD Level 5 course and learn our payroll system. "
    "I've spent three years as an HR assistant, handling onboarding for a team of forty. "
    "In five years I'd like to be an HR business partner within your company, because I love "
    "helping managers sort out people problems fairly. I'd like to grow with Acme and take on "
    "more responsibility as I prove myself, and your focus on fairness is exactly why I applied."
)
PROFILE = 'company = "Acme"\nrole = "HR Advisor"\nvalues = ["fairness"]\ndescription = "Anvils."\n'


def _answer_file(tmp_path: Path, text: str = ANSWER) -> Path:
    path = tmp_path / "answer.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_text_answer_as_json(run_cli: RunCli, tmp_path: Path) -> None:
    profile = tmp_path / "acme.toml"
    profile.write_text(PROFILE)
    result = run_cli(
        "analyze",
        "--text",
        str(_answer_file(tmp_path)),
        "--profile",
        str(profile),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["delivery"] is None
    assert data["question"]["id"] == "career_goals"
    verdicts = {c["id"]: c["verdict"] for c in data["checks"]}
    assert verdicts["long_term_goal"] == verdicts["development_plan"] == "pass"
    assert verdicts["company_fit"] == "pass"
    assert 0 <= data["score"] <= 100 and data["analyzer_version"]
    evidence = next(c for c in data["checks"] if c["id"] == "long_term_goal")["evidence"][0]
    assert ANSWER[evidence["start"] : evidence["end"]] == evidence["text"]


def test_text_from_stdin_as_text_and_markdown(run_cli: RunCli) -> None:
    text = run_cli("analyze", "--text", "-", "--question", "five_years", input=ANSWER)
    assert text.returncode == 0, text.stderr
    assert "Where do you see yourself in five years?" in text.stdout
    assert "Score" in text.stdout and "\x1b[" not in text.stdout
    md = run_cli("analyze", "--text", "-", "--format", "md", input="I want to be successful.")
    assert md.returncode == 0
    assert md.stdout.startswith("# What are your career goals?")
    assert "| Check | Verdict | Why |" in md.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("   \n"), "empty"),
        (lambda p: p.write_bytes(b"caf\xe9 au lait, I want to lead"), "UTF-8"),
        (lambda p: p.write_text("I want to lead a team. " * 50_000), "KB"),
    ],
    ids=["empty", "not-utf8", "one-megabyte"],
)
def test_bad_text_is_one_sentence_and_exit_2(
    run_cli: RunCli, tmp_path: Path, make: object, message: str
) -> None:
    path = tmp_path / "bad.txt"
    make(path)  # type: ignore[operator]
    result = run_cli("analyze", "--text", str(path))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [('company = "Acme"\nrole = [', "not valid TOML"), ('company = "Acme"\n', "'role'")],
    ids=["malformed", "incomplete"],
)
def test_bad_profile_exit_2(run_cli: RunCli, tmp_path: Path, content: str, message: str) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(content)
    result = run_cli("analyze", "--text", str(_answer_file(tmp_path)), "--profile", str(profile))
    assert result.returncode == 2
    assert message in result.stderr and str(profile) in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_question_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("analyze", "--text", str(_answer_file(tmp_path)), "--question", "nope")
    assert result.returncode == 2
    assert "no question 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_save_stores_a_text_attempt(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("analyze", "--text", str(_answer_file(tmp_path)), "--save", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "Saved as attempt" in result.stderr
    from rehearse.store import Store

    with Store.open() as store:
        attempts = store.list_attempts()
    assert len(attempts) == 1


@pytest.mark.model
def test_spoken_answer_through_espeak_and_whisper(run_cli: RunCli, tmp_path: Path) -> None:
    """Real speech: espeak-ng says an answer, the real model transcribes it, the rubric runs."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    wav = tmp_path / "answer.wav"
    spoken = (
        "In five years I would like to be a senior data analyst within your company. "
        "I have spent three years as a junior analyst. Um, I am currently taking a course in SQL."
    )
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), spoken], check=True)
    result = run_cli("analyze", str(wav), "--format", "json", "--save")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["words"] and data["duration_s"] > 5
    from rehearse.store import Store

    with Store.open() as store:
        assert len(store.list_attempts()) == 1
    delivery = data["delivery"]
    assert 90 < delivery["wpm"] < 220
    assert delivery["time_to_first_word_s"] is not None
    check = next(c for c in data["checks"] if c["id"] == "long_term_goal")
    assert check["verdict"] == "pass"
    evidence = check["evidence"][0]
    assert evidence["start_s"] is not None and evidence["end_s"] > evidence["start_s"]


@pytest.mark.model
def test_jfk_is_off_topic_with_delivery(run_cli: RunCli) -> None:
    result = run_cli("analyze", str(SHARED / "audio" / "jfk.flac"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert 10 < data["duration_s"] < 12
    assert data["delivery"]["pauses"]["longest_s"] > 0
    verdicts = {c["id"]: c["verdict"] for c in data["checks"]}
    assert verdicts["short_term_goal"] == verdicts["long_term_goal"] == "miss"
    assert verdicts["conciseness"] == "miss"  # eleven seconds is far under 45


def test_missing_audio_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("analyze", str(tmp_path / "nothing.wav"))
    assert result.returncode == 2
    assert "no audio file" in result.stderr and "Traceback" not in result.stderr
