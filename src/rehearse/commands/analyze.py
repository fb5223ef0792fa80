"""`rehearse analyze AUDIO | --text FILE|-`: run the rubric on an answer and show the feedback."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from rehearse.errors import RehearseError

if TYPE_CHECKING:
    from rehearse.domain import Profile, Question, Report, Transcript

# A two-minute answer is about 2 KB; ten times that is surely the wrong file.
MAX_TEXT_BYTES = 20_000


def read_answer_text(source: str) -> str:
    """The answer from a file or stdin ("-"), with one-sentence errors for bad input."""
    name = "standard input" if source == "-" else source
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        else:
            with open(source, "rb") as fh:
                raw = fh.read(MAX_TEXT_BYTES + 1)
    except FileNotFoundError:
        raise RehearseError(f"There is no file {name}; give the path to a text file.") from None
    except IsADirectoryError:
        raise RehearseError(f"{name} is a folder; give the path to a text file.") from None
    except OSError as exc:
        raise RehearseError(f"Cannot read {name}: {exc.strerror}.") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise RehearseError(
            f"The answer in {name} is over {MAX_TEXT_BYTES // 1000} KB; give one answer, "
            "a few hundred words long."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RehearseError(f"{name} is not UTF-8 text; save it as UTF-8 and try again.") from None
    if not text.strip():
        raise RehearseError(f"The answer in {name} is empty; write or paste your answer first.")
    return text


def _transcribe(audio: str) -> Transcript:
    from rehearse.config import load_settings
    from rehearse.speech.transcribe import Transcriber

    if not Path(audio).exists():
        raise RehearseError(f"There is no audio file {audio}; give the path to a recording.")
    settings = load_settings()
    transcriber = Transcriber(
        model=settings.model,
        compute_type=settings.compute_type,
        threads=settings.threads,
        beam_size=settings.beam_size,
    )
    transcript = transcriber.transcribe(audio)
    if not transcript.text.strip():
        raise RehearseError(
            f"No speech was heard in {audio}; check the recording has your answer in it."
        )
    return transcript


def _profile(name_or_path: str | None) -> Profile | None:
    from rehearse.profiles import load_profile

    if name_or_path:
        return load_profile(name_or_path)
    from rehearse.config import load_settings

    active = load_settings().profile
    return load_profile(active) if active else None


def _save(
    question: Question,
    profile: Profile | None,
    report: Report,
    transcript: Transcript | None,
    audio: str | None,
) -> int:
    try:
        from rehearse.store import Store
    except ImportError:
        raise RehearseError("Saving needs the history store, which is not installed.") from None
    with Store.open() as store:
        if transcript is None:
            return store.save_text_attempt(question, profile, report)
        session = store.start_session("single", profile)
        attempt = store.begin_attempt(session, question, profile, Path(audio) if audio else None)
        store.finish_attempt(attempt, transcript, report, transcript.duration_s)
        return attempt


@click.command()
@click.argument("audio", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--text", "text_source", metavar="FILE|-", help="Analyse a typed answer (- = stdin).")
@click.option("--profile", "profile_ref", metavar="FILE|NAME", help="Company profile to tailor to.")
@click.option(
    "--question", "question_id", default=None, help="Question id (default: career_goals)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True
)
@click.option("--save", is_flag=True, help="Store the attempt in your history.")
def analyze(
    audio: str | None,
    text_source: str | None,
    profile_ref: str | None,
    question_id: str | None,
    fmt: str,
    save: bool,
) -> None:
    """Check an answer against the career-goals rubric: verdicts, evidence, tips and a score."""
    if (audio is None) == (text_source is None):
        raise click.UsageError("Give either an AUDIO file or --text FILE (or --text - for stdin).")
    from rehearse.analysis import analyze_text, analyze_transcript
    from rehearse.questions import DEFAULT_QUESTION_ID, get_question

    question = get_question(question_id or DEFAULT_QUESTION_ID)
    profile = _profile(profile_ref)
    transcript = None
    if text_source is not None:
        report = analyze_text(read_answer_text(text_source), question, profile)
    else:
        assert audio is not None
        transcript = _transcribe(audio)
        report = analyze_transcript(transcript, question, profile)
    if save:
        attempt_id = _save(question, profile, report, transcript, audio)
        click.echo(f"Saved as attempt {attempt_id}.", err=True)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "md":
        from rehearse.analysis.render import render_markdown

        click.echo(render_markdown(report), nl=False)
    else:
        from rehearse.analysis.render import render_text

        click.echo(render_text(report, color=sys.stdout.isatty()), nl=False)
