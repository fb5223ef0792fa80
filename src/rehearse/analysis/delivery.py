"""Delivery figures for spoken answers: pace, fillers, pauses, hedges, time to first word."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from rehearse.analysis.lexicon import delivery_data, scoring_data
from rehearse.analysis.text import normalise
from rehearse.domain import Delivery, Pause, TimedPhrase, Word

_CLEAN = re.compile(r"[^a-z0-9']+")


def _clean(word: str) -> str:
    return _CLEAN.sub("", normalise(word).lower())


def wpm_band(wpm: float, n_words: int, bands: dict[str, Any]) -> str:
    if n_words < bands["min_words"]:
        return "unknown"
    if wpm < bands["flag_below"]:
        return "slow"
    if wpm < bands["ideal_low"]:
        return "a little slow"
    if wpm <= bands["ideal_high"]:
        return "ideal"
    if wpm <= bands["flag_above"]:
        return "a little fast"
    return "fast"


def _phrase(words: Sequence[Word], spans: Sequence[tuple[int, int]], i: int, n: int) -> TimedPhrase:
    text = " ".join(w.word.strip() for w in words[i : i + n])
    return TimedPhrase(text, spans[i][0], spans[i + n - 1][1], words[i].start, words[i + n - 1].end)


def find_fillers(words: Sequence[Word], spans: Sequence[tuple[int, int]]) -> list[TimedPhrase]:
    """Fillers by word: um/uh..., multi-word markers, and "like" only as a focuser."""
    data = delivery_data()["fillers"]
    single = set(data["single"])
    multi = sorted((p.split() for p in data["multi"]), key=len, reverse=True)
    not_after = set(data["like_not_after"])
    not_before = set(data["like_not_before"])
    cleaned = [_clean(w.word) for w in words]
    found: list[TimedPhrase] = []
    i = 0
    while i < len(words):
        tok = cleaned[i]
        matched = 0
        for phrase in multi:
            if cleaned[i : i + len(phrase)] == phrase:
                matched = len(phrase)
                break
        if matched and _multi_is_filler(cleaned, words, i, matched):
            found.append(_phrase(words, spans, i, matched))
            i += matched
            continue
        like = tok == "like" and _like_is_filler(cleaned, words, i, not_after, not_before)
        if tok in single or like:
            found.append(_phrase(words, spans, i, 1))
        i += 1
    return found


def _multi_is_filler(cleaned: list[str], words: Sequence[Word], i: int, n: int) -> bool:
    # "some kind of course", "what I mean is": a determiner or verb makes it literal.
    prev = cleaned[i - 1] if i else ""
    if cleaned[i] in {"kind", "sort"} and prev in {
        "some",
        "a",
        "the",
        "any",
        "what",
        "this",
        "that",
        "one",
    }:
        return False
    return not (cleaned[i] == "i" and prev in {"what"})


def _like_is_filler(
    cleaned: list[str], words: Sequence[Word], i: int, not_after: set[str], not_before: set[str]
) -> bool:
    prev = cleaned[i - 1] if i else ""
    nxt = cleaned[i + 1] if i + 1 < len(cleaned) else ""
    raw = words[i].word.strip()
    prev_raw = words[i - 1].word.strip() if i else ""
    set_off = raw.endswith(",") or prev_raw.endswith((",", ".", "?")) or not prev
    if prev in not_after or nxt in not_before:
        return set_off and prev not in {
            "i",
            "we",
            "you",
            "they",
            "would",
            "i'd",
            "'d",
            "don't",
            "didn't",
        }
    return True


def find_hedges(words: Sequence[Word], spans: Sequence[tuple[int, int]]) -> list[TimedPhrase]:
    phrases = sorted(
        (p.split() for p in delivery_data()["hedges"]["phrases"]), key=len, reverse=True
    )
    cleaned = [_clean(w.word) for w in words]
    found: list[TimedPhrase] = []
    i = 0
    while i < len(words):
        for phrase in phrases:
            if cleaned[i : i + len(phrase)] == phrase:
                found.append(_phrase(words, spans, i, len(phrase)))
                i += len(phrase)
                break
        else:
            i += 1
    return found


def find_pauses(words: Sequence[Word]) -> tuple[list[Pause], float]:
    """Silences between words longer than the threshold, and the longest gap of all."""
    threshold = delivery_data()["pauses"]["long_pause_s"]
    pauses: list[Pause] = []
    longest = 0.0
    for before, after in itertools.pairwise(words):
        gap = after.start - before.end
        longest = max(longest, gap)
        if gap > threshold:
            pauses.append(Pause(before.end, after.start))
    return pauses, longest


def measure(words: Sequence[Word], spans: Sequence[tuple[int, int]], duration_s: float) -> Delivery:
    bands = delivery_data()["wpm"]
    spoken = [w for w in words if _clean(w.word)]
    if spoken:
        speaking = max(spoken[-1].end - spoken[0].start, 1e-6)
        wpm = len(spoken) / (speaking / 60)
        first = spoken[0].start
    else:
        speaking, wpm, first = 0.0, 0.0, None
    fillers = find_fillers(words, spans)
    pauses, longest = find_pauses(words)
    minutes = speaking / 60 if speaking > 0 else 0
    return Delivery(
        duration_s=duration_s,
        speaking_s=speaking,
        wpm=wpm,
        wpm_band=wpm_band(wpm, len(spoken), bands),
        fillers=tuple(fillers),
        fillers_per_minute=len(fillers) / minutes if minutes else 0.0,
        pauses=tuple(pauses),
        longest_pause_s=longest,
        hedges=tuple(find_hedges(words, spans)),
        time_to_first_word_s=first,
    )


def delivery_score(d: Delivery) -> float:
    """0..1: pace, fillers, long pauses and hedges, equally weighted (constants in scoring.toml)."""
    k = scoring_data()["delivery"]
    if d.wpm_band in {"ideal", "unknown"}:
        pace = 1.0
    elif d.wpm_band in {"a little slow", "a little fast"}:
        pace = k["wpm_near"]
    else:
        pace = k["wpm_flagged"]
    good, bad = k["fillers_good"], k["fillers_bad"]
    fpm = d.fillers_per_minute
    fillers = 1.0 if fpm <= good else 0.0 if fpm >= bad else 1 - (fpm - good) / (bad - good)
    pauses = max(0.0, 1 - k["pause_cost"] * len(d.pauses))
    hedges = max(0.0, 1 - k["hedge_cost"] * len(d.hedges))
    return (pace + fillers + pauses + hedges) / 4
