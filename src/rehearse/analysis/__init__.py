"""The career-goals rubric: pure functions from an answer to a Report.

    analyze_text(text, question, profile=None) -> Report          (delivery is None)
    analyze_transcript(transcript, question, profile=None) -> Report  (with delivery figures)

No engine, UI or audio imports here: a test keeps it that way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rehearse.analysis import feedback
from rehearse.analysis.content import CHECK_IDS, Answer, Outcome, run_checks
from rehearse.analysis.delivery import delivery_score, measure
from rehearse.analysis.flags import run_flags
from rehearse.analysis.lexicon import scoring_data
from rehearse.domain import (
    CheckResult,
    Delivery,
    Evidence,
    Profile,
    Question,
    RedFlag,
    Report,
    Transcript,
    Word,
)

# Bump when the rubric's verdicts can change for the same answer.
ANALYZER_VERSION = "1.5.0"

__all__ = ["ANALYZER_VERSION", "CHECK_IDS", "analyze_text", "analyze_transcript", "score"]


def word_spans(text: str, words: Sequence[Word]) -> list[tuple[int, int]]:
    """Char span of each Word in `text`, left to right; (-1, -1) for a word not found."""
    spans: list[tuple[int, int]] = []
    pos = 0
    lowered = text.lower()
    for w in words:
        token = w.word.strip().lower()
        core = re.sub(r"^\W+|\W+$", "", token) or token
        at = lowered.find(core, pos) if core else -1
        if at < 0 or at - pos > 40 + len(core):
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(core)))
        pos = at + len(core)
    return spans


def _evidence(
    text: str,
    spans: Sequence[tuple[int, int]],
    words: Sequence[Word] = (),
    wspans: Sequence[tuple[int, int]] = (),
) -> tuple[Evidence, ...]:
    out = []
    for start, end in spans:
        start_s = end_s = None
        inside = [
            w
            for w, (ws, we) in zip(words, wspans, strict=False)
            if ws >= 0 and ws < end and we > start
        ]
        if inside:
            start_s, end_s = inside[0].start, inside[-1].end
        out.append(Evidence(text[start:end], start, end, start_s, end_s))
    return tuple(out)


def score(
    outcomes: dict[str, Outcome], question: Question, delivery: Delivery | None, n_flags: int
) -> int:
    """Weighted mean of verdict scores (and delivery for audio), minus a penalty per red flag."""
    constants = scoring_data()
    verdict_score = constants["verdict_score"]
    total = weight_sum = 0.0
    for check_id, outcome in outcomes.items():
        w = question.weights.get(check_id, 1.0)
        total += w * verdict_score[outcome.verdict]
        weight_sum += w
    if delivery is not None:
        w = question.weights.get("delivery", 1.0)
        total += w * delivery_score(delivery)
        weight_sum += w
    raw = 100 * total / weight_sum if weight_sum else 0.0
    raw -= constants["red_flags"]["penalty"] * n_flags
    return round(min(100.0, max(0.0, raw)))


def _report(
    text: str,
    question: Question,
    profile: Profile | None,
    words: Sequence[Word] = (),
    duration_s: float | None = None,
) -> Report:
    answer = Answer(text, profile, question.id)
    wspans = word_spans(text, words) if words else []
    delivery = measure(words, wspans, duration_s or 0.0) if duration_s is not None else None
    spoken_s = None
    if delivery is not None:
        # The answer's length is the time until the candidate stopped talking.
        spoken_s = words[-1].end if words else duration_s
    outcomes = run_checks(answer, question, spoken_s)
    verdict_score = scoring_data()["verdict_score"]
    checks = tuple(
        CheckResult(
            id=check_id,
            label=feedback.label(check_id),
            verdict=outcome.verdict,
            score=float(verdict_score[outcome.verdict]),
            evidence=_evidence(text, outcome.spans, words, wspans),
            explanation=feedback.explain(check_id, outcome),
            tip=feedback.tip(check_id, outcome, profile),
        )
        for check_id, outcome in outcomes.items()
    )
    flags = run_flags(answer)
    red_flags = tuple(
        RedFlag(
            id=flag_id,
            label=feedback.flag_label(flag_id),
            evidence=_evidence(text, spans[:3], words, wspans),
            explanation=feedback.flag_explanation(flag_id),
        )
        for flag_id, spans in flags.items()
    )
    return Report(
        question_id=question.id,
        question_text=question.text,
        transcript=text,
        words=tuple(words),
        duration_s=duration_s,
        delivery=delivery,
        checks=checks,
        red_flags=red_flags,
        score=score(outcomes, question, delivery, len(red_flags)),
        analyzer_version=ANALYZER_VERSION,
        word_count=len(text.split()),
        profile=profile,
    )


def analyze_text(text: str, question: Question, profile: Profile | None = None) -> Report:
    """Judge a typed answer: content checks and red flags; delivery is None."""
    return _report(text, question, profile)


def analyze_transcript(
    transcript: Transcript, question: Question, profile: Profile | None = None
) -> Report:
    """Judge a spoken answer: content checks, red flags and delivery figures."""
    return _report(
        transcript.text, question, profile, transcript.words, float(transcript.duration_s)
    )
