"""Red flags: things that lower the score whatever else the answer does well."""

from __future__ import annotations

import re

from rehearse.analysis.content import Answer, Spans
from rehearse.analysis.text import Sentence, tokens


def interviewers_job(a: Answer) -> Spans:
    return [m.span() for s in a.sents for m in a.live("interviewers_job", s)]


def negative_past_employer(a: Answer) -> Spans:
    out: Spans = []
    for s in a.sents:
        if a.matches("employer_ref", s) and a.live("negative", s):
            out.append(a.span_of(s))
    return out


def dont_know(a: Answer) -> Spans:
    return [m.span() for s in a.sents for m in a.matches("dont_know", s)]


# Off-topic share is measured by coverage, not by whole sentences: a token is on topic when it
# sits within _WINDOW tokens of a work, goal, motive or pay word. A long sentence about the dog
# with one stray "team" in it stays mostly uncovered, while short connective gaps ("and, you
# know, it was") shorter than _MIN_RUN are not counted. Life words (holidays, the commute, the
# house) uncover their own window. The threshold is higher than the labelling's "a third"
# because on-topic answers leave some tokens uncovered too; it was set on the labelled corpus.
_WINDOW = 5
_MIN_RUN = 5
_SHARE = 0.43
# Grammar, not topic: "I'd do it up between swings" holds a goal cue but says nothing of work.
_BARE_CUE = re.compile(r"(?:i'd|i\s+would|i'll|i\s+will|going\s+to)$", re.I)
_MATCHED = ("career", "company_generic", "pay_figure", "dont_know")
_LIVE = (
    *("pay_mention", "pay_tactful", "learn_intent", "exp_strong", "exp_weak", "vehicle"),
    *("motive_strong", "motive_personal", "admiration", "occupation", "function", "skill"),
    *("certification", "interviewers_job", "growth", "level", "stay", "leaving"),
    # Talk about the employer (its perks, its parts, praise) answers "why here".
    *("perks", "company_part", "company_tie", "company_agent", "company_praise"),
)


# A first pass with the lists the checks scan anyway. More lists only cover more words, so when
# this pass already finds the answer on topic, so would the full one: the full scan of about
# thirty lists per sentence is needed only for answers that may be off topic.
_FIRST_PASS = (
    ("career", "company_generic", "pay_figure"),
    (
        *("occupation", "function", "skill", "growth", "motive_strong", "vehicle"),
        *("exp_strong", "learn_intent", "level", "company_tie", "motive_personal", "pay_mention"),
    ),
)


def _topic_spans(
    a: Answer, s: Sentence, lists: tuple[tuple[str, ...], tuple[str, ...]] | None = None
) -> tuple[Spans, Spans]:
    """Work words, and intent or time words ("I'm hoping to", "in April") that are on topic
    but do not make a life word beside them part of the work."""
    matched, live = lists or (_MATCHED, _LIVE)
    work = [m.span() for n in matched for m in a.matches(n, s)]
    work += [m.span() for n in live for m in a.live(n, s)]
    intent = [m.span() for m in a.live("goal", s) if not _BARE_CUE.match(m.group(0))]
    short, long = a.frames[s.index]
    return work, intent + short + long


def _window(i: int, n: int) -> range:
    """Token indexes within _WINDOW of token i, in a sentence of n tokens."""
    return range(max(0, i - _WINDOW), min(n, i + _WINDOW + 1))


def _hit(tok: tuple[str, int, int], spans: Spans) -> bool:
    return any(tok[1] < e and b < tok[2] for b, e in spans)


def off_topic(a: Answer, share: float = _SHARE) -> Spans:
    """Stretches with no work, goal or motive content, if they make up enough of the words."""
    if stray_share(a, _FIRST_PASS)[0] < share:
        return []
    found, stray = stray_share(a)
    return stray if found >= share else []


def stray_share(
    a: Answer, lists: tuple[tuple[str, ...], tuple[str, ...]] | None = None
) -> tuple[float, Spans]:
    """The share of an answer's tokens in uncovered stretches, and those stretches. `lists`
    (matched, live) narrows the work words to those lists: the share can only go up."""
    total = 0
    stray: Spans = []
    stray_words = 0
    for s in a.sents:
        toks = tokens(a.text, s.start, s.end)
        total += len(toks)
        work, intent = _topic_spans(a, s, lists)
        life = [m.span() for m in a.live("life", s)]
        work_hits = [i for i, t in enumerate(toks) if _hit(t, work)]
        intent_hits = [i for i, t in enumerate(toks) if _hit(t, intent)]
        covered = [False] * len(toks)
        for i in (*work_hits, *intent_hits):
            for j in _window(i, len(toks)):
                covered[j] = True
        for i, t in enumerate(toks):
            # "a bus driver": a life word right beside a work word is part of the work.
            if _hit(t, life) and not any(abs(i - j) <= 2 for j in work_hits):
                for j in _window(i, len(toks)):
                    covered[j] = False
        run_start = None
        for i, c in enumerate([*covered, True]):
            if not c and run_start is None:
                run_start = i
            elif c and run_start is not None:
                if i - run_start >= _MIN_RUN:
                    stray_words += i - run_start
                    stray.append((toks[run_start][1], toks[i - 1][2]))
                run_start = None
    return (stray_words / total if total else 0.0), stray


FLAGS = {
    "interviewers_job": interviewers_job,
    "negative_past_employer": negative_past_employer,
    "dont_know": dont_know,
    "off_topic": off_topic,
}


def run_flags(a: Answer) -> dict[str, Spans]:
    found = {name: check(a) for name, check in FLAGS.items()}
    return {name: spans for name, spans in found.items() if spans}
