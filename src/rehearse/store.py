"""The private history: SQLite (stdlib) in WAL mode, with audio files beside it.

Sessions (a single question, or a round) hold attempts. An attempt row is written when recording
starts (status "recording", with the owning process), so a crash or kill leaves a row that points
at its audio; on the next open, "recording" rows whose process is gone become "interrupted" and
`rehearse history recover` can analyse them. Nothing is dropped silently.

Reports are stored as the JSON of `Report.to_dict()` and read back with `Report.from_dict()`.
A few figures (score, wpm, fillers per minute, profile name) are copied into columns so the list,
the filters and the progress chart never parse JSON.

This module imports only the standard library and light rehearse modules; the transcriber and the
rubric are imported inside `recover_attempt` / `reanalyze_attempt`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import filecmp
import json
import os
import secrets
import shutil
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rehearse import locations
from rehearse.errors import RehearseError

if TYPE_CHECKING:
    from rehearse.domain import Profile, Question, Report, Transcript

# Attempt statuses.
RECORDING = "recording"  # recording is under way (or its process died: see `_sweep_dead_owners`)
COMPLETE = "complete"  # transcribed and analysed
INTERRUPTED = "interrupted"  # recording ended without an analysis; its audio is kept
STATUSES = (RECORDING, COMPLETE, INTERRUPTED)

# How long a write waits for another process's write to finish before giving up.
DEFAULT_BUSY_TIMEOUT_MS = 5000


# --- Schema -------------------------------------------------------------------------------------

_SCHEMA_1 = (
    # The first schema: the columns issue 5 asks for.
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        profile_json TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        question_text TEXT NOT NULL,
        profile_json TEXT,
        audio_path TEXT,
        transcript TEXT,
        words_json TEXT NOT NULL DEFAULT '[]',
        report_json TEXT,
        analyzer_version TEXT,
        score INTEGER,
        duration_s REAL,
        created_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'recording'
    )""",
    "CREATE INDEX attempts_by_time ON attempts(created_at)",
)


def _migrate_1(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_1:
        conn.execute(statement)


_PAYLOAD_COLUMNS = ("transcript", "words_json", "report_json")


def _migrate_2(conn: sqlite3.Connection) -> None:
    """Split the heavy JSON off the list table, and add what crash detection and filters need.

    Listing 10,000 attempts must stay well under 200 ms: with reports and words inline, every
    row of the scan drags its overflow pages along.
    """
    conn.execute(
        """CREATE TABLE attempt_payloads (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            transcript TEXT,
            words_json TEXT NOT NULL DEFAULT '[]',
            -- Segments and model name, so a re-analysis sees what the first analysis saw.
            segments_json TEXT NOT NULL DEFAULT '[]',
            transcript_model TEXT NOT NULL DEFAULT '',
            report_json TEXT
        )"""
    )
    conn.execute(
        """INSERT INTO attempt_payloads (attempt_id, transcript, words_json, report_json)
           SELECT id, transcript, words_json, report_json FROM attempts
           WHERE transcript IS NOT NULL OR report_json IS NOT NULL"""
    )
    # owner: "host:pid:start-time" of the recording process, to tell a crash from a recording.
    conn.execute("ALTER TABLE attempts ADD COLUMN owner TEXT")
    # Copied out of the JSON so listing, filtering and the progress chart never parse it.
    conn.execute("ALTER TABLE attempts ADD COLUMN profile_name TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN wpm REAL")
    conn.execute("ALTER TABLE attempts ADD COLUMN fillers_per_min REAL")
    rows = conn.execute(
        """SELECT a.id, a.profile_json, p.report_json
           FROM attempts a LEFT JOIN attempt_payloads p ON p.attempt_id = a.id"""
    ).fetchall()
    for attempt_id, profile_json, report_json in rows:
        wpm, fpm = _delivery_figures(_loads(report_json))
        conn.execute(
            "UPDATE attempts SET profile_name = ?, wpm = ?, fillers_per_min = ? WHERE id = ?",
            (_profile_name(_loads(profile_json)), wpm, fpm, attempt_id),
        )
    for column in _PAYLOAD_COLUMNS:
        conn.execute(f"ALTER TABLE attempts DROP COLUMN {column}")  # SQLite >= 3.35
    conn.execute("CREATE INDEX attempts_by_question ON attempts(question_id, created_at)")
    conn.execute("CREATE INDEX attempts_by_profile ON attempts(profile_name, created_at)")
    conn.execute("CREATE INDEX attempts_by_status ON attempts(status)")


# Migration N takes the database from version N-1 to N, in the same transaction as the version
# bump. Never edit a released migration: add one.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_1, _migrate_2)
LATEST_VERSION = len(MIGRATIONS)


# --- Records ------------------------------------------------------------------------------------


class AttemptSummary(NamedTuple):
    """One row of the history list: no transcript, no report.

    A NamedTuple built straight from the SQL row: listing 10,000 attempts must take well under
    200 ms, and a dataclass per row costs several times more.
    """

    id: int
    session_id: int
    created_utc: str  # ISO 8601, UTC, as stored; see `created_at`
    created_local: str  # local time to the minute, "YYYY-MM-DD HH:MM", for tables
    question_id: str
    question_text: str
    profile_name: str | None
    score: int | None
    duration_s: float | None
    status: str
    analyzer_version: str | None
    wpm: float | None
    fillers_per_min: float | None
    audio_ref: str | None  # the stored audio reference; None for typed answers
    note: str

    @property
    def created_at(self) -> datetime:
        """Timezone-aware (UTC)."""
        return _parse_time(self.created_utc)

    @property
    def has_audio(self) -> bool:
        return self.audio_ref is not None

    def to_json_row(self) -> dict[str, Any]:
        """The documented row of `rehearse history list --format json`."""
        return {
            "id": self.id,
            "created_at": self.created_utc,
            "question": self.question_id,
            "score": self.score,
            "duration_s": None if self.duration_s is None else round(self.duration_s, 3),
            "profile": self.profile_name,
        }


@dataclass(frozen=True)
class Attempt:
    """One attempt in full."""

    id: int
    session_id: int
    session_kind: str
    created_at: datetime
    question_id: str
    question_text: str
    profile_json: dict[str, Any] | None
    audio_path: Path | None
    transcript: str | None
    words: list[dict[str, Any]]
    segments: list[dict[str, Any]]
    transcript_model: str
    report_json: dict[str, Any] | None
    analyzer_version: str | None
    score: int | None
    duration_s: float | None
    status: str
    note: str
    wpm: float | None
    fillers_per_min: float | None

    @property
    def is_text(self) -> bool:
        """A typed answer (`analyze --save` on text): no audio, no delivery."""
        return self.session_kind == "text"

    @property
    def profile_name(self) -> str | None:
        return _profile_name(self.profile_json)

    def report(self) -> Report | None:
        """The stored report as a `Report`, or None for an attempt not analysed yet."""
        if self.report_json is None:
            return None
        from rehearse.domain import Report

        try:
            return Report.from_dict(self.report_json)
        except (KeyError, TypeError, ValueError) as exc:
            raise RehearseError(
                f"Attempt {self.id}'s saved report is unreadable ({exc!r}); "
                f"run `rehearse history reanalyze {self.id}` to rebuild it."
            ) from exc

    def profile(self) -> Profile | None:
        if not self.profile_json:
            return None
        from rehearse.domain import Profile

        data = self.profile_json
        return Profile(
            company=data.get("company", ""),
            role=data.get("role", ""),
            values=tuple(data.get("values", ())),
            description=data.get("description", ""),
            name=data.get("name", ""),
        )

    def transcript_obj(self) -> Transcript | None:
        """The saved transcript (words, segments, duration) as a `Transcript`."""
        if self.transcript is None:
            return None
        from rehearse.domain import Segment, Transcript, Word

        return Transcript(
            text=self.transcript,
            words=[Word(**w) for w in self.words],
            segments=[Segment(**s) for s in self.segments],
            duration_s=float(self.duration_s or 0.0),
            model=self.transcript_model,
        )

    def to_json(self) -> dict[str, Any]:
        """The whole report (with its transcript) plus the attempt's own fields.

        The report's keys sit at the top level, as in `rehearse analyze --format json`, so one
        reader handles both; an attempt not analysed yet has `report` keys set to null/empty.
        """
        base: dict[str, Any] = {
            "question": {"id": self.question_id, "text": self.question_text},
            "profile": self.profile_json,
            "transcript": self.transcript,
            "words": self.words,
            "duration_s": self.duration_s,
            "delivery": None,
            "checks": [],
            "red_flags": [],
            "score": self.score,
            "analyzer_version": self.analyzer_version,
        }
        if self.report_json is not None:
            base.update(self.report_json)
        base.update(
            {
                "id": self.id,
                "session_id": self.session_id,
                "created_at": self.created_at.isoformat(),
                "status": self.status,
                "audio_path": str(self.audio_path) if self.audio_path else None,
                "note": self.note,
            }
        )
        return base


@dataclass(frozen=True)
class CheckChange:
    id: str
    label: str
    before: str | None  # verdict in the first attempt ("pass" | "partial" | "miss"), None if absent
    after: str | None


@dataclass(frozen=True)
class Comparison:
    """How the second attempt differs from the first (deltas are second minus first)."""

    first_id: int
    second_id: int
    same_question: bool
    question_id: str
    score_before: int | None
    score_after: int | None
    score_delta: int | None
    wpm_before: float | None
    wpm_after: float | None
    wpm_delta: float | None
    fillers_per_min_before: float | None
    fillers_per_min_after: float | None
    fillers_per_min_delta: float | None
    # Checks whose verdict went up (miss -> partial -> pass) or down.
    gained: list[CheckChange] = field(default_factory=list)
    lost: list[CheckChange] = field(default_factory=list)
    unchanged: list[CheckChange] = field(default_factory=list)


@dataclass(frozen=True)
class ProgressPoint:
    attempt_id: int
    created_at: datetime
    score: int | None
    wpm: float | None
    fillers_per_min: float | None


# --- Helpers ------------------------------------------------------------------------------------


def _now() -> str:
    # One fixed UTC format, so created_at sorts and compares as text.
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _as_utc_text(when: datetime | date) -> str:
    """A bound for created_at: a date means its local midnight; a naive datetime is local time."""
    if not isinstance(when, datetime):
        when = datetime.combine(when, time.min)
    if when.tzinfo is None:
        when = when.astimezone()  # interpret as local time
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _profile_name(profile: dict[str, Any] | None) -> str | None:
    if not profile:
        return None
    return profile.get("name") or profile.get("company") or None


def _profile_dict(profile: Profile | None) -> dict[str, Any] | None:
    return None if profile is None else profile.to_dict()


def _report_dict(report: Report | dict[str, Any]) -> dict[str, Any]:
    return report if isinstance(report, dict) else report.to_dict()


def _delivery_figures(report: dict[str, Any] | None) -> tuple[float | None, float | None]:
    """(wpm, fillers per minute) from a report's JSON; None for typed answers."""
    delivery = (report or {}).get("delivery")
    if not delivery:
        return None, None
    fillers = delivery.get("fillers") or {}
    return delivery.get("wpm"), fillers.get("per_minute")


def _words_json(transcript: Transcript) -> list[dict[str, Any]]:
    return [dataclasses.asdict(w) for w in transcript.words]


# The process that owns a "recording" row: host, pid and the pid's start time (so a reused pid
# is not mistaken for the recorder).
def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 2 (the command name) may hold spaces and ")"; fields after the last ")" are plain.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):  # a zombie has finished running
        return "dead"
    return fields[19]  # field 22, starttime


def _owner_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_start_time(os.getpid()) or ''}"


def _owner_alive(owner: str | None) -> bool:
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname():
        return True  # can't see another machine's processes; don't declare it dead
    try:
        pid = int(pid_text)
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    now = _start_time(pid)
    if now == "dead":
        return False
    return not (start and now and now != start)


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_corrupt(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _backup_corrupt(path: Path) -> Path:
    """Copy a damaged database next to itself (once per distinct content) and return the copy."""
    for existing in sorted(path.parent.glob(f"{path.name}.corrupt-*")):
        if not existing.name.endswith("-wal"):
            with contextlib.suppress(OSError):
                if filecmp.cmp(existing, path, shallow=False):
                    return existing
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    shutil.copy2(path, backup)
    backup.chmod(0o600)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copy2(wal, backup.with_name(backup.name + "-wal"))
    return backup


def _no_attempt(attempt_id: int) -> RehearseError:
    return RehearseError(
        f"There is no attempt {attempt_id}; `rehearse history list` shows the saved ones."
    )


def _found(cursor: sqlite3.Cursor, attempt_id: int) -> None:
    """Inside a write: no row changed means no such attempt (and the transaction rolls back)."""
    if cursor.rowcount == 0:
        raise _no_attempt(attempt_id)


# --- The store ----------------------------------------------------------------------------------


class Store:
    """The history database. Thread-safe: one connection guarded by a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path, audio_dir: Path) -> None:
        self._conn = conn
        self.path = path
        self.audio_dir = audio_dir
        self._lock = threading.RLock()
        self._owner = _owner_token()

    # -- opening --

    @classmethod
    def open(
        cls, path: Path | None = None, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> Store:
        """Open (creating and migrating as needed) the database at `path`.

        Audio lives in `audio/` beside the database. Raises RehearseError for a locked, damaged
        or newer-than-this-program database.
        """
        if path is None:
            path = locations.database_file()
            audio_dir = locations.audio_dir()
        else:
            audio_dir = path.parent / "audio"
        locations.ensure_private_dir(path.parent)
        if not path.exists():
            # Create it 0600 ourselves; SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        try:
            conn = sqlite3.connect(
                path,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise RehearseError(f"Cannot open the history database {path}: {exc}.") from exc
        store = cls(conn, path, audio_dir)
        try:
            with store._guard():
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                # Room for the whole list table of a long history (the default is 2 MB).
                conn.execute("PRAGMA cache_size = -16000")
            store._migrate()
            store._sweep_dead_owners()
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's errors into one sentence; keep a copy of a damaged database."""
        try:
            yield
        except sqlite3.Error as exc:
            if _is_locked(exc):
                raise RehearseError(
                    f"The history database {self.path} is locked by another rehearse process; "
                    "wait for it to finish (or close it) and try again."
                ) from exc
            if _is_corrupt(exc):
                backup = _backup_corrupt(self.path)
                raise RehearseError(
                    f"The history database {self.path} is damaged ({exc}), so a copy was kept "
                    f"at {backup}; restore it from a backup, or move it aside to start a "
                    "new history."
                ) from exc
            raise RehearseError(f"The history database {self.path} failed: {exc}.") from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it or none of it."""
        with self._lock, self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._guard():
            return self._conn.execute(sql, params).fetchall()

    @property
    def schema_version(self) -> int:
        rows = self._read("SELECT version FROM schema_version")
        return int(rows[0][0]) if rows else 0

    def _migrate(self) -> None:
        with self._lock, self._guard():
            has_table = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
        current = self.schema_version if has_table else 0
        if current > LATEST_VERSION:
            raise RehearseError(
                f"The history database {self.path} was written by a newer rehearse "
                f"(schema {current}, this one knows {LATEST_VERSION}); upgrade rehearse."
            )
        if current == LATEST_VERSION:
            return
        with self._write() as conn:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            current = int(row[0]) if row else 0
            if row is None:
                conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            for version in range(current + 1, LATEST_VERSION + 1):
                MIGRATIONS[version - 1](conn)
            conn.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION,))

    def _sweep_dead_owners(self) -> None:
        """Mark "recording" attempts whose process is gone as interrupted (their audio stays)."""
        rows = self._read("SELECT id, owner FROM attempts WHERE status = ?", (RECORDING,))
        dead = [attempt_id for attempt_id, owner in rows if not _owner_alive(owner)]
        if not dead:
            return
        with self._write() as conn:
            conn.executemany(
                "UPDATE attempts SET status = ? WHERE id = ? AND status = ?",
                [(INTERRUPTED, attempt_id, RECORDING) for attempt_id in dead],
            )

    # -- writing --

    def new_audio_path(self, suffix: str = ".wav") -> Path:
        """A fresh, empty, owner-only file in the audio dir for a recording to be written to."""
        locations.ensure_private_dir(self.audio_dir)
        while True:
            name = f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}{suffix}"
            path = self.audio_dir / name
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                continue
            return path

    def start_session(self, kind: str, profile: Profile | None) -> int:
        """A new session ("single" or "round"; "text" for typed answers)."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (kind, profile_json, created_at) VALUES (?, ?, ?)",
                (kind, _dumps(_profile_dict(profile)), _now()),
            )
            return int(cursor.lastrowid or 0)

    def begin_attempt(
        self,
        session_id: int,
        question: Question,
        profile: Profile | None,
        audio_path: Path | None,
    ) -> int:
        """Record that an attempt has started recording to `audio_path`; returns its id."""
        profile_json = _profile_dict(profile)
        with self._write() as conn:
            cursor = conn.execute(
                """INSERT INTO attempts (session_id, question_id, question_text, profile_json,
                       profile_name, audio_path, created_at, status, owner)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session_id,
                    question.id,
                    question.text,
                    _dumps(profile_json),
                    _profile_name(profile_json),
                    self._audio_ref(audio_path),
                    _now(),
                    RECORDING,
                    self._owner,
                ),
            )
            return int(cursor.lastrowid or 0)

    def finish_attempt(
        self,
        attempt_id: int,
        transcript: Transcript,
        report: Report | dict[str, Any],
        duration_s: float | None,
    ) -> None:
        """Store the transcript and the report of an attempt; it becomes "complete"."""
        data = _report_dict(report)
        wpm, fpm = _delivery_figures(data)
        with self._write() as conn:
            cursor = conn.execute(
                """UPDATE attempts SET analyzer_version = ?, score = ?, duration_s = ?, wpm = ?,
                       fillers_per_min = ?, status = ?, owner = NULL
                   WHERE id = ?""",
                (
                    data.get("analyzer_version"),
                    data.get("score"),
                    duration_s,
                    wpm,
                    fpm,
                    COMPLETE,
                    attempt_id,
                ),
            )
            _found(cursor, attempt_id)
            self._put_payload(
                conn,
                attempt_id,
                transcript.text,
                _words_json(transcript),
                [dataclasses.asdict(s) for s in transcript.segments],
                transcript.model,
                data,
            )

    @staticmethod
    def _put_payload(
        conn: sqlite3.Connection,
        attempt_id: int,
        text: str,
        words: list[dict[str, Any]],
        segments: list[dict[str, Any]],
        model: str,
        report: dict[str, Any],
    ) -> None:
        conn.execute(
            """INSERT OR REPLACE INTO attempt_payloads
                   (attempt_id, transcript, words_json, segments_json, transcript_model,
                    report_json)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (attempt_id, text, _dumps(words), _dumps(segments), model, _dumps(report)),
        )

    def mark_interrupted(self, attempt_id: int, duration_s: float | None = None) -> None:
        """An attempt stopped without an analysis (error, cancel): keep it, and its audio."""
        with self._write() as conn:
            conn.execute(
                """UPDATE attempts SET status = ?, owner = NULL,
                       duration_s = COALESCE(?, duration_s)
                   WHERE id = ? AND status != ?""",
                (INTERRUPTED, duration_s, attempt_id, COMPLETE),
            )

    def save_text_attempt(
        self, question: Question, profile: Profile | None, report: Report | dict[str, Any]
    ) -> int:
        """Save an analysed typed answer (`rehearse analyze --save`) in a session of its own."""
        data = _report_dict(report)
        profile_json = _profile_dict(profile)
        wpm, fpm = _delivery_figures(data)
        words = data.get("words") or []
        with self._write() as conn:
            now = _now()  # inside the lock, so ids and times agree
            session = conn.execute(
                "INSERT INTO sessions (kind, profile_json, created_at) VALUES ('text', ?, ?)",
                (_dumps(profile_json), now),
            ).lastrowid
            cursor = conn.execute(
                """INSERT INTO attempts (session_id, question_id, question_text, profile_json,
                       profile_name, analyzer_version, score, duration_s, wpm, fillers_per_min,
                       created_at, status)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    session,
                    question.id,
                    question.text,
                    _dumps(profile_json),
                    _profile_name(profile_json),
                    data.get("analyzer_version"),
                    data.get("score"),
                    data.get("duration_s"),
                    wpm,
                    fpm,
                    now,
                    COMPLETE,
                ),
            )
            attempt_id = int(cursor.lastrowid or 0)
            self._put_payload(conn, attempt_id, data.get("transcript", ""), words, [], "", data)
            return attempt_id

    def update_report(self, attempt_id: int, report: Report | dict[str, Any]) -> None:
        """Replace an attempt's report (re-analysis), keeping its transcript and audio."""
        data = _report_dict(report)
        wpm, fpm = _delivery_figures(data)
        with self._write() as conn:
            cursor = conn.execute(
                """UPDATE attempts SET analyzer_version = ?, score = ?,
                       wpm = ?, fillers_per_min = ?
                   WHERE id = ?""",
                (
                    data.get("analyzer_version"),
                    data.get("score"),
                    wpm,
                    fpm,
                    attempt_id,
                ),
            )
            _found(cursor, attempt_id)
            conn.execute(
                "UPDATE attempt_payloads SET report_json = ? WHERE attempt_id = ?",
                (_dumps(data), attempt_id),
            )

    def set_note(self, attempt_id: int, note: str) -> None:
        with self._write() as conn:
            cursor = conn.execute("UPDATE attempts SET note = ? WHERE id = ?", (note, attempt_id))
            _found(cursor, attempt_id)

    def delete_attempt(self, attempt_id: int) -> None:
        """Delete an attempt and its recording (a session left empty goes too)."""
        attempt = self.get_attempt(attempt_id)
        with self._write() as conn:
            conn.execute("DELETE FROM attempt_payloads WHERE attempt_id = ?", (attempt_id,))
            conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            conn.execute(
                """DELETE FROM sessions WHERE id = ?
                   AND NOT EXISTS (SELECT 1 FROM attempts WHERE session_id = ?)""",
                (attempt.session_id, attempt.session_id),
            )
        # Only files we made: an audio file the user pointed us at stays theirs.
        if attempt.audio_path is not None and self._owns_audio(attempt.audio_path):
            attempt.audio_path.unlink(missing_ok=True)

    # -- reading --

    # SQLite formats the local time in C: per-row astimezone() would cost more than the query.
    _SUMMARY_COLUMNS = """id, session_id, created_at,
        strftime('%Y-%m-%d %H:%M', created_at, 'localtime'), question_id, question_text,
        profile_name, score, duration_s, status, analyzer_version, wpm, fillers_per_min,
        audio_path, note"""

    def list_attempts(
        self,
        question_id: str | None = None,
        since: datetime | date | None = None,
        limit: int | None = None,
        *,
        profile: str | None = None,
        until: datetime | date | None = None,
        status: str | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first, filtered by question, profile name, date range and status.

        `since` is inclusive and `until` exclusive; a date means local midnight.
        """
        where: list[str] = []
        params: list[Any] = []
        if question_id is not None:
            where.append("question_id = ?")
            params.append(question_id)
        if profile is not None:
            where.append("profile_name = ?")
            params.append(profile)
        if since is not None:
            where.append("created_at >= ?")
            params.append(_as_utc_text(since))
        if until is not None:
            where.append("created_at < ?")
            params.append(_as_utc_text(until))
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = f"SELECT {self._SUMMARY_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return list(map(AttemptSummary._make, self._read(sql, params)))

    def interrupted(self) -> list[AttemptSummary]:
        """Attempts whose recording stopped without an analysis, newest first."""
        self._sweep_dead_owners()
        return self.list_attempts(status=INTERRUPTED)

    def get_attempt(self, attempt_id: int) -> Attempt:
        rows = self._read(
            """SELECT a.id, a.session_id, s.kind, a.created_at, a.question_id, a.question_text,
                   a.profile_json, a.audio_path, p.transcript, p.words_json, p.segments_json,
                   p.transcript_model, p.report_json, a.analyzer_version, a.score, a.duration_s,
                   a.status, a.note, a.wpm, a.fillers_per_min
               FROM attempts a JOIN sessions s ON s.id = a.session_id
               LEFT JOIN attempt_payloads p ON p.attempt_id = a.id
               WHERE a.id = ?""",
            (attempt_id,),
        )
        if not rows:
            raise _no_attempt(attempt_id)
        r = rows[0]
        return Attempt(
            id=r[0],
            session_id=r[1],
            session_kind=r[2],
            created_at=_parse_time(r[3]),
            question_id=r[4],
            question_text=r[5],
            profile_json=_loads(r[6]),
            audio_path=self._audio_abs(r[7]),
            transcript=r[8],
            words=_loads(r[9]) or [],
            segments=_loads(r[10]) or [],
            transcript_model=r[11] or "",
            report_json=_loads(r[12]),
            analyzer_version=r[13],
            score=r[14],
            duration_s=r[15],
            status=r[16],
            note=r[17],
            wpm=r[18],
            fillers_per_min=r[19],
        )

    def attempt_ids(self) -> list[int]:
        """Every attempt id, oldest first."""
        return [row[0] for row in self._read("SELECT id FROM attempts ORDER BY created_at, id")]

    def count_attempts(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM attempts")[0][0])

    def questions(self) -> list[tuple[str, str, int]]:
        """(question id, latest text, attempt count) for the review screen's filter."""
        rows = self._read(
            """SELECT question_id, question_text, COUNT(*) FROM attempts
               GROUP BY question_id ORDER BY question_id"""
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def profile_names(self) -> list[str]:
        rows = self._read(
            "SELECT DISTINCT profile_name FROM attempts WHERE profile_name IS NOT NULL ORDER BY 1"
        )
        return [r[0] for r in rows]

    def progress(self, question_id: str, profile: str | None = None) -> list[ProgressPoint]:
        """Analysed attempts of one question, oldest first: the points of the progress chart."""
        sql = """SELECT id, created_at, score, wpm, fillers_per_min FROM attempts
                 WHERE question_id = ? AND status = ?"""
        params: list[Any] = [question_id, COMPLETE]
        if profile is not None:
            sql += " AND profile_name = ?"
            params.append(profile)
        sql += " ORDER BY created_at, id"
        return [
            ProgressPoint(
                attempt_id=r[0],
                created_at=_parse_time(r[1]),
                score=r[2],
                wpm=r[3],
                fillers_per_min=r[4],
            )
            for r in self._read(sql, params)
        ]

    # -- audio paths: stored relative to the audio dir, so a moved data dir keeps working --

    def _audio_ref(self, path: Path | None) -> str | None:
        if path is None:
            return None
        path = Path(path).absolute()
        try:
            return str(path.relative_to(self.audio_dir.absolute()))
        except ValueError:
            return str(path)

    def _audio_abs(self, ref: str | None) -> Path | None:
        if ref is None:
            return None
        path = Path(ref)
        return path if path.is_absolute() else self.audio_dir / path

    def _owns_audio(self, path: Path) -> bool:
        return path.absolute().parent == self.audio_dir.absolute()


# --- Comparing ----------------------------------------------------------------------------------

_VERDICT_RANK = {"miss": 0, "partial": 1, "pass": 2}


def _delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def compare_attempts(first: Attempt, second: Attempt) -> Comparison:
    """What changed from `first` to `second`: checks gained and lost, wpm, fillers, score."""
    before = {c["id"]: c for c in (first.report_json or {}).get("checks", [])}
    after = {c["id"]: c for c in (second.report_json or {}).get("checks", [])}
    gained: list[CheckChange] = []
    lost: list[CheckChange] = []
    unchanged: list[CheckChange] = []
    for check_id in [*before, *(k for k in after if k not in before)]:
        b, a = before.get(check_id), after.get(check_id)
        change = CheckChange(
            id=check_id,
            label=(a or b or {}).get("label", check_id),
            before=b["verdict"] if b else None,
            after=a["verdict"] if a else None,
        )
        rank_b = _VERDICT_RANK.get(change.before or "", -1)
        rank_a = _VERDICT_RANK.get(change.after or "", -1)
        (gained if rank_a > rank_b else lost if rank_a < rank_b else unchanged).append(change)
    score_delta = _delta(first.score, second.score)
    return Comparison(
        first_id=first.id,
        second_id=second.id,
        same_question=first.question_id == second.question_id,
        question_id=second.question_id,
        score_before=first.score,
        score_after=second.score,
        score_delta=None if score_delta is None else int(score_delta),
        wpm_before=first.wpm,
        wpm_after=second.wpm,
        wpm_delta=_delta(first.wpm, second.wpm),
        fillers_per_min_before=first.fillers_per_min,
        fillers_per_min_after=second.fillers_per_min,
        fillers_per_min_delta=_delta(first.fillers_per_min, second.fillers_per_min),
        gained=gained,
        lost=lost,
        unchanged=unchanged,
    )


# --- Recovering and re-analysing (the heavy parts are imported here, lazily) --------------------


def _question_for(attempt: Attempt) -> Question:
    from rehearse.questions import get_question

    return get_question(attempt.question_id)


def reanalyze_attempt(store: Store, attempt_id: int) -> Report:
    """Rescore a saved attempt with the current rubric, from its saved transcript."""
    from rehearse import analysis

    attempt = store.get_attempt(attempt_id)
    if attempt.transcript is None:
        raise RehearseError(
            f"Attempt {attempt_id} has no transcript yet; run "
            f"`rehearse history recover {attempt_id}` first."
        )
    question = _question_for(attempt)
    profile = attempt.profile()
    if attempt.is_text:
        report = analysis.analyze_text(attempt.transcript, question, profile)
    else:
        transcript = attempt.transcript_obj()
        assert transcript is not None
        report = analysis.analyze_transcript(transcript, question, profile)
    store.update_report(attempt_id, report)
    return report


def recover_attempt(store: Store, attempt_id: int, transcriber: Any) -> Report:
    """Transcribe and analyse an interrupted attempt's recording; it becomes "complete".

    `transcriber` is a `rehearse.speech.transcribe.Transcriber` (loaded once by the caller).
    On failure the attempt stays interrupted and keeps its audio.
    """
    from rehearse import analysis

    attempt = store.get_attempt(attempt_id)
    if attempt.status == COMPLETE:
        raise RehearseError(f"Attempt {attempt_id} is already analysed; nothing to recover.")
    if attempt.status == RECORDING:
        raise RehearseError(
            f"Attempt {attempt_id} is still being recorded by a running rehearse; "
            "let it finish first."
        )
    if attempt.audio_path is None or not attempt.audio_path.exists():
        raise RehearseError(
            f"Attempt {attempt_id}'s recording is missing ({attempt.audio_path}); "
            f"delete it with `rehearse history delete {attempt_id}`."
        )
    question = _question_for(attempt)
    try:
        transcript = transcriber.transcribe(attempt.audio_path)
    except RehearseError as exc:
        raise RehearseError(
            f"Attempt {attempt_id}'s recording can't be transcribed ({exc.message.rstrip('.')}), "
            f"so it stays interrupted; `rehearse history delete {attempt_id}` removes it."
        ) from exc
    report = analysis.analyze_transcript(transcript, question, attempt.profile())
    store.finish_attempt(attempt_id, transcript, report, transcript.duration_s)
    return report
