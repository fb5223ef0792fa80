"""`rehearse history` as a user runs it: a subprocess on a store this test fills in."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SHARED, RunCli
from rehearse import locations
from rehearse.domain import CheckResult, Delivery, Question, Report, Segment, Transcript, Word
from rehearse.store import COMPLETE, INTERRUPTED, Store

GOALS = Question(
    id="career_goals",
    text="What are your career goals?",
    family="career_goals",
    target_seconds=(45.0, 120.0),
    target_words=(80, 300),
    limit_seconds=120.0,
)
TEXT = "In three years I want to lead a small data platform team"


def _report(score: int, verdict: str, wpm: float, fpm: float) -> Report:
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(TEXT.split()))
    return Report(
        question_id=GOALS.id,
        question_text=GOALS.text,
        transcript=TEXT,
        words=words,
        duration_s=20.0,
        delivery=Delivery(20.0, 19.0, wpm, "ideal", (), fpm, (), 0.0, (), 0.3),
        checks=(CheckResult("specificity", "Specific goal", verdict, 1.0),),
        red_flags=(),
        score=score,
        analyzer_version="0.0.1",
        word_count=len(words),
    )


def _save(score: int, verdict: str = "pass", wpm: float = 140.0, fpm: float = 2.0) -> int:
    with Store.open() as store:
        session = store.start_session("single", None)
        audio = store.new_audio_path()
        audio.write_bytes(b"RIFF")
        attempt = store.begin_attempt(session, GOALS, None, audio)
        rep = _report(score, verdict, wpm, fpm)
        transcript = Transcript(TEXT, list(rep.words), [Segment(0.0, 20.0, TEXT)], 20.0, "tiny.en")
        store.finish_attempt(attempt, transcript, rep, 20.0)
        return attempt


def _one_sentence_error(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("rehearse: ")
    assert result.stderr.strip().count("\n") == 0
    assert needle in result.stderr


def test_list_json_rows_and_filters(run_cli: RunCli) -> None:
    first = _save(40)
    second = _save(70)
    result = run_cli("history", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [second, first]
    assert set(rows[0]) == {"id", "created_at", "question", "score", "duration_s", "profile"}
    assert rows[0]["score"] == 70 and rows[0]["question"] == "career_goals"
    assert (
        json.loads(run_cli("history", "list", "--question", "nope", "--format", "json").stdout)
        == []
    )
    future = run_cli("history", "list", "--since", "2999-01-01", "--format", "json")
    assert json.loads(future.stdout) == []
    table = run_cli("history", "list")
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["ID", "DATE", "QUESTION"]
    assert lines[1].split()[0] == str(second) and "70" in lines[1].split()


def test_show_json_carries_the_whole_report(run_cli: RunCli) -> None:
    attempt = _save(66)
    result = run_cli("history", "show", str(attempt), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["transcript"] == TEXT
    assert data["score"] == 66 and data["id"] == attempt and data["status"] == COMPLETE
    assert data["checks"][0]["verdict"] == "pass"
    # Times are stored rounded to the millisecond, as Report.to_dict() documents.
    assert data["words"] == _report(66, "pass", 140.0, 2.0).to_dict()["words"]


@pytest.mark.parametrize(
    "args",
    [
        ("show", "42"),
        ("delete", "42", "--yes"),
        ("compare", "42", "43"),
        ("reanalyze", "42"),
        ("recover", "42"),
        ("export", "42"),
    ],
)
def test_unknown_ids_exit_2_with_one_sentence(run_cli: RunCli, args: tuple[str, ...]) -> None:
    _save(50)
    _one_sentence_error(run_cli("history", *args), "There is no attempt 42")


def test_bad_arguments_are_usage_errors(run_cli: RunCli) -> None:
    assert run_cli("history", "show", "abc").returncode == 2
    both = run_cli("history", "export")
    assert both.returncode == 2 and "Give an attempt ID or --all" in both.stderr


def test_delete_asks_then_removes_the_audio(run_cli: RunCli) -> None:
    attempt = _save(50)
    with Store.open() as store:
        audio = store.get_attempt(attempt).audio_path
    assert audio is not None and audio.exists()
    kept = run_cli("history", "delete", str(attempt), input="n\n")
    assert kept.returncode == 0 and "Nothing deleted" in kept.stdout
    assert audio.exists()
    no_answer = run_cli("history", "delete", str(attempt), input="")
    _one_sentence_error(no_answer, "add --yes")
    assert audio.exists()
    gone = run_cli("history", "delete", str(attempt), input="y\n")
    assert gone.returncode == 0, gone.stderr
    assert not audio.exists()
    assert json.loads(run_cli("history", "list", "--format", "json").stdout) == []


def test_compare_shows_gains_and_deltas(run_cli: RunCli) -> None:
    first = _save(40, verdict="miss", wpm=190.0, fpm=8.0)
    second = _save(75, verdict="pass", wpm=150.0, fpm=2.0)
    text = run_cli("history", "compare", str(first), str(second))
    assert text.returncode == 0, text.stderr
    assert "(+35)" in text.stdout and "(-40)" in text.stdout and "(-6.0)" in text.stdout
    lines = text.stdout.splitlines()
    assert lines[lines.index("Gained:") + 1].strip() == "Specific goal (miss -> pass)"
    assert "Lost: none" in lines
    data = json.loads(
        run_cli("history", "compare", str(first), str(second), "--format", "json").stdout
    )
    assert data["score_delta"] == 35
    assert [c["id"] for c in data["gained"]] == ["specificity"] and data["lost"] == []


def test_export_all_json_to_a_private_file(run_cli: RunCli, tmp_path: Path) -> None:
    ids = [_save(30), _save(60)]
    out = tmp_path / "history.json"
    result = run_cli("history", "export", "--all", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [a["id"] for a in json.loads(out.read_text())] == ids
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_locked_database_exits_2(run_cli: RunCli) -> None:
    attempt = _save(50)
    holder = sqlite3.connect(locations.database_file(), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = run_cli("history", "delete", str(attempt), "--yes", timeout=60)
    finally:
        holder.close()
    _one_sentence_error(result, "locked by another rehearse process")
    with Store.open() as store:
        assert store.count_attempts() == 1


def test_corrupt_database_exits_2_and_keeps_a_copy(run_cli: RunCli) -> None:
    path = locations.database_file()
    locations.ensure_private_dir(path.parent)
    path.write_bytes(b"this is not sqlite " * 300)
    result = run_cli("history", "list")
    _one_sentence_error(result, "is damaged")
    [backup] = path.parent.glob("rehearse.db.corrupt-*")
    assert backup.read_bytes() == path.read_bytes()


def test_interrupted_attempts_are_announced_by_list(run_cli: RunCli) -> None:
    with Store.open() as store:
        session = store.start_session("single", None)
        attempt = store.begin_attempt(session, GOALS, None, store.new_audio_path())
        store.mark_interrupted(attempt)
    result = run_cli("history", "list")
    assert result.returncode == 0
    assert "1 interrupted attempt(s)" in result.stderr
    assert INTERRUPTED in result.stdout


def test_recover_keeps_an_attempt_whose_recording_is_empty(run_cli: RunCli) -> None:
    with Store.open() as store:
        session = store.start_session("single", None)
        audio = store.new_audio_path()  # created empty: the crash came before any audio
        attempt = store.begin_attempt(session, GOALS, None, audio)
        store.mark_interrupted(attempt)
    result = run_cli("history", "recover", str(attempt))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.startswith("rehearse: ")
    assert "stays interrupted" in result.stderr and result.stderr.count("\n") == 1
    with Store.open() as store:
        assert store.get_attempt(attempt).status == INTERRUPTED
    assert audio.exists()


def test_bad_since_date_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("history", "list", "--since", "last tuesday")
    assert result.returncode == 2 and "--since" in result.stderr


# --- With the real rubric and the real Whisper model --------------------------------------------


def _analysis_ready() -> bool:
    try:
        import rehearse.analysis.render  # noqa: F401
    except ImportError:
        return False
    return True


needs_analysis = pytest.mark.skipif(not _analysis_ready(), reason="rehearse.analysis not there yet")

CRASH = textwrap.dedent(
    """
    import shutil, sys, time
    from pathlib import Path
    from rehearse.questions import get_question
    from rehearse.store import Store
    store = Store.open()
    audio = store.new_audio_path(".flac")
    shutil.copyfile(sys.argv[1], audio)  # stands in for the recorder's file
    store.begin_attempt(store.start_session("single", None), get_question("career_goals"),
                        None, audio)
    print("recording", flush=True)
    time.sleep(60)
    """
)


@needs_analysis
@pytest.mark.model
def test_recover_transcribes_a_killed_attempt(run_cli: RunCli) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH, str(SHARED / "audio" / "jfk.flac")],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "recording"
    finally:
        proc.kill()
        proc.wait()
    listed = run_cli("history", "list", "--format", "json")
    [row] = json.loads(listed.stdout)
    assert row["score"] is None
    result = run_cli("history", "recover")
    assert result.returncode == 0, result.stderr
    assert f"Recovered attempt {row['id']}" in result.stdout
    data = json.loads(run_cli("history", "show", str(row["id"]), "--format", "json").stdout)
    assert data["status"] == COMPLETE
    assert "country" in data["transcript"].lower()
    assert data["delivery"]["wpm"] > 0
    # Re-analysing from the saved transcript gives the same result as the first analysis.
    again = run_cli("history", "reanalyze", str(row["id"]))
    assert again.returncode == 0, again.stderr
    redone = json.loads(run_cli("history", "show", str(row["id"]), "--format", "json").stdout)
    assert redone["score"] == data["score"]
    assert redone["checks"] == data["checks"] and redone["delivery"] == data["delivery"]
    nothing = run_cli("history", "recover")
    assert nothing.returncode == 0 and "nothing to recover" in nothing.stdout


@needs_analysis
def test_reanalyze_and_render_a_real_text_attempt(run_cli: RunCli) -> None:
    from rehearse.analysis import ANALYZER_VERSION, analyze_text
    from rehearse.questions import get_question

    question = get_question("career_goals")
    answer = (
        "In the next two years I want to become the engineer my team trusts with data quality, "
        "and I am taking a statistics course now. Longer term I want to lead a platform team."
    )
    report = analyze_text(answer, question)
    with Store.open() as store:
        attempt = store.save_text_attempt(question, None, report)
        # Pretend it was scored by an older rubric.
        store.update_report(attempt, {**report.to_dict(), "analyzer_version": "0.0.0", "score": 1})
    result = run_cli("history", "reanalyze", "--all")
    assert result.returncode == 0, result.stderr
    data = json.loads(run_cli("history", "show", str(attempt), "--format", "json").stdout)
    assert data["analyzer_version"] == ANALYZER_VERSION
    assert data["score"] == report.score
    text = run_cli("history", "show", str(attempt))
    assert text.returncode == 0, text.stderr
    assert "What are your career goals?" in text.stdout or "career_goals" in text.stdout
    md = run_cli("history", "export", str(attempt), "--format", "md")
    assert md.returncode == 0 and md.stdout.strip()
