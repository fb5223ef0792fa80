"""The ten content checks: pure functions from an answer's text (and profile) to verdicts.

Each check returns an Outcome: a verdict and the char spans that earned it. Wording of the
feedback lives in feedback.py; word lists and patterns live in data/lexicon.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from rehearse.analysis.lexicon import Lexicon, lexicon, scoring_data
from rehearse.analysis.text import Sentence, clause_bounds, mask, normalise, sentences, tokens
from rehearse.domain import Profile, Question

PASS, PARTIAL, MISS = "pass", "partial", "miss"
CHECK_IDS = (
    "short_term_goal",
    "long_term_goal",
    "specificity",
    "motivation",
    "skills_experience",
    "development_plan",
    "growth_in_company",
    "company_fit",
    "salary_tact",
    "conciseness",
)

Spans = list[tuple[int, int]]


@dataclass
class Outcome:
    verdict: str
    spans: Spans = field(default_factory=list)
    # Extra facts for the feedback text (e.g. word counts, why a miss happened).
    detail: dict[str, Any] = field(default_factory=dict)


def _overlaps(a: tuple[int, int], spans: Spans) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


class Answer:
    """An answer's text with per-sentence facts, computed once and shared by the checks."""

    def __init__(self, text: str, profile: Profile | None = None, question_id: str = "") -> None:
        self.original = text
        self.profile = profile
        # On the salary question a bare number ("the high fifties") is pay.
        self.about_pay = question_id == "salary_expectations"
        self.lex: Lexicon = lexicon()
        # Same length as `text`: offsets index the original for quoting evidence.
        self.text = mask(normalise(text), self.lex["filler_mask"])
        self.sents: list[Sentence] = sentences(self.text)
        self._live: dict[tuple[str, int, bool, bool], list[re.Match[str]]] = {}
        self._matches: dict[tuple[str, int], list[re.Match[str]]] = {}
        self._concrete: dict[int, Spans] = {}

    # --- matching helpers -------------------------------------------------------------

    def matches(self, name: str, sent: Sentence) -> list[re.Match[str]]:
        """All matches of a named pattern in a sentence (memoised: checks share them)."""
        key = (name, sent.index)
        found = self._matches.get(key)
        if found is None:
            found = list(self.lex[name].finditer(self.text, sent.start, sent.end))
            self._matches[key] = found
        return found

    def live(
        self, name: str, sent: Sentence, after: bool = False, soft_counts: bool = False
    ) -> list[re.Match[str]]:
        """Matches not denied by a negation in their clause (memoised: checks share them)."""
        key = (name, sent.index, after, soft_counts)
        found = self._live.get(key)
        if found is None:
            neg = self.lex.negation
            found = [
                m
                for m in self.matches(name, sent)
                if not neg.negated(self.text, sent, m.start(), m.end(), after, soft_counts)
            ]
            self._live[key] = found
        return found

    def any_live(self, name: str, sent: Sentence) -> bool:
        return bool(self.live(name, sent))

    # --- sentence facts ---------------------------------------------------------------

    @cached_property
    def goal_sents(self) -> set[int]:
        return {s.index for s in self.sents if self.any_live("goal", s)}

    def _number(self, word: str | None) -> float | None:
        """'7', 'seven', 'twenty-four', 'thirties' as a number; None if it is not one."""
        if word is None:
            return None
        if word.isdigit():
            return float(word)
        total = 0
        for part in re.split(r"[\s-]+", word.lower()):
            value = self.lex.numbers.get(part)
            if value is None:
                return None
            total += value
        return float(total)

    def _span_years(self, m: re.Match[str]) -> float | None:
        a, b = self._number(m.group("a")), self._number(m.group("b"))
        if a is None:
            return None
        amount = max(a, b or a)
        unit = m.group("unit").lower()
        # "The first time in twenty years" looks back, not ahead.
        if _RETROSPECTIVE.search(self.text, max(0, m.start() - 24), m.start()):
            return None
        return (
            amount / 12
            if unit.startswith("month")
            else amount / 52
            if unit.startswith("week")
            else amount * 10
            if unit.startswith("decade")
            else amount
        )

    @cached_property
    def current_age(self) -> float | None:
        """The candidate's stated age ("I'm twenty-four now"), to measure "by thirty" from."""
        m = self.lex["current_age"].search(self.text)
        return self._number(m.group("age")) if m else None

    def _age_years(self, m: re.Match[str]) -> float:
        """Years until an age horizon; with no stated age, a career age is years away."""
        age, now = self._number(m.group("age")), self.current_age
        if age is None or now is None or age <= now:
            return self.lex.long_min_years
        return age - now

    @cached_property
    def frames(self) -> dict[int, tuple[Spans, Spans]]:
        """Per sentence: near-term frame spans, long-term frame spans."""
        out: dict[int, tuple[Spans, Spans]] = {}
        for s in self.sents:
            short = [m.span() for m in self.live("short_frame", s)]
            long = [m.span() for m in self.live("long_frame", s)]
            for name in ("span", "from_now"):
                for m in self.lex[name].finditer(self.text, s.start, s.end):
                    years = self._span_years(m)
                    if years is None:
                        continue
                    if years <= self.lex.short_max_years:
                        short.append(m.span())
                    elif years >= self.lex.long_min_years:
                        long.append(m.span())
            for m in self.lex["age"].finditer(self.text, s.start, s.end):
                if self._age_years(m) <= self.lex.short_max_years:
                    short.append(m.span())
                else:
                    long.append(m.span())
            out[s.index] = (short, long)
        self._carry_frames(out)
        return out

    def _carry_frames(self, out: dict[int, tuple[Spans, Spans]]) -> None:
        """A frame said on its own ("Five years? ...") or pointed back to ("... by then")
        scopes the goal that follows it."""
        carried: tuple[Spans, Spans] = ([], [])
        ttl = 0
        for s in self.sents:
            short, long = out[s.index]
            words = tokens(self.text, s.start, s.end)
            if len(words) <= 5 and not (short or long):
                m = _BARE_SPAN.search(self.text, s.start, s.end)
                years = self._span_years(m) if m else None
                if years is not None:
                    span = [m.span()] if m else []
                    short = span if years <= self.lex.short_max_years else []
                    long = span if years >= self.lex.long_min_years else []
                    out[s.index] = (short, long)
            if short or long:
                # "Five years?" or "Where do I see myself in five years?" introduces the goal.
                if s.text.endswith("?") or (s.index not in self.goal_sents and len(words) <= 8):
                    carried, ttl = (short, long), 3
                continue
            if ttl and (s.index in self.goal_sents or _BACK_REF.search(self.text, s.start, s.end)):
                out[s.index] = carried
                ttl = 0
            ttl = max(0, ttl - 1)

    @cached_property
    def frame_spans(self) -> Spans:
        return [sp for short, long in self.frames.values() for sp in (*short, *long)]

    @cached_property
    def _profile_patterns(self) -> dict[str, re.Pattern[str] | None]:
        try:
            return _compile_profile(self.profile, self.lex.description_stop)
        except TypeError:  # a Profile built with a list of values is not hashable
            return _compile_profile.__wrapped__(self.profile, self.lex.description_stop)

    def profile_hits(self, kind: str, sent: Sentence) -> Spans:
        pattern = self._profile_patterns[kind]
        if pattern is None:
            return []
        return [m.span() for m in pattern.finditer(self.text, sent.start, sent.end)]

    def concrete(self, sent: Sentence) -> Spans:
        """Named things in a sentence: occupations, functions, skills, qualifications, counts."""
        if sent.index not in self._concrete:
            self._concrete[sent.index] = self._find_concrete(sent)
        return self._concrete[sent.index]

    def _find_concrete(self, sent: Sentence) -> Spans:
        spans: Spans = []
        for name in ("occupation", "function", "skill", "certification", "count"):
            spans += [m.span() for m in self.live(name, sent)]
        spans += self.profile_hits("role", sent)
        company = self._profile_patterns["company"]
        company_spans = (
            [m.span() for m in company.finditer(self.text, sent.start, sent.end)] if company else []
        )
        # Acronyms ("CIPD", "AZ-104") and multi-word names ("Power BI", "Google Analytics")
        # name things; a lone capitalised word is as often a place or a person.
        toks = tokens(self.text, sent.start, sent.end)
        for i, (tok, s, e) in enumerate(toks):
            word = self.text[s:e]
            if not word[:1].isupper() or tok in self.lex.proper_stop:
                continue
            acronym = len(word) >= 2 and word.isupper()
            after = self.text[e + 1 : e + 2]
            nxt = self.text[e : e + 1] == " " and (after.isupper() or after.isdigit())
            tool_verb = i > 0 and toks[i - 1][0] in _TOOL_CONTEXT
            prev = i > 0 and self.text[s - 1 : s] == " " and self.text[toks[i - 1][1]].isupper()
            if not acronym and (i == 0 or not (nxt or prev or tool_verb)):
                continue
            if _overlaps((s, e), company_spans):
                continue
            spans.append((s, e))
        return [sp for sp in spans if not _overlaps(sp, self.frame_spans)]

    def levels(self, sent: Sentence) -> Spans:
        return [m.span() for m in self.live("level", sent)]

    def goalish(self, sent: Sentence) -> bool:
        short, long = self.frames[sent.index]
        return sent.index in self.goal_sents or bool(short or long)

    def span_of(self, sent: Sentence) -> tuple[int, int]:
        return sent.start, sent.end


@cache
def _compile_profile(p: Profile | None, stop: frozenset[str]) -> dict[str, re.Pattern[str] | None]:
    """The profile's company, role, values and description as patterns, compiled once per
    profile (a practice session reuses one profile for every answer)."""
    if p is None:
        return {"company": None, "role": None, "values": None, "description": None}

    def alt(words: list[str]) -> re.Pattern[str] | None:
        words = [w for w in words if w]
        if not words:
            return None
        return re.compile(r"\b(?:" + "|".join(words) + r")", re.IGNORECASE)

    company_words = [re.escape(p.company).replace("\\&", "(?:&|and)").replace("and", "(?:&|and)")]
    first = p.company.split()[0]
    if len(first) >= 4 and first.lower() not in stop and first.lower() != "the":
        company_words.append(re.escape(first) + r"\b")
    role = p.role
    role_core = re.sub(
        r"(?i)\b(senior|junior|lead|principal|trainee|graduate|associate)\b", "", role
    )
    role_words = [re.escape(role) + r"\b", re.escape(" ".join(role_core.split())) + r"\b"]
    value_words: list[str] = []
    for value in p.values:
        value_words.append(re.escape(value) + r"\b")
        for w in re.findall(r"[A-Za-z]+", value):
            wl = w.lower()
            if len(wl) >= 5 and wl not in stop and wl not in _COMMON_GOAL_WORDS:
                value_words.append(re.escape(wl[: max(5, len(wl) - 3)]) + r"\w*")
    desc_words = {
        w.lower()
        for w in re.findall(r"[A-Za-z][A-Za-z-]+", p.description)
        if len(w) >= 6 and w.lower() not in stop and w.lower() not in _COMMON_GOAL_WORDS
    }
    return {
        "company": alt(company_words),
        "role": alt(role_words),
        "values": alt(value_words),
        "description": alt([re.escape(w) + r"\w*" for w in sorted(desc_words)]),
    }


_BARE_SPAN = re.compile(
    r"\b(?P<a>\d+|[a-z]+)(?:\s*(?:or|to|-)\s*(?P<b>\d+|[a-z]+))?\s+(?P<unit>years?|months?)\b",
    re.IGNORECASE,
)
_RETROSPECTIVE = re.compile(
    r"\b(?:first|only|last|second)\s+(?:\w+\s+)?time\s+$|\b(?:best|worst|biggest|wettest|driest)\s+(?:\w+\s+)?$",
    re.I,
)
_BACK_REF = re.compile(r"\bby\s+(?:then|that\s+(?:point|time|stage))\b|\bat\s+that\s+point\b", re.I)

# A lone capitalised word after these is a tool or method ("using Tableau", "learn Rust").
_TOOL_CONTEXT = frozenset(
    [
        "using",
        "use",
        "learn",
        "learning",
        "master",
        "mastering",
        "through",
        "via",
        "into",
        "with",
        "certified",
    ]
)

_COMMON_GOAL_WORDS = frozenset(
    [
        "improve",
        "improvement",
        "improving",
        "learning",
        "learn",
        "growth",
        "growing",
        "develop",
        "development",
        "people",
        "teams",
        "working",
        "success",
        "successful",
        "career",
        "careers",
        "future",
        "skills",
        "customer",
        "customers",
        "excellence",
        "quality",
        "service",
        "together",
        "always",
        "better",
    ]
)


# --- the checks ------------------------------------------------------------------------


def _own_business(a: Answer, sent: Sentence) -> bool:
    """A business of one's own or self-employment ("go freelance"): a destination."""
    return any(_SELF_EMPLOYED.search(m.group(0)) for m in a.live("leaving", sent))


_SELF_EMPLOYED = re.compile(r"own|freelance|myself|self[-\s]employed|independent", re.I)


def _life_goal(a: Answer, s: Sentence) -> bool:
    """A hope about life with no work in it ("I hope we're living by the sea")."""
    return bool(a.live("life", s)) and not a.matches("career", s)


def short_term_goal(a: Answer) -> Outcome:
    partial: Spans = []
    for s in a.sents:
        short, long = a.frames[s.index]
        if short and s.index in a.goal_sents:
            # A course or qualification to finish is a concrete near-term goal.
            # "become a better leader" improves at something; it names no post.
            levels = [sp for sp in a.levels(s) if not _VAGUE_BEFORE.search(a.text, s.start, sp[0])]
            # A business of one's own "in two years" is a concrete near-term goal.
            if a.concrete(s) or levels or a.live("vehicle", s) or _own_business(a, s):
                return Outcome(PASS, [a.span_of(s)])
            partial.append(a.span_of(s))
    if partial:
        return Outcome(PARTIAL, partial[:1], {"reason": "vague"})
    # A concrete step with no frame sits in the near term by its nature.
    for s in a.sents:
        short, long = a.frames[s.index]
        # "I'm taking a course at the moment" describes the present, not a goal.
        intent = [
            m for m in a.live("goal", s) if not re.match(r"i(?:'m|\s+am)\b", m.group(0), re.I)
        ]
        if long or not intent:
            continue
        steps = a.live("step", s) + a.live("vehicle", s)
        if steps and a.concrete(s) and not a.matches("noncommittal", s):
            return Outcome(PARTIAL, [a.span_of(s)], {"reason": "no_frame"})
    # A qualification in progress ("halfway through the AZ-104") is a near-term step, framed
    # or not.
    for s in a.sents:
        short, long = a.frames[s.index]
        if long or not a.live("certification", s):
            continue
        if _IN_PROGRESS.search(a.text, s.start, s.end):
            return Outcome(PARTIAL, [a.span_of(s)], {"reason": "no_frame"})
    return Outcome(MISS)


_IN_PROGRESS = re.compile(
    r"\b(?:i'm|i\s+am)\s+(?:\w+\s+){0,2}?(?:doing|studying|taking|halfway|partway|part\s+way|"
    r"preparing|working\s+towards?|enrolled|finishing|completing|about\s+to|sitting|starting)\b",
    re.I,
)


def _elaborated_level(a: Answer, s: Sentence) -> bool:
    """A level with something said about it ("a management role within the organisation,
    where I can mentor a team") is a destination; "to be a manager." alone is a bare level."""
    return any(
        len(a.text[end : s.end].split()) >= 3
        and not _COMPARATIVE.search(a.text, max(s.start, start - 12), start)
        and not _COMPARATIVE_LEVEL.match(a.text, start, end)
        for start, end in a.levels(s)
    )


# "A more senior role", "a higher position": a direction, not a post to reach.
_COMPARATIVE = re.compile(r"\b(?:more|higher|bigger|larger|next|greater)\s+$", re.I)
_COMPARATIVE_LEVEL = re.compile(r"(?:more|higher|bigger|larger|next|greater)\b", re.I)


def long_term_goal(a: Answer) -> Outcome:
    partial: Spans = []
    for s in a.sents:
        short, long = a.frames[s.index]
        if long and (s.index in a.goal_sents or a.live("growth", s)) and not _life_goal(a, s):
            # "your job" names a post: the interviewer's (a red flag, but a destination).
            concrete = a.concrete(s) or a.live("interviewers_job", s)
            if concrete or _elaborated_level(a, s) or _own_business(a, s):
                return Outcome(PASS, [a.span_of(s)])
            partial.append(a.span_of(s))
    if partial:
        return Outcome(PARTIAL, partial[:1], {"reason": "vague"})
    # A destination with no frame sits in the long term by its nature.
    for s in a.sents:
        short, long = a.frames[s.index]
        if short or s.index not in a.goal_sents:
            continue
        dest = a.live("destination", s)
        if (dest and (a.concrete(s) or a.levels(s))) or _own_business(a, s):
            return Outcome(PARTIAL, [a.span_of(s)], {"reason": "no_frame"})
        if a.levels(s) and a.live("growth", s):
            return Outcome(PARTIAL, [a.span_of(s)], {"reason": "no_frame"})
    return Outcome(MISS)


_VAGUE_BEFORE = re.compile(
    r"\b(?:better|good|great|best|stronger|successful|happy)\s+$"
    r"|\b(?:grow|develop|improve|progress)\s+as\s+an?\s+$",
    re.I,
)


def specificity(a: Answer) -> Outcome:
    partial: Spans = []
    for s in a.sents:
        planned = a.live("vehicle", s) and a.lex["plan_cue"].search(a.text, s.start, s.end)
        growth = _personal_growth(a, s)
        if not (a.goalish(s) or planned or growth):
            continue
        # What the goal aims at comes after the intent: "Design is always changing, so I'd
        # want to keep up" names the field as a topic, not as a target.
        cues = a.live("goal", s) + a.live("vehicle", s) + growth
        first = min((m.start() for m in cues), default=s.start)
        found = [
            sp
            for sp in a.concrete(s)
            if sp[0] >= first and not _VAGUE_BEFORE.search(a.text[max(s.start, sp[0] - 20) : sp[0]])
        ]
        if found:
            return Outcome(PASS, found[:3])
        soft = a.levels(s) + [m.span() for m in a.live("soft", s)]
        if soft:
            partial += soft[:1]
    if partial:
        return Outcome(PARTIAL, partial[:2])
    return Outcome(MISS)


def _passion_object_generic(a: Answer, m: re.Match[str]) -> bool:
    """'passionate about this area', 'always liked being busy': drive with no real object."""
    word = m.group(0).lower()
    if not re.search(r"passion|liked|loved|enjoyed|like|love|enjoy", word):
        return False
    return a.lex["generic_object"].match(a.text, m.end()) is not None


def _because_verdict(a: Answer, s: Sentence, m: re.Match[str]) -> str | None:
    """A 'because' is a motive only when it shows the candidate's drive: what they enjoy, care
    about or believe in, a personal story, or a purpose with an object. Money, convenience,
    slogans and empty reasons are partial; a practical reason for a step or a reason for
    leaving is no motive at all."""
    c_start, reason_end = clause_bounds(a.text, s, m.end())
    lex, start = a.lex, m.end()
    # "because, I don't know, it seems more meaningful" is an empty reason.
    if lex["dont_know"].search(a.text, start, reason_end):
        return PARTIAL
    if lex["shallow"].search(a.text, start, reason_end):
        return PARTIAL
    # "because that's how you improve" says nothing about this candidate.
    if lex["platitude"].match(a.text, start) or lex["slogan"].search(a.text, start, reason_end):
        return PARTIAL
    # "I'm leaving because my director is clueless" explains leaving, not the drive.
    if lex["leaving_reason"].search(a.text, max(s.start, c_start - 60), m.start()):
        return None
    if lex["drive"].search(a.text, start, reason_end):
        return PASS
    # "I love this work because...", "I became a teacher because...": the reason explains a
    # drive or a career choice, whatever its own words.
    lead = (max(s.start, c_start - 60), m.start())
    if any(lex[k].search(a.text, *lead) for k in ("drive", "choice_lead", "motive_strong")):
        return PASS
    if lex["company_reason"].match(a.text, start):
        return PASS
    if lex["convenience"].search(a.text, start, reason_end):
        return PARTIAL
    # "the CKA, because we run more on Kubernetes": a practical reason for one step.
    return None


def motivation(a: Answer) -> Outcome:
    """Graded: a personal story, a liking, admiration or a purpose passes; bare drive, a bare
    'because', money-only or convenience reasons are partial."""
    weak: Spans = []
    for s in a.sents:
        # Money as the point of a sentence outweighs a motive in the same sentence only.
        money_here = bool(a.live("money_main", s, soft_counts=True))
        strong = a.live("motive_strong", s) + a.live("motive_personal", s) + a.live("admiration", s)
        for m in sorted(strong, key=lambda m: m.start()):
            # "I'd love to" is an intent, not a passion.
            before = a.text[max(s.start, m.start() - 7) : m.start()].lower()
            if m.group(0).lower().startswith("love") and re.search(r"(?:'d|would)\s*$", before):
                continue
            # "two kids and a mortgage, so that's what matters to me": the motive is money.
            c_start, c_end = clause_bounds(a.text, s, m.start())
            shallow = a.lex["shallow"].search(a.text, c_start, c_end)
            # "I like that you're a big firm": liking generic praise is bare enthusiasm.
            shallow = shallow or a.lex["company_praise"].search(a.text, c_start, c_end)
            # "made a real impact on the business" is a slogan, not a purpose with an object.
            slogan = any(
                x.start() < m.end() and m.start() < x.end()
                for x in a.lex["slogan"].finditer(a.text, c_start, c_end)
            )
            if _passion_object_generic(a, m) or money_here or shallow or slogan:
                weak.append(a.span_of(s))
                continue
            return Outcome(PASS, [a.span_of(s)])
        # A "because" explains a goal when one was stated in or just before its sentence.
        near_goal = any(a.goalish(x) for x in a.sents[max(0, s.index - 2) : s.index + 1])
        for m in a.live("because", s) if near_goal else []:
            verdict = _because_verdict(a, s, m)
            if verdict == PASS:
                return Outcome(PASS, [a.span_of(s)])
            if verdict == PARTIAL:
                weak.append(a.span_of(s))
        # Bare liking counts only when it is about the work, not the flat or the weather.
        about_work = a.matches("career", s) or a.goalish(s) or a.matches("company_generic", s)
        if (
            (a.live("motive_weak", s) and about_work)
            or a.live("convenience", s)
            or a.live("traits", s)
        ):
            weak.append(a.span_of(s))
    money = _money_motive(a)
    if weak or money:
        return Outcome(PARTIAL, (weak or money)[:1], {"reason": "money" if money else "bare"})
    return Outcome(MISS)


def _money_motive(a: Answer) -> Spans:
    """Sentences that make pay the goal: a reason that is only money earns partial motivation."""
    out: Spans = []
    for s in a.sents:
        figures = [m for m in a.matches("pay_figure", s) if not _is_cost(a, s, m)]
        if a.live("money_main", s, soft_counts=True) or figures:
            out.append(a.span_of(s))
    return out


def skills_experience(a: Answer) -> Outcome:
    weak: Spans = []
    for s in a.sents:
        strong = a.live("exp_strong", s)
        if strong:
            return Outcome(PASS, [a.span_of(s)])
        if a.live("exp_weak", s):
            weak.append(a.span_of(s))
    if weak:
        return Outcome(PARTIAL, weak[:1])
    return Outcome(MISS)


_OTHERS = re.compile(
    r"\s*(?:and\s+\w+\s+)?(?:(?:the|our|my|a|some|any)\s+)?(?:others|other\s+people|people|junior|new|younger|a\s+team|teams|"
    r"the\s+team|them|colleagues|staff|team\s+members|apprentices|students|interns|my\s+team|"
    r"a\s+small\s+team|less|newer|graduates)",
    re.IGNORECASE,
)


_FOR_SOMETHING = re.compile(
    r"\s+for\s+(?:my\s+|the\s+|a\s+|an\s+)?(?:first\s+|next\s+)?(?:\w+\s+)?", re.I
)


_NOW_SUBJECT = re.compile(
    r"\b(?:i'm|i\s+am|i'll|i\s+will|i'd|i\s+would|i\s+want|i\s+plan|currently|now)\b", re.I
)


def development_plan(a: Answer) -> Outcome:
    partial: Spans = []
    for s in a.sents:
        for m in a.live("vehicle", s):
            word = m.group(0).lower()
            if word.startswith(("mentor", "coach", "training")) and _OTHERS.match(
                a.text, m.end(), s.end
            ):
                continue  # mentoring others is leadership, not their own development
            # "I'm training for Manchester marathon": training for a hobby is not development.
            purpose = _FOR_SOMETHING.match(a.text, m.end(), s.end)
            if purpose and a.lex["life"].match(a.text, purpose.end(), s.end):
                continue
            c_start, c_end = clause_bounds(a.text, s, m.start())
            window_start = max(c_start, m.start() - 60)
            past = list(a.lex["past"].finditer(a.text, window_start, m.start()))
            # "I've done the AZ-900 and I'm halfway through the AZ-104": a present or future
            # subject after the past cue starts a new, current statement.
            if past and not _NOW_SUBJECT.search(a.text, past[-1].end(), m.start()):
                continue  # "I have a degree in ..." is history, not a plan
            if a.lex["past"].search(a.text, m.end(), min(c_end, m.end() + 30)):
                continue  # "... course last year"
            if not a.lex["plan_cue"].search(a.text, s.start, s.end):
                # A course named in a story ("friends from my PGCE") is neither plan nor intent.
                continue
            if a.lex["noncommittal"].search(a.text, c_start, c_end):
                partial.append(a.span_of(s))
                continue
            return Outcome(PASS, [a.span_of(s)])
    for s in a.sents:
        forward = s.index in a.goal_sents or a.lex["plan_cue"].search(a.text, s.start, s.end)
        # "She wants to learn to surf" is a hobby, not development.
        intents = [
            m
            for m in a.live("learn_intent", s)
            if not a.lex["life"].match(a.text, m.end(), s.end)
            and not a.lex["life"].match(a.text, m.end() + 4, s.end)
        ]
        if (forward or a.lex["noncommittal"].search(a.text, s.start, s.end)) and intents:
            partial.append(a.span_of(s))
    if partial:
        return Outcome(PARTIAL, partial[:1])
    return Outcome(MISS)


_ME = frozenset({"i", "i'd", "i'm", "i'll", "me", "myself", "my", "to", "and", "can", "could"})
_SUBJECTS = _ME | {
    *("company", "company's", "business", "business's", "team", "team's", "organisation"),
    *("organization", "firm", "it", "they", "you", "your", "its", "their", "revenue", "sales"),
    *("market", "industry", "sector", "help", "helping", "brand"),
}
_NOT_PERSONAL = frozenset(
    [
        "company's",
        "company",
        "business",
        "business's",
        "your",
        "its",
        "their",
        "revenue",
        "sales",
        "organisation's",
        "organization's",
        "team's",
        "firm's",
        "help",
        "helping",
        "the",
    ]
)


def _personal_growth(a: Answer, s: Sentence) -> list[re.Match[str]]:
    """Growth of the candidate (not "help the company grow"); a level named in a goal counts."""
    out: list[re.Match[str]] = []
    if a.live("exp_strong", s) and s.index not in a.goal_sents:
        return out  # "I've been a team leader for two years" is history
    # A level beside a pay figure is the job being priced ("a senior role, 160 to 175 base").
    if s.index in a.goal_sents and not a.matches("pay_figure", s):
        out += [
            m
            for m in a.live("level", s)
            if not m.group(0).lower().startswith("mentor")
            and not _SKILL_AFTER.match(a.text, m.end(), s.end)  # "leadership skills"
            # "document management rollout"; "head of" is never a modifier.
            and not (
                not m.group(0).lower().endswith(" of")
                and _MODIFIER_HEAD.match(a.text, m.end(), s.end)
            )
        ]
    if s.index in a.goal_sents and a.live("destination", s):
        # "become curator of world textiles", "be a sous chef": a title to reach.
        out += [
            m
            for m in a.live("occupation", s)
            # "be a good clinician" is doing the job well, not a title to reach.
            if not _GOOD_AT_JOB.search(a.text, max(s.start, m.start() - 30), m.start())
        ]
    pay_here = bool(a.live("pay_mention", s) or a.matches("pay_figure", s))
    for m in a.live("growth", s):
        word = m.group(0).lower()
        # "We got promoted last season", "my promotion board": a story, not an ambition.
        if s.index not in a.goal_sents and _PAST_GROWTH.search(
            a.text, max(s.start, m.start() - 12), min(s.end, m.end() + 8)
        ):
            continue
        if word.startswith("step up") and pay_here:
            continue  # "a meaningful step up to move" is a pay rise, not advancement
        if word.startswith("grow"):
            # Whose growth? The nearest subject before the verb decides.
            prev = [t for t, _, _ in tokens(a.text, s.start, m.start())[-4:]]
            subject = next((t for t in reversed(prev) if t in _SUBJECTS), "")
            if subject and subject not in _ME:
                continue
            if word in _GROW_VERBS and _GROW_OBJECT.match(a.text, m.end(), s.end):
                continue  # "grow sweetcorn", "grow the business": growing something else
            if a.text[m.end() : m.end() + 8].lower().startswith((" mindset", "-mindset")):
                continue
            around = a.text[max(s.start, m.start() - 22) : m.start()]
            # "Keep growing in your planning team" is growing here, not just as a person.
            anchored = a.lex["anchor"].match(a.text, m.end() + 1, s.end)
            if not anchored and (
                _NOT_ADVANCEMENT.search(around) or _NOT_ADVANCEMENT.match(a.text, m.start(), s.end)
            ):
                continue
        out.append(m)
    return out


_PAST_GROWTH = re.compile(
    r"\b(?:got|was|were|been|get)\s+(?:\w+\s+)?$|\b(?:my|his|her|their|our)\s+promotion\s+(?:board|panel|interview|ceremony|party)"
    r"|\b(?:promoted|advanced|progressed)\b",
    re.I,
)


def _pay_here(a: Answer, s: Sentence) -> bool:
    return bool(a.live("pay_gate", s) or a.matches("pay_figure", s))


def _anchored(a: Answer, s: Sentence) -> bool:
    """Does the sentence place itself in this organisation?"""
    generic = [m for m in a.live("company_generic", s) if not _ANY_EMPLOYER.match(m.group(0))]
    return bool(a.live("anchor", s) or generic or a.profile_hits("company", s))


# "a company that shares my values" could be any employer.
_ANY_EMPLOYER = re.compile(r"an?\s|\w+\s+place|place\b", re.I)


# A level word used as a modifier names a function or a thing, not a rung: "a document
# management rollout", "a management fundamentals course", "leadership training".
_MODIFIER_HEAD = re.compile(
    r"\s+(?:roll-?out|upgrade|migration|implementation|overhaul|refresh|transformation|"
    r"systems?|software|tools?|fundamentals|course|courses|qualification|"
    r"process(?:es)?|framework|platform|project|programme|program|module|training|"
    r"consultancy|plan|policy|policies|degree|diploma|certificate|exam|accounts|"
    r"reporting|review|audit|theory|textbook|book|techniques?|styles?)\b",
    re.I,
)
_GOOD_AT_JOB = re.compile(
    r"\b(?:good|better|great|solid|safe|competent|reliable|decent|useful|proper|confident)"
    r"\s+(?:[\w-]+\s+)?$",
    re.I,
)
_GROW_VERBS = frozenset(["grow", "grows", "growing"])
# "grow" with a direct object is growing something, not the candidate's advancement; these
# words after it keep the intransitive sense ("grow into", "grow with you", "grow my career").
_GROW_OBJECT = re.compile(
    r"\s+(?!(?:into|with|in|within|here|as|at|and|alongside|together|professionally|further|"
    r"up|over|my|our|to|from|there|more|on|through|both|quickly|fast|a\s+lot|lots|myself|"
    r"personally|every|each|year|long|over|i|i'd|i'm|so|but|or|then|now|where|while|whilst|"
    r"if|because|since|too|also|even|that|this|the\s+(?:role|position|job))\b)[a-z]+",
    re.I,
)
# Explicit staying ("stay a long time", "still be here", "not going anywhere") is about this
# employer even without naming it.
_STAYING = re.compile(
    r"^(?:(?:stay|remain|be\s+here|work\s+here)\b.*\b(?:long|good)\s+(?:time|while)|still\s+be|still\s+here|not\b|n't|"
    r"put\s+down)",
    re.I | re.S,
)


_SKILL_AFTER = re.compile(r"\s+(?:and\s+\w+\s+)?(?:skills|abilities|qualities|style)\b", re.I)
# "... I'd like to do that here": a later sentence that places an earlier ambition here.
_DO_THAT = re.compile(
    r"\b(?:do|doing)\s+(?:that|it|this|so)\b"
    r"|\b(?:that's|that\s+is|that\s+would\s+be|that'd\s+be|it's|it\s+is)\s+(?:\w+\s+)?here\b",
    re.I,
)
# "I'd like to do that here", "get there with you": the later sentence points back at the goal
# ("so I think I'd fit in here" does not).
_BACK_TO_GOAL = re.compile(
    r"\b(?:do|doing|achieve|achieving|reach|reaching|get|getting|make|build|pursue)\s+"
    r"(?:that|it|this|there|so)\b|\b(?:that|it|there)\s+(?:here|with\s+you|at)\b"
    r"|\b(?:that|it)\s+(?:to\s+)?(?:be|happen)\s+(?:here|with|at|in|within)\b",
    re.I,
)
# Growing as a person or "keep growing" is development, not advancement.
_NOT_ADVANCEMENT = re.compile(
    r"^\w*\s+(?:in\s+confidence|as\s+a\s+person|personally|and\s+learn)"
    r"|(?:keep|always|continue\s+to|feel\s+like\s+i'm|i'm)\s+$",
    re.I,
)
_UNMISTAKABLE = re.compile(
    r"own|stepping|bridge|springboard|stopgap|stop-gap|freelance|myself|while|whilst|until|till|"
    r"thing\b|here|with\s+you",
    re.I,
)


def _leaving_scope(a: Answer, s: Sentence, m: re.Match[str]) -> tuple[int, int]:
    """Where an anchor cancels a leaving phrase: the rest of its clause, or for "a stepping
    stone" the whole sentence ("a stepping stone, but within the trust")."""
    if "stepping" in m.group(0).lower():
        return s.start, s.end
    return m.start(), clause_bounds(a.text, s, m.start())[1]


def _leaving(a: Answer, s: Sentence) -> list[re.Match[str]]:
    """Plans to leave in a sentence, less those an anchor keeps inside the organisation."""
    goalish = a.goalish(s) or bool(a.live("growth", s))
    # A narrative sentence may mention "another company"; only goals, or the unmistakable
    # forms (my own business, a stepping stone, a bridge), count as a plan to leave.
    return [
        m
        for m in a.live("leaving", s)
        if (goalish or _UNMISTAKABLE.search(m.group(0)))
        # "... run my own store within the company" leaves nothing; nor does "a stepping
        # stone, but within the trust".
        and not a.lex["anchor"].search(
            a.text,
            # After the phrase: "I'd be here a year" holds its own "here".
            s.start if "stepping" in m.group(0).lower() else m.end(),
            s.end if "stepping" in m.group(0).lower() else clause_bounds(a.text, s, m.start())[1],
        )
    ]


def growth_in_company(a: Answer) -> Outcome:
    for s in a.sents:
        leaving = _leaving(a, s)
        if leaving:
            return Outcome(MISS, [a.span_of(s)], {"reason": "leaving"})
    partial: Spans = []
    grown = False
    for s in a.sents:
        if grown and s.index in a.goal_sents and _DO_THAT.search(s.text) and _anchored(a, s):
            return Outcome(PASS, [a.span_of(s)])
        # Aiming at the interviewer's seat is a red flag, but it is advancement here.
        if a.live("interviewers_job", s):
            return Outcome(PASS, [a.span_of(s)])
        growth = _personal_growth(a, s)
        anchored = _anchored(a, s)
        # "... I'd like to be an HR business partner. I'd like to do that here."
        following = [x for x in a.sents[s.index + 1 :] if len(x.text.split()) >= 4][:3]
        for nxt in following if growth else []:
            short_ref = len(nxt.text.split()) <= 15 and _BACK_TO_GOAL.search(nxt.text)
            if nxt.index in a.goal_sents and short_ref and _anchored(a, nxt):
                anchored = anchored or not _pay_here(a, nxt)
        # A level beside pay is the price of a job ("a senior role at 160 base", "manager if it
        # pays more"): an ambition, but not a future here. [labelling: salary_tact judges pay]
        if growth and anchored and not _pay_here(a, s):
            return Outcome(PASS, [a.span_of(s)])
        grown = grown or bool(growth)
        # "Stay in insurance" keeps a field, not this employer.
        stays = [m for m in a.live("stay", s) if not _in_field(a, s, m.end())]
        staying = any(_STAYING.match(m.group(0)) for m in stays)
        if growth or staying or (anchored and s.index in a.goal_sents and stays):
            partial.append(a.span_of(s))
    if partial:
        return Outcome(PARTIAL, partial[:1])
    return Outcome(MISS)


_IN_THE = re.compile(r"\s+in(?:\s+the)?\s+", re.I)


def _in_field(a: Answer, s: Sentence, at: int) -> bool:
    """Is `at` followed by "in <a field>" ("stay in insurance", "remain in the NHS")?"""
    m = _IN_THE.match(a.text, at, s.end)
    return bool(m and a.lex["function"].match(a.text, m.end(), s.end))


def _in_background(a: Answer, s: Sentence, hit: tuple[int, int]) -> bool:
    """Is the hit inside a comma-bounded phrase about the candidate's own past or present job?"""
    start = a.text.rfind(",", s.start, hit[0]) + 1 or s.start
    end = a.text.find(",", hit[1], s.end)
    end = s.end if end < 0 else end
    return any(m.start() < end and start < m.end() for m in a.live("exp_strong", s))


def _value_paraphrases(a: Answer, s: Sentence) -> Spans:
    """A two-word value said in other words: 'developing its own people' for 'people
    development'. Every content word's stem must appear in the sentence."""
    out: Spans = []
    for value in a.profile.values if a.profile else ():
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", value) if len(w) >= 4]
        if len(words) < 2:
            continue
        hits = [re.search(r"\b" + re.escape(w[:5]), a.text[s.start : s.end], re.I) for w in words]
        if all(hits):
            first = min(h.start() for h in hits if h)
            last = max(h.end() for h in hits if h)
            if last - first <= 40:
                out.append((s.start + first, s.start + last))
    return out


_YOU = re.compile(r"\byou\b", re.I)
_GENERIC_YOU = re.compile(
    r"\b(?:if|when|where|whenever|once|unless|until|till)\s+(?:[\w-]+\s+)?you\b", re.I
)
_BECAUSE_OF = re.compile(r"\b(?:because\s+of|thanks\s+to)\s+$", re.I)
# Ties that are themselves a motive: why the candidate applied.
_MOTIVE_TIE = re.compile(r"reason|why\s+i|drew|draws|draw\b|sold|attracted|appeals", re.I)


def _comma_bounds(
    a: Answer, s: Sentence, clause: tuple[int, int], hit: tuple[int, int]
) -> tuple[int, int]:
    """The comma-delimited stretch of a clause around a hit."""
    start = max(clause[0], a.text.rfind(",", s.start, hit[0]) + 1)
    end = a.text.find(",", hit[1], clause[1])
    return start, clause[1] if end < 0 else end


def _field_word(a: Answer, word: str) -> bool:
    """The candidate's own trade echoed from the description ("depots", "logistics"), or a
    verb the description uses to say what the company does ("running", "supplying")."""
    if word.lower().endswith("ing"):
        return True
    singular = word[:-1] if word.lower().endswith("s") else word
    return any(a.lex[n].fullmatch(singular) for n in ("function", "occupation"))


def company_fit(a: Answer) -> Outcome:
    """Pass needs a LINK: the company's own facts (profile values, description) or what it
    does, said in a sentence that refers to the company and carries the candidate's goal or
    motive. Shared words alone, praise, pay, perks, location or a plan to leave are at most a
    passing reference."""
    generic: Spans = []
    for s in a.sents:
        refs = a.live("company_generic", s)
        names = a.profile_hits("company", s)
        roles = a.profile_hits("role", s)
        agent = a.live("company_agent", s)
        tie = a.live("company_tie", s)
        parts = [m.span() for m in a.live("company_part", s) if not _in_background(a, s, m.span())]
        # "You support CIMA students": the company as the subject is a reference to it.
        # "If you focus on...", "where you help someone" are anyone's "you", not the company's.
        you_agent = any(
            _YOU.search(m.group(0))
            and not _GENERIC_YOU.search(a.text, max(s.start, m.start() - 12), m.start() + 4)
            for m in agent
        )
        engaged = (
            a.goalish(s)
            or bool(a.live("motive_strong", s))
            or bool(a.live("motive_personal", s))
            or bool(_personal_growth(a, s))
        )
        # The candidate's own past is background only where it holds the reference: "you're a
        # modern practice, because that's what I trained on" still speaks of the company.
        ref_spans = [m.span() for m in refs] + names + parts
        background = (
            bool(a.live("exp_strong", s))
            and s.index not in a.goal_sents
            and (not ref_spans or all(_in_background(a, s, sp) for sp in ref_spans))
        )
        # Pay, perks and leaving plans are not culture, values or the role. A stepping stone
        # an anchor keeps inside the organisation is not a leaving plan.
        leaving = _leaving(a, s)
        # "... because of your housing work, but I won't stay forever": the plan to leave sits
        # in another clause than the link.
        # "I'll work hard for the time I'm here, and ... your litigation team": a comma parts
        # the stay from the link too.
        if ref_spans and leaving:
            clauses = [_comma_bounds(a, s, clause_bounds(a.text, s, sp[0]), sp) for sp in ref_spans]
            leaving = [m for m in leaving if any(c0 <= m.start() < c1 for c0, c1 in clauses)]
        blocked = bool(
            a.live("pay_mention", s)
            or a.live("perks", s)
            or a.matches("pay_figure", s)
            or leaving
            or a.live("convenience", s)
        )
        # Praise is a passing mention unless it carries a part of the company's own work
        # ("a great place because of your housing work").
        praise = bool(a.live("company_praise", s)) and not parts
        ok = not (background or blocked or praise)
        # "... because of your housing work": the part itself is given as the reason.
        motive_tie = any(_MOTIVE_TIE.search(m.group(0)) for m in tie) or any(
            _BECAUSE_OF.search(a.text, max(s.start, sp[0] - 14), sp[0]) for sp in parts
        )
        # A goal or motive aimed at a named part of the employer's own work is a link.
        if parts and (engaged or motive_tie) and ok:
            return Outcome(PASS, [a.span_of(s)])
        if you_agent and (engaged or motive_tie) and ok:
            return Outcome(PASS, [a.span_of(s)])
        if a.profile is not None:
            facts = [
                hit
                for hit in a.profile_hits("values", s)
                + a.profile_hits("description", s)
                + _value_paraphrases(a, s)
                if not _in_background(a, s, hit)
            ]
            # A fact echoed in the candidate's own plan links nothing unless the company is
            # in the sentence too ("your focus on safety", "at Northwind").
            if facts and (refs or names or agent or tie) and ok:
                return Outcome(PASS, [a.span_of(s)])
            # A description fact inside the candidate's own goal or motive ("my first six
            # months hitting the numbers in chilled") is a tie even without naming the company,
            # unless the shared word is only the candidate's own field ("still in logistics").
            # [labelling: "ties the goals or motives to ... one of its description facts"]
            own_field = [
                m.span() for n in ("function", "occupation", "level") for m in a.live(n, s)
            ]
            desc = [
                hit
                for hit in a.profile_hits("description", s)
                if not _in_background(a, s, hit)
                and not _overlaps(hit, own_field)
                # "hopefully running depots": the field, not a fact about this company.
                and not _field_word(a, a.text[hit[0] : hit[1]])
            ]
            if desc and engaged and ok:
                return Outcome(PASS, [a.span_of(s)])
            if names and engaged and (facts or a.concrete(s) or agent) and ok:
                return Outcome(PASS, [a.span_of(s)])
        if (names or refs) and (agent or tie) and engaged and ok:
            return Outcome(PASS, [a.span_of(s)])
        only_here = all(r.group(0).lower().strip() in {"here", "with you"} for r in refs)
        if refs and a.profile is None and not only_here and ok:
            outside = [
                sp
                for sp in a.concrete(s)
                if not any(sp[0] < r.end() and r.start() < sp[1] for r in refs)
            ]
            if outside:
                return Outcome(PASS, [a.span_of(s)])
        if (names or roles or refs) and not background:
            generic.append(a.span_of(s))
    if generic:
        return Outcome(PARTIAL, generic[:1])
    return Outcome(MISS)


_MONEY_UNIT = re.compile(
    r"[$£€]|dollars|pounds|euros|quid|bucks|grand|figure|raise|rise|increase|bump|hour|annum|uplift",
    re.IGNORECASE,
)
_PAY_CONTEXT = re.compile(
    r"\b(?:salary|pay|paid|earn\w*|package|compensation|base|ote|on\s+now|a\s+year|per\s+year|"
    r"income|money|wages?|expecting|hoping\s+for|looking\s+for|thinking|rate)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)
# An amount that is a price, a cost or money raised, not the candidate's pay: "wanted eight
# grand to inject the walls", "forty quid of brackets", "ninety thousand raised", "it cost two
# grand". [labelling: salary_tact judges the candidate's pay]
_COST_AFTER = re.compile(
    r"\s*(?:raised|donated|in\s+(?:donations|sales|revenue|funding|grants?)|worth\s+of|"
    r"of\s+(?!(?:a\s+|per\s+)?(?:year|annum|salary|base|pay)\b)[a-z]+|"
    r"to\s+(?!(?:start|join|move|stay|leave|switch|come|make|earn|be|consider|accept)\b)[a-z]+\s+(?:the|a|an|my|our|it|them)\b|"
    r"for\s+(?:the|a|an|my|our)\s+(?!(?:\w+\s+)?(?:role|job|position|post)\b)[a-z]+)",
    re.IGNORECASE,
)
_COST_BEFORE = re.compile(
    r"\b(?:cost|costs|costing|spent|spend|price|priced|quoted|quote|charged|raised|raising|"
    r"turnover|revenue|budget|worth|rent|bill|deposit|fine)\b[^.!?,]{0,15}$",
    re.IGNORECASE,
)


def _is_cost(a: Answer, s: Sentence, m: re.Match[str]) -> bool:
    return bool(
        _COST_AFTER.match(a.text, m.end(), s.end)
        or _COST_BEFORE.search(a.text, max(s.start, m.start() - 40), m.start())
    )


def salary_tact(a: Answer) -> Outcome:
    for s in a.sents:
        for m in a.matches("pay_figure", s):
            if _is_cost(a, s, m):
                continue
            if (
                a.about_pay
                or _MONEY_UNIT.search(m.group(0))
                or _PAY_CONTEXT.search(a.text, s.start, s.end)
            ):
                return Outcome(MISS, [m.span()], {"reason": "figure"})
        for m in a.live("money_main", s, soft_counts=True):
            if not _DENIAL.search(m.group(0)):
                return Outcome(MISS, [a.span_of(s)], {"reason": "main_goal"})
    for s in a.sents:
        if a.matches("pay_anchor", s):
            return Outcome(PARTIAL, [a.span_of(s)])
        mentions = a.live("pay_mention", s, after=True, soft_counts=True)
        if mentions and not a.matches("pay_tactful", s):
            return Outcome(PARTIAL, [a.span_of(s)])
    return Outcome(PASS)


def conciseness(a: Answer, question: Question, spoken_s: float | None = None) -> Outcome:
    ratios = scoring_data()["conciseness"]
    if spoken_s is not None:
        count: float = round(spoken_s)
        low, high = question.target_seconds
        unit = "seconds"
    else:
        count = len(a.original.split())
        low, high = question.target_words
        unit = "words"
    detail: dict[str, Any] = {"count": int(count), "low": int(low), "high": int(high), "unit": unit}
    if low <= count <= high:
        return Outcome(PASS, [], detail)
    if count < low:
        detail.update(side="short", delta=round(low - count))
        verdict = PARTIAL if count >= low * ratios["partial_low_ratio"] else MISS
    else:
        detail.update(side="long", delta=round(count - high))
        verdict = PARTIAL if count <= high * ratios["partial_high_ratio"] else MISS
    return Outcome(verdict, [], detail)


def run_checks(a: Answer, question: Question, spoken_s: float | None = None) -> dict[str, Outcome]:
    return {
        "short_term_goal": short_term_goal(a),
        "long_term_goal": long_term_goal(a),
        "specificity": specificity(a),
        "motivation": motivation(a),
        "skills_experience": skills_experience(a),
        "development_plan": development_plan(a),
        "growth_in_company": growth_in_company(a),
        "company_fit": company_fit(a),
        "salary_tact": salary_tact(a),
        "conciseness": conciseness(a, question, spoken_s),
    }
