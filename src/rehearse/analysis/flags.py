"""Red flags: things that lower the score whatever else the answer does well."""

from __future__ import annotations

from rehearse.analysis.content import Answer, Spans


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


def off_topic(a: Answer, share: float = 1 / 3) -> Spans:
    """Sentences with no work, goal or motive content, if they make up a third of the words."""
    total = 0
    stray: list[tuple[int, int, int]] = []
    for s in a.sents:
        words = len(a.text[s.start : s.end].split())
        total += words
        if words < 4:
            continue  # "So, yeah." carries no topic either way
        on_topic = (
            a.matches("career", s)
            or s.index in a.goal_sents
            or a.matches("company_generic", s)
            # "I haven't thought that far ahead" is about the question, though a poor answer.
            or a.matches("dont_know", s)
            # Pay talk answers the salary question; wanting to improve is about development.
            or a.matches("pay_figure", s)
            or a.live("pay_mention", s)
            or a.live("pay_tactful", s)
            or a.live("learn_intent", s)
            or a.live("exp_strong", s)
            or a.live("vehicle", s)
            or a.live("motive_strong", s)
            or any(a.live(n, s) for n in ("occupation", "function", "skill", "certification"))
        )
        # "I'm training for my first marathon": a career word inside a hobby sentence.
        about_life = bool(a.live("life", s)) and not (
            (s.index in a.goal_sents and a.matches("career", s))
            or a.live("leaving", s)
            or a.matches("company_generic", s)
            or a.live("exp_strong", s)
            or any(a.live(n, s) for n in ("occupation", "function", "certification"))
        )
        if not on_topic or about_life:
            stray.append((s.start, s.end, words))
    if total and sum(w for _, _, w in stray) / total >= share:
        return [(s, e) for s, e, _ in stray]
    return []


FLAGS = {
    "interviewers_job": interviewers_job,
    "negative_past_employer": negative_past_employer,
    "dont_know": dont_know,
    "off_topic": off_topic,
}


def run_flags(a: Answer) -> dict[str, Spans]:
    found = {name: check(a) for name, check in FLAGS.items()}
    return {name: spans for name, spans in found.items() if spans}
