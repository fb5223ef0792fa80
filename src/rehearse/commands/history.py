"""`rehearse history`: list, show, export, delete, re-analyse, compare and recover saved attempts.

Only click is imported at the top; the store, the rubric and the transcriber load when a
subcommand runs.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rehearse.store import Attempt, AttemptSummary, Comparison, Store


def _open() -> Store:
    from rehearse.store import Store

    return Store.open()


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")  # as SQLite's 'localtime' gives it


def _length(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


_HEADERS = ("ID", "DATE", "QUESTION", "PROFILE", "SCORE", "LENGTH", "STATUS")
_RIGHT = (True, False, False, False, True, True, False)  # numbers align right


def render_table(rows: Sequence[AttemptSummary]) -> str:
    """The `history list` table: plain aligned columns, one format string per line, since
    10,000 rows must render in well under 200 ms (a rich Table takes seconds)."""
    cells = [
        (
            str(r.id),
            r.created_local,
            r.question_id,
            r.profile_name or "-",
            "-" if r.score is None else str(r.score),
            _length(r.duration_s),
            r.status,
        )
        for r in rows
    ]
    widths = [max(map(len, column)) for column in zip(_HEADERS, *cells, strict=True)]
    specs = [f"{{:{'>' if right else '<'}{w}}}" for w, right in zip(widths, _RIGHT, strict=True)]
    specs[-1] = "{}"  # no trailing padding on the last column
    line = "  ".join(specs)
    return "\n".join([line.format(*_HEADERS), *(line.format(*c) for c in cells)])


def _header(attempt: Attempt) -> str:
    profile = f" · {attempt.profile_name}" if attempt.profile_name else ""
    return (
        f"Attempt {attempt.id} · {_local(attempt.created_at)} · {attempt.question_id}{profile}"
        f" · {attempt.status}"
    )


def _not_analysed(attempt: Attempt) -> str:
    where = f" Its recording is kept at {attempt.audio_path}." if attempt.audio_path else ""
    return (
        f"{attempt.question_text}\n\nThis attempt was not analysed ({attempt.status}).{where}\n"
        f"Run `rehearse history recover {attempt.id}` to transcribe and score it."
    )


def _as_text(attempt: Attempt) -> str:
    report = attempt.report()
    if report is None:
        return f"{_header(attempt)}\n{_not_analysed(attempt)}"
    from rehearse.analysis.render import render_text

    return f"{_header(attempt)}\n\n{render_text(report)}"


def _as_markdown(attempt: Attempt) -> str:
    report = attempt.report()
    title = f"<!-- rehearse attempt {attempt.id}, {attempt.created_at.isoformat()} -->"
    if report is None:
        return f"{title}\n\n# {_header(attempt)}\n\n{_not_analysed(attempt)}\n"
    from rehearse.analysis.render import render_markdown

    return f"{title}\n\n{render_markdown(report)}"


def _dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _write_private(path: Path, text: str) -> None:
    """Write an export atomically, readable by its owner only: it holds the user's answers."""
    from rehearse.errors import RehearseError

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RehearseError(f"Cannot write {path}: {exc.strerror}; choose another --out.") from exc


@click.group()
def history() -> None:
    """Review saved attempts: list, show, export, delete, reanalyze, compare, recover."""


@history.command("list")
@click.option("--question", "question_id", metavar="ID", help="Only this question's attempts.")
@click.option("--profile", metavar="NAME", help="Only attempts made with this company profile.")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]),
    metavar="DATE",
    help="Only attempts from this local date (YYYY-MM-DD) or time on.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def list_cmd(
    question_id: str | None,
    profile: str | None,
    since: datetime | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List saved attempts, newest first."""
    with _open() as store:
        rows = store.list_attempts(question_id, since, limit, profile=profile)
        interrupted = len(store.interrupted())
    if fmt == "json":
        click.echo(_dump_json([r.to_json_row() for r in rows]))
        return
    if not rows:
        click.echo("No saved attempts match; `rehearse practice` saves every answer.")
    else:
        click.echo(render_table(rows))
    if interrupted:
        click.echo(
            f"{interrupted} interrupted attempt(s) kept with their recordings; "
            "`rehearse history recover` analyses them.",
            err=True,
        )


@history.command("show")
@click.argument("attempt_id", type=int, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text")
def show(attempt_id: int, fmt: str) -> None:
    """Show one attempt's feedback (JSON carries the whole report and its transcript)."""
    with _open() as store:
        attempt = store.get_attempt(attempt_id)
    if fmt == "json":
        click.echo(_dump_json(attempt.to_json()))
    elif fmt == "md":
        click.echo(_as_markdown(attempt))
    else:
        click.echo(_as_text(attempt))


@history.command("export")
@click.argument("attempt_id", type=int, metavar="[ID]", required=False)
@click.option("--all", "all_", is_flag=True, help="Export every saved attempt.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (owner-only) instead of standard output.",
)
def export(attempt_id: int | None, all_: bool, fmt: str, out: Path | None) -> None:
    """Export one attempt (ID) or every attempt (--all) as Markdown or JSON."""
    if (attempt_id is None) == (not all_):
        raise click.UsageError("Give an attempt ID or --all (not both).")
    with _open() as store:
        ids = store.attempt_ids() if all_ else [attempt_id]
        attempts = [store.get_attempt(i) for i in ids if i is not None]
    if fmt == "json":
        payload: Any = [a.to_json() for a in attempts] if all_ else attempts[0].to_json()
        text = _dump_json(payload) + "\n"
    else:
        text = "\n---\n\n".join(_as_markdown(a) for a in attempts)
    if out is None:
        click.echo(text, nl=False)
        return
    _write_private(out, text)
    click.echo(f"Exported {len(attempts)} attempt(s) to {out}.", err=True)


@history.command("delete")
@click.argument("attempt_id", type=int, metavar="ID")
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
def delete(attempt_id: int, yes: bool) -> None:
    """Delete an attempt and its recording."""
    with _open() as store:
        attempt = store.get_attempt(attempt_id)
        what = f"attempt {attempt.id} ({attempt.question_id}, {_local(attempt.created_at)})"
        if attempt.audio_path is not None:
            what += " and its recording"
        if not yes:
            try:
                confirmed = click.confirm(f"Delete {what}?", default=False)
            except click.Abort:  # no terminal to answer on
                from rehearse.errors import RehearseError

                raise RehearseError(
                    f"Nothing deleted: answer the prompt, or add --yes to delete {what}."
                ) from None
            if not confirmed:
                click.echo("Nothing deleted.")
                return
        store.delete_attempt(attempt_id)
    click.echo(f"Deleted {what}.")


@history.command("reanalyze")
@click.argument("attempt_id", type=int, metavar="[ID]", required=False)
@click.option("--all", "all_", is_flag=True, help="Rescore every analysed attempt.")
def reanalyze(attempt_id: int | None, all_: bool) -> None:
    """Rescore saved attempts with the current rubric (their transcripts are kept)."""
    from rehearse.errors import RehearseError
    from rehearse.store import COMPLETE, reanalyze_attempt

    if (attempt_id is None) == (not all_):
        raise click.UsageError("Give an attempt ID or --all (not both).")
    with _open() as store:
        if attempt_id is not None:
            before = store.get_attempt(attempt_id)
            report = reanalyze_attempt(store, attempt_id)
            click.echo(
                f"Attempt {attempt_id}: score {before.score} -> {report.score} "
                f"(analyzer {before.analyzer_version} -> {report.analyzer_version})."
            )
            return
        ids = [s.id for s in store.list_attempts(status=COMPLETE)]
        failed: list[tuple[int, str]] = []
        changed = 0
        version = None
        with click.progressbar(
            ids, label="Re-analysing", file=click.get_text_stream("stderr")
        ) as bar:
            for i in bar:
                old = store.get_attempt(i).score
                try:
                    report = reanalyze_attempt(store, i)
                except RehearseError as exc:
                    failed.append((i, exc.message))
                    continue
                version = report.analyzer_version
                changed += report.score != old
    done = len(ids) - len(failed)
    click.echo(
        f"Re-analysed {done} attempt(s) with analyzer {version or '-'}; {changed} score(s) changed."
    )
    if failed:
        listed = ", ".join(str(i) for i, _ in failed)
        raise RehearseError(
            f"Could not re-analyse attempt(s) {listed} ({failed[0][1].rstrip('.')}); "
            "they keep their earlier reports."
        )


def _signed(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    return f"({value:+.{digits}f})"


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_comparison(c: Comparison) -> str:
    lines = [f"Attempt {c.first_id} -> attempt {c.second_id} ({c.question_id})"]
    if not c.same_question:
        lines.append("Note: these attempts answer different questions, so checks may not line up.")
    for label, before, after, delta, digits in (
        ("Score", c.score_before, c.score_after, c.score_delta, 0),
        ("Words/min", c.wpm_before, c.wpm_after, c.wpm_delta, 0),
        (
            "Fillers/min",
            c.fillers_per_min_before,
            c.fillers_per_min_after,
            c.fillers_per_min_delta,
            1,
        ),
    ):
        lines.append(
            f"{label:<12} {_num(before, digits):>5} -> {_num(after, digits):<5} "
            f"{_signed(delta, digits)}".rstrip()
        )
    for title, changes in (("Gained", c.gained), ("Lost", c.lost)):
        lines.append(f"{title}:" + ("" if changes else " none"))
        lines.extend(f"  {x.label} ({x.before or '-'} -> {x.after or '-'})" for x in changes)
    return "\n".join(lines)


@history.command("compare")
@click.argument("first_id", type=int, metavar="ID1")
@click.argument("second_id", type=int, metavar="ID2")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def compare(first_id: int, second_id: int, fmt: str) -> None:
    """Compare two attempts: checks gained and lost, pace, fillers and score."""
    from rehearse.store import compare_attempts

    with _open() as store:
        result = compare_attempts(store.get_attempt(first_id), store.get_attempt(second_id))
    if fmt == "json":
        click.echo(_dump_json(dataclasses.asdict(result)))
    else:
        click.echo(render_comparison(result))


@history.command("recover")
@click.argument("attempt_id", type=int, metavar="[ID]", required=False)
def recover(attempt_id: int | None) -> None:
    """Transcribe and score interrupted attempts from their kept recordings."""
    from rehearse.config import load_settings
    from rehearse.errors import RehearseError
    from rehearse.speech.transcribe import Transcriber
    from rehearse.store import recover_attempt

    settings = load_settings()
    with _open() as store:
        if attempt_id is not None:
            ids = [store.get_attempt(attempt_id).id]
        else:
            ids = [s.id for s in reversed(store.interrupted())]
        if not ids:
            click.echo("No interrupted attempts: nothing to recover.")
            return
        transcriber = Transcriber(
            settings.model,
            compute_type=settings.compute_type,
            threads=settings.threads,
            beam_size=settings.beam_size,
        )
        failed: list[tuple[int, str]] = []
        for i in ids:
            try:
                report = recover_attempt(store, i, transcriber)
            except RehearseError as exc:
                failed.append((i, exc.message))
                if len(ids) > 1:
                    click.echo(f"Attempt {i}: {exc.message}", err=True)
                continue
            click.echo(f"Recovered attempt {i}: score {report.score}.")
    if failed:
        if len(ids) == 1:
            raise RehearseError(failed[0][1])
        listed = ", ".join(str(i) for i, _ in failed)
        raise RehearseError(
            f"Could not recover attempt(s) {listed}; they stay interrupted with their recordings."
        )
