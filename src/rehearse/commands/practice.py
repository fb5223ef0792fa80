"""`rehearse practice` and `rehearse` with no command: the practice studio (Textual)."""

from __future__ import annotations

from pathlib import Path

import click


def _launch(
    *,
    mode: str = "home",
    question: str | None = None,
    round_size: int | None = None,
    profile: str | None = None,
    prep: float | None = None,
    limit: float | None = None,
    input_file: Path | None = None,
    no_tts: bool = False,
) -> None:
    # Heavy imports here, so `rehearse --help` stays fast.
    from rehearse.config import load_settings
    from rehearse.services import build_services

    settings = load_settings()
    if question is not None:
        from rehearse.questions import get_question

        get_question(question)  # an unknown id is one sentence before any screen opens
    services = build_services(settings, input_file=input_file, no_tts=no_tts, profile=profile)
    from rehearse.ui.app import StartPlan, run_studio

    plan = StartPlan(
        mode=mode,  # type: ignore[arg-type]
        question_id=question,
        round_size=round_size or settings.round_size,
        prep_s=prep,
        limit_s=limit,
    )
    try:
        run_studio(services, plan)
    finally:
        services.close()


def open_studio() -> None:
    """`rehearse` with no command opens the home screen."""
    _launch()


@click.command()
@click.option("--question", "question", metavar="ID", help="Practise this question (see the bank).")
@click.option(
    "--round",
    "round_size",
    type=click.IntRange(1, 20),
    metavar="N",
    help="A timed round of N questions from the career-goals family.",
)
@click.option(
    "--profile", metavar="FILE|NAME", help="Company profile: a TOML file or a saved name."
)
@click.option(
    "--prep",
    type=click.FloatRange(0, 600),
    metavar="S",
    help="Seconds to prepare before recording; 0 skips the countdown.",
)
@click.option(
    "--limit",
    type=click.FloatRange(5, 1800),
    metavar="S",
    help="Seconds allowed for the answer (default: the question's own limit).",
)
@click.option(
    "--input-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Use this audio file instead of the microphone, at real-time pace.",
)
@click.option("--no-tts", is_flag=True, help="Show the question without speaking it.")
def practice(
    question: str | None,
    round_size: int | None,
    profile: str | None,
    prep: float | None,
    limit: float | None,
    input_file: Path | None,
    no_tts: bool,
) -> None:
    """Go straight into practice: hear the question, answer aloud, see the feedback."""
    if question is not None and round_size is not None:
        raise click.UsageError("Give --question or --round, not both.")
    _launch(
        mode="round" if round_size else "single",
        question=question,
        round_size=round_size,
        profile=profile,
        prep=prep,
        limit=limit,
        input_file=input_file,
        no_tts=no_tts,
    )
