"""Delivery figures from word timings, the Report's JSON, and evidence times."""

from __future__ import annotations

from rehearse.analysis import analyze_text, analyze_transcript, word_spans
from rehearse.domain import Report, Transcript, Word
from rehearse.questions import get_question


def transcript(
    spoken: str, gap_after: dict[int, float] | None = None, start: float = 0.8, step: float = 0.4
) -> Transcript:
    """Words at a steady pace (0.4 s each = 150 wpm) with optional extra gaps after word i."""
    words: list[Word] = []
    t = start
    for i, token in enumerate(spoken.split()):
        words.append(Word(" " + token, t, t + step * 0.8, 0.9))
        t += step + (gap_after or {}).get(i, 0.0)
    return Transcript(spoken, words, [], duration_s=t + 1.0, model="test")


def deliver(spoken: str, **kw: object) -> Report:
    return analyze_transcript(transcript(spoken, **kw), get_question("career_goals"))  # type: ignore[arg-type]


def test_wpm_is_measured_over_speech_and_banded() -> None:
    d = deliver("I want to lead a data team within your company in five years " * 4).delivery
    assert d is not None
    assert 140 < d.wpm < 160 and d.wpm_band == "ideal"
    slow = deliver("I want to lead a data team here " * 4, step=0.7).delivery
    assert slow is not None and slow.wpm_band == "slow"
    assert d.time_to_first_word_s == 0.8


def test_like_as_a_verb_is_not_a_filler() -> None:
    d = deliver("I'd like to, um, lead a team. I like data. It was, like, hard, you know.").delivery
    assert d is not None
    texts = [f.text.strip(",.").lower() for f in d.fillers]
    assert texts.count("like") == 1
    assert "um" in texts and "you know" in texts
    assert d.fillers_per_minute > 0


def test_some_kind_of_is_literal() -> None:
    d = deliver("I'd take some kind of course, and I kind of want to lead.").delivery
    assert d is not None
    assert [f.text.lower() for f in d.fillers] == ["kind of"]


def test_pauses_over_threshold_and_longest() -> None:
    d = deliver("In five years I want to lead a team here", gap_after={2: 2.0, 5: 0.9}).delivery
    assert d is not None
    assert len(d.pauses) == 1
    assert 2.0 < d.pauses[0].duration_s < 2.2
    assert d.longest_pause_s == d.pauses[0].duration_s


def test_hedges_are_listed() -> None:
    d = deliver("I guess maybe I want to lead a team, probably here.").delivery
    assert d is not None
    assert [h.text.lower().strip(",.") for h in d.hedges] == ["i guess", "maybe", "probably"]


def test_evidence_has_seconds_for_audio() -> None:
    report = deliver("So. In the short term I want to pass the CFA exam. That is my plan.")
    check = report.check("short_term_goal")
    assert check.verdict == "pass"
    e = check.evidence[0]
    assert e.start_s is not None and e.end_s is not None
    assert 0.8 < e.start_s < e.end_s < 6


def test_word_spans_follow_the_text() -> None:
    text = "Um, I'd like to lead."
    words = [
        Word(w, i, i + 0.5, 1.0) for i, w in enumerate([" Um,", " I'd", " like", " to", " lead."])
    ]
    spans = word_spans(text, words)
    assert [text[s:e] for s, e in spans] == ["Um", "I'd", "like", "to", "lead"]


def test_text_has_no_delivery_and_json_round_trips() -> None:
    report = analyze_text("In five years I want to lead a team here.", get_question("five_years"))
    data = report.to_dict()
    assert data["delivery"] is None and data["duration_s"] is None
    assert set(data) >= {
        "question",
        "transcript",
        "words",
        "duration_s",
        "delivery",
        "checks",
        "red_flags",
        "score",
        "analyzer_version",
    }
    assert Report.from_dict(data) == report
    audio = deliver("I want to, um, lead a data team within your company in five years")
    assert Report.from_dict(audio.to_dict()).to_dict() == audio.to_dict()
    assert set(audio.to_dict()["delivery"]["fillers"]) == {"count", "per_minute", "items"}


def test_delivery_counts_in_the_score() -> None:
    text = "In five years I want to lead a data team within your company, because I love data. " * 3
    fluent = deliver(text)
    halting = deliver(text, gap_after={i: 2.0 for i in range(0, 40, 4)})
    assert halting.score < fluent.score
