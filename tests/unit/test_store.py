"""The history store: round trips, filters, privacy, crashes, migrations, locks and damage."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from rehearse import locations
from rehearse.domain import (
    CheckResult,
    Delivery,
    Profile,
    Question,
    Report,
    Segment,
    TimedPhrase,
    Transcript,
    Word,
)
from rehearse.errors import RehearseError
from rehearse.store import (
    COMPLETE,
    INTERRUPTED,
    LATEST_VERSION,
    RECORDING,
    Store,
    compare_attempts,
)

GOALS = Question(
    id="career_goals",
    text="What are your career goals?",
    family="career_goals",
    target_seconds=(45.0, 120.0),
    target_words=(80, 300),
    limit_seconds=120.0,
)
FIVE = Question(
    id="five_years",
    text="Where do you see yourself in five years?",
    family="career_goals",
    target_seconds=(45.0, 120.0),
    target_words=(80, 300),
    limit_seconds=120.0,
)
ACME = Profile(company="Acme", role="Data engineer", values=("ownership",), name="acme")


def transcript(text: str = "I want to lead a data team", duration: float = 30.0) -> Transcript:
    words = [
        Word(w, start=i * 0.5, end=i * 0.5 + 0.4, probability=0.9)
        for i, w in enumerate(text.split())
    ]
    return Transcript(
        text=text,
        words=words,
        segments=[Segment(0.0, duration, text)],
        duration_s=duration,
        model="tiny.en",
    )


def report(
    question: Question = GOALS,
    score: int = 60,
    verdicts: dict[str, str] | None = None,
    wpm: float | None = 140.0,
    fillers_per_minute: float = 2.0,
    text: str = "I want to lead a data team",
    profile: Profile | None = None,
) -> Report:
    verdicts = verdicts or {"short_term_goal": "pass", "specificity": "miss"}
    delivery = None
    if wpm is not None:
        delivery = Delivery(
            duration_s=30.0,
            speaking_s=28.0,
            wpm=wpm,
            wpm_band="ideal",
            fillers=(TimedPhrase("um", 0, 2, 1.0, 1.2),),
            fillers_per_minute=fillers_per_minute,
            pauses=(),
            longest_pause_s=0.0,
            hedges=(),
            time_to_first_word_s=0.5,
        )
    return Report(
        question_id=question.id,
        question_text=question.text,
        transcript=text,
        words=tuple(transcript(text).words),
        duration_s=30.0 if wpm is not None else None,
        delivery=delivery,
        checks=tuple(
            CheckResult(id=cid, label=cid.replace("_", " "), verdict=v, score=0.5)
            for cid, v in verdicts.items()
        ),
        red_flags=(),
        score=score,
        analyzer_version="1.0.0",
        word_count=len(text.split()),
        profile=profile,
    )


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store.open()
    yield s
    s.close()


def record(store: Store, question: Question = GOALS, profile: Profile | None = None, **kw) -> int:
    """One audio attempt, begun and finished as practice does it."""
    session = store.start_session("single", profile)
    audio = store.new_audio_path()
    audio.write_bytes(b"RIFF")
    attempt = store.begin_attempt(session, question, profile, audio)
    rep = report(question=question, profile=profile, **kw)
    store.finish_attempt(attempt, transcript(rep.transcript), rep, 30.0)
    return attempt


def test_finished_attempt_round_trips_report_transcript_and_profile(store: Store) -> None:
    attempt_id = record(store, profile=ACME, score=72)
    attempt = store.get_attempt(attempt_id)
    assert attempt.status == COMPLETE
    assert attempt.score == 72
    assert attempt.analyzer_version == "1.0.0"
    assert attempt.question_text == GOALS.text
    assert attempt.profile() == ACME
    assert attempt.report() == report(score=72, profile=ACME)
    restored = attempt.transcript_obj()
    assert restored is not None
    assert restored.words == transcript().words
    assert restored.segments == transcript().segments
    assert attempt.wpm == 140.0 and attempt.fillers_per_min == 2.0
    assert attempt.audio_path is not None and attempt.audio_path.parent == locations.audio_dir()
    data = attempt.to_json()
    assert data["transcript"] == "I want to lead a data team"
    assert data["id"] == attempt_id and data["status"] == COMPLETE
    assert data["checks"][0]["id"] == "short_term_goal"


def test_text_attempt_is_saved_without_audio(store: Store) -> None:
    attempt_id = store.save_text_attempt(GOALS, None, report(wpm=None, score=41))
    attempt = store.get_attempt(attempt_id)
    assert attempt.is_text and attempt.audio_path is None
    assert attempt.score == 41 and attempt.wpm is None
    assert attempt.report() is not None and attempt.report().delivery is None


def test_list_filters_by_question_profile_and_date(store: Store) -> None:
    first = record(store, GOALS, ACME)
    second = record(store, FIVE, None)
    third = record(store, GOALS, None)
    assert [s.id for s in store.list_attempts()] == [third, second, first]
    assert [s.id for s in store.list_attempts(question_id="career_goals")] == [third, first]
    assert [s.id for s in store.list_attempts(profile="acme")] == [first]
    assert [s.id for s in store.list_attempts(limit=1)] == [third]
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert store.list_attempts(since=tomorrow) == []
    assert len(store.list_attempts(since=date.today())) == 3
    assert store.list_attempts(until=date.today()) == []
    row = store.list_attempts(question_id="five_years")[0].to_json_row()
    assert set(row) == {"id", "created_at", "question", "score", "duration_s", "profile"}
    assert row["question"] == "five_years" and row["duration_s"] == 30.0
    assert store.profile_names() == ["acme"]
    assert [(q, n) for q, _, n in store.questions()] == [("career_goals", 2), ("five_years", 1)]


def test_files_and_dirs_are_private(store: Store) -> None:
    record(store)
    audio = store.list_attempts()[0]
    path = store.get_attempt(audio.id).audio_path
    assert path is not None

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    assert mode(locations.data_dir()) == 0o700
    assert mode(locations.audio_dir()) == 0o700
    assert mode(path) == 0o600
    assert mode(locations.database_file()) == 0o600
    wal = locations.database_file().with_name("rehearse.db-wal")
    assert wal.exists() and mode(wal) == 0o600


def test_delete_removes_the_attempt_and_its_audio_but_not_outside_files(
    store: Store, tmp_path: Path
) -> None:
    attempt_id = record(store)
    audio = store.get_attempt(attempt_id).audio_path
    assert audio is not None and audio.exists()
    store.delete_attempt(attempt_id)
    assert not audio.exists()
    with pytest.raises(RehearseError, match="no attempt"):
        store.get_attempt(attempt_id)

    theirs = tmp_path / "my-answer.wav"
    theirs.write_bytes(b"RIFF")
    session = store.start_session("single", None)
    other = store.begin_attempt(session, GOALS, None, theirs)
    store.delete_attempt(other)
    assert theirs.exists()
    assert store.count_attempts() == 0


def test_unknown_ids_are_one_sentence_errors(store: Store) -> None:
    with pytest.raises(RehearseError, match="There is no attempt 99"):
        store.get_attempt(99)
    with pytest.raises(RehearseError, match="There is no attempt 99"):
        store.finish_attempt(99, transcript(), report(), 1.0)
    with pytest.raises(RehearseError, match="There is no attempt 99"):
        store.delete_attempt(99)


# A process that starts recording an attempt and is then killed, as a crash would.
CRASHER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from rehearse.domain import Question
    from rehearse.store import Store
    q = Question("career_goals", "What are your career goals?", "career_goals",
                 (45.0, 120.0), (80, 300), 120.0)
    store = Store.open()
    audio = store.new_audio_path()
    audio.write_bytes(b"RIFF partial recording")
    attempt = store.begin_attempt(store.start_session("single", None), q, None, audio)
    print(attempt, flush=True)
    time.sleep(60)
    """
)


def test_killed_recording_is_listed_as_interrupted_with_its_audio(store: Store) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        attempt_id = int(proc.stdout.readline())
        # While the recorder lives, its attempt is "recording", not interrupted.
        with Store.open() as other:
            assert other.get_attempt(attempt_id).status == RECORDING
            assert other.interrupted() == []
    finally:
        proc.kill()
        proc.wait()
    with Store.open() as reopened:
        [summary] = reopened.interrupted()
        assert summary.id == attempt_id and summary.status == INTERRUPTED
        audio = reopened.get_attempt(attempt_id).audio_path
        assert audio is not None and audio.read_bytes() == b"RIFF partial recording"


def test_recording_owned_by_a_reused_pid_is_interrupted(store: Store) -> None:
    session = store.start_session("single", None)
    attempt_id = store.begin_attempt(session, GOALS, None, store.new_audio_path())
    # Same host and a live pid (ours), but a start time that pid never had: a reused pid.
    with sqlite3.connect(locations.database_file()) as conn:
        host_pid = f"{os.uname().nodename}:{os.getpid()}"
        conn.execute("UPDATE attempts SET owner = ? WHERE id = ?", (f"{host_pid}:1", attempt_id))
    assert [s.id for s in store.interrupted()] == [attempt_id]


def test_mark_interrupted_keeps_a_failed_attempt(store: Store) -> None:
    session = store.start_session("round", None)
    attempt_id = store.begin_attempt(session, GOALS, None, store.new_audio_path())
    store.mark_interrupted(attempt_id, duration_s=12.5)
    [summary] = store.interrupted()
    assert summary.id == attempt_id and summary.duration_s == 12.5


# The first schema, frozen as it was released: never edit this, it is what old databases hold.
SCHEMA_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, profile_json TEXT, created_at TEXT NOT NULL);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL, question_text TEXT NOT NULL, profile_json TEXT, audio_path TEXT,
    transcript TEXT, words_json TEXT NOT NULL DEFAULT '[]', report_json TEXT,
    analyzer_version TEXT, score INTEGER, duration_s REAL, created_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'recording');
CREATE INDEX attempts_by_time ON attempts(created_at);
"""


def test_migrates_a_first_schema_database_without_losing_attempts(tmp_path: Path) -> None:
    path = tmp_path / "old" / "rehearse.db"
    path.parent.mkdir()
    old = report(score=55, profile=ACME, wpm=150.0, fillers_per_minute=3.5)
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_1)
        conn.execute(
            "INSERT INTO sessions VALUES (1, 'single', ?, '2024-01-02T10:00:00.000000+00:00')",
            (json.dumps(ACME.to_dict()),),
        )
        conn.execute(
            """INSERT INTO attempts (id, session_id, question_id, question_text, profile_json,
                   audio_path, transcript, words_json, report_json, analyzer_version, score,
                   duration_s, created_at, note, status)
               VALUES (1, 1, 'career_goals', ?, ?, 'a.wav', ?, '[]', ?, '1.0.0', 55, 30.0,
                   '2024-01-02T10:00:00.000000+00:00', 'first try', 'complete')""",
            (GOALS.text, json.dumps(ACME.to_dict()), old.transcript, json.dumps(old.to_dict())),
        )
        # A recording that was under way when the old version stopped: it has no owner column.
        conn.execute(
            """INSERT INTO attempts (id, session_id, question_id, question_text, audio_path,
                   created_at, status)
               VALUES (2, 1, 'career_goals', ?, 'b.wav', '2024-01-02T10:05:00.000000+00:00',
                   'recording')""",
            (GOALS.text,),
        )
    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        attempt = store.get_attempt(1)
        assert attempt.report() == old
        assert attempt.note == "first try"
        assert attempt.audio_path == path.parent / "audio" / "a.wav"
        # The copied columns were filled from the old JSON.
        [row] = store.list_attempts(profile="acme", status=COMPLETE)
        assert (row.wpm, row.fillers_per_min) == (150.0, 3.5)
        assert [p.score for p in store.progress("career_goals")] == [55]
        assert [s.id for s in store.interrupted()] == [2]
    # Opening again is a no-op.
    with Store.open(path) as store:
        assert store.count_attempts() == 2


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rehearse.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (99);"
        )
    with pytest.raises(RehearseError, match="newer rehearse"):
        Store.open(path)


def test_readable_while_another_connection_writes(store: Store) -> None:
    record(store, score=10)
    assert store._read("PRAGMA journal_mode")[0][0] == "wal"
    writer = sqlite3.connect(locations.database_file(), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE attempts SET score = 99")
        # The write is under way (uncommitted): a reader still sees the last committed state.
        with Store.open(busy_timeout_ms=100) as reader:
            assert [s.score for s in reader.list_attempts()] == [10]
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert [s.score for s in store.list_attempts()] == [99]


def test_locked_database_is_one_sentence(store: Store) -> None:
    holder = sqlite3.connect(locations.database_file(), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with Store.open(busy_timeout_ms=100) as blocked:
            with pytest.raises(RehearseError, match="is locked by another rehearse") as err:
                blocked.save_text_attempt(GOALS, None, report(wpm=None))
            assert "\n" not in err.value.message
    finally:
        holder.close()
    # Nothing half-written: the write went through once the lock was gone.
    store.save_text_attempt(GOALS, None, report(wpm=None))
    assert store.count_attempts() == 1


def test_corrupt_database_is_backed_up_and_left_in_place() -> None:
    path = locations.database_file()
    locations.ensure_private_dir(path.parent)
    garbage = os.urandom(4096)
    path.write_bytes(garbage)
    with pytest.raises(RehearseError, match="is damaged") as err:
        Store.open()
    [backup] = path.parent.glob("rehearse.db.corrupt-*")
    assert str(backup) in err.value.message
    assert backup.read_bytes() == garbage
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert path.read_bytes() == garbage  # never replaced behind the user's back
    # A second attempt reports the same copy instead of piling up duplicates.
    with pytest.raises(RehearseError, match="is damaged"):
        Store.open()
    assert list(path.parent.glob("rehearse.db.corrupt-*")) == [backup]


def test_compare_reports_checks_gained_lost_and_deltas(store: Store) -> None:
    first = record(
        store,
        score=50,
        wpm=180.0,
        fillers_per_minute=6.0,
        verdicts={"short_term_goal": "pass", "specificity": "miss", "motivation": "partial"},
    )
    second = record(
        store,
        score=74,
        wpm=150.0,
        fillers_per_minute=1.5,
        verdicts={"short_term_goal": "partial", "specificity": "pass", "motivation": "partial"},
    )
    other = record(store, FIVE)
    result = compare_attempts(store.get_attempt(first), store.get_attempt(second))
    assert result.same_question
    assert result.score_delta == 24
    assert result.wpm_delta == -30.0
    assert result.fillers_per_min_delta == -4.5
    assert [(c.id, c.before, c.after) for c in result.gained] == [("specificity", "miss", "pass")]
    assert [(c.id, c.before, c.after) for c in result.lost] == [
        ("short_term_goal", "pass", "partial")
    ]
    assert [c.id for c in result.unchanged] == ["motivation"]
    assert not compare_attempts(store.get_attempt(first), store.get_attempt(other)).same_question


def test_progress_is_oldest_first_and_skips_unanalysed(store: Store) -> None:
    a = record(store, score=40, wpm=170.0, fillers_per_minute=5.0)
    store.begin_attempt(store.start_session("single", None), GOALS, None, None)
    b = record(store, score=65, wpm=150.0, fillers_per_minute=2.0)
    record(store, FIVE, score=90)
    points = store.progress("career_goals")
    assert [(p.attempt_id, p.score, p.wpm, p.fillers_per_min) for p in points] == [
        (a, 40, 170.0, 5.0),
        (b, 65, 150.0, 2.0),
    ]
    assert points[0].created_at <= points[1].created_at


def test_a_write_waits_for_a_short_lock_instead_of_failing(store: Store) -> None:
    holder = sqlite3.connect(
        locations.database_file(), isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        store.save_text_attempt(GOALS, None, report(wpm=None))
    finally:
        release.join()
        holder.close()
    assert store.count_attempts() == 1


def test_threads_share_one_store(store: Store) -> None:
    # The studio saves from worker threads while the review screen reads.
    def save(_: int) -> int:
        return store.save_text_attempt(GOALS, None, report(wpm=None))

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(save, range(20)))
    assert sorted(ids) == [s.id for s in reversed(store.list_attempts())]
    assert len(set(ids)) == 20


def test_damaged_pages_are_reported_and_backed_up(store: Store) -> None:
    for _ in range(30):
        record(store)
    store.close()
    path = locations.database_file()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    # Keep the 100-byte header and the first page; scramble everything after it.
    data[4096:] = os.urandom(len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(RehearseError, match="is damaged"), Store.open() as damaged:
        damaged.list_attempts()
        damaged.get_attempt(1)
    # The WAL is copied beside it (it may hold commits not yet in the main file).
    [backup] = [p for p in path.parent.glob("rehearse.db.corrupt-*") if not p.name.endswith("-wal")]
    assert backup.read_bytes() == bytes(data)


def test_store_imports_no_engine_or_ui() -> None:
    # The UI and the CLI import the store on start-up; it must stay light.
    code = (
        "import sys, rehearse.store, rehearse.commands.history; "
        "print(sorted(m for m in ('numpy', 'faster_whisper', 'textual', 'sounddevice', "
        "'pyttsx3', 'rich') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
