"""Sentences, clauses, phrase matching and negation scope over an answer's text.

Offsets always index the original text, so evidence can quote it exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n\s*\n|\n(?=\s*[-*•])")
_CLAUSE_BREAK = re.compile(
    r";|:|\s[-–—]\s|,?\s+\b(?:but|though|although|however|whereas|yet)\b|\bwhile\b", re.IGNORECASE
)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[$£€%]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    index: int


def normalise(text: str) -> str:
    """Same length as the input (offsets stay valid): curly quotes become straight ones."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def mask(text: str, pattern: re.Pattern[str]) -> str:
    """Blank out matches with spaces of the same length, so offsets stay valid."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def filler_pattern(single: Iterable[str], multi: Iterable[str]) -> re.Pattern[str]:
    """Spoken fillers with their trailing comma: "I'd like to, uh, get my CIPD" reads as
    "I'd like to get my CIPD" for the content checks. "like" only when set off by commas, and
    "kind of / sort of" only when no determiner makes them a noun phrase ("some sort of course")."""
    words = "|".join(re.escape(w) for w in sorted(single, key=len, reverse=True))
    phrases = "|".join(
        re.escape(p).replace(r"\ ", r"\s+")
        for p in sorted(multi, key=len, reverse=True)
        if p not in {"kind of", "sort of"}
    )
    return re.compile(
        rf",?\s*\b(?:{words})\b,?|,?\s*\b(?:{phrases})\b,?"
        r"|,\s*like\b(?!\s+(?:to|yours|mine|this|that|these|those|it|them|us|me|you)\b),?"
        # "I like, you know, working with kids": after a subject "like" is still the verb.
        r"|(?<!\bi\s)(?<!\bwe\s)(?<!\bthey\s)(?<!\breally\s)(?<!\bjust\s)(?<!\balso\s)\blike,"
        r"|(?<!\bsome\s)(?<!\bthe\s)(?<!\bany\s)(?<!\bwhat\s)(?<!\bthis\s)(?<!\bthat\s)"
        r"(?<!\bone\s)(?<!\ba\s)\b(?:kind|sort)\s+of\b,?",
        re.IGNORECASE,
    )


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        _add(out, text, pos, match.end())
        pos = match.end()
    _add(out, text, pos, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not any(c.isalnum() for c in stripped):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(s, s + len(stripped), stripped, len(out)))


def clause_bounds(text: str, sentence: Sentence, offset: int) -> tuple[int, int]:
    """The clause of `sentence` around absolute `offset` (negation does not cross a 'but')."""
    start, end = sentence.start, sentence.end
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if m.end() <= offset:
            start = m.end()
        elif m.start() >= offset:
            end = m.start()
            break
    return start, end


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    end = len(text) if end is None else end
    return [
        (m.group(0).lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(text, start, end)
    ]


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for a phrase list. Spaces match space or hyphen, "*" ends a stem, and a
    phrase starting with "re:" is a raw regex. Whole words and stems share one \\b group each,
    which keeps compiling fast (the CLI compiles every list at start-up)."""
    raw: list[str] = []
    words: list[str] = []
    stems: list[str] = []
    symbols: list[str] = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        if phrase.startswith("re:"):
            raw.append(f"(?:{phrase[3:]})")
            continue
        body = phrase.rstrip("*")
        pattern = r"[\s-]+".join(re.escape(w).replace("'", "['’]") for w in body.split())
        if not body[:1].isalnum():
            symbols.append(pattern)  # "$..." has no word boundary in front
        elif phrase.endswith("*"):
            stems.append(pattern)
        else:
            words.append(pattern)
    parts = raw
    if words:
        parts.append(r"\b(?:" + "|".join(words) + r")\b")
    if stems:
        parts.append(r"\b(?:" + "|".join(stems) + r")[\w'-]*")
    if symbols:
        parts.append("(?:" + "|".join(symbols) + ")")
    if not parts:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(parts), re.IGNORECASE)


def find(
    pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None
) -> Iterator[re.Match[str]]:
    return pattern.finditer(text, start, len(text) if end is None else end)


def has(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> bool:
    return pattern.search(text, start, len(text) if end is None else end) is not None


class Negation:
    """Decides whether a match sits in a negated scope ("I don't plan to leave", "not about money").

    "not just / not only" is contrast rather than denial, and a caller chooses how to read it.
    """

    def __init__(self, cues: Iterable[str], softeners: Iterable[str], window: int) -> None:
        self.cues = frozenset(cues)
        self.softeners = frozenset(softeners)
        self.window = window

    def negated(
        self,
        text: str,
        sentence: Sentence,
        start: int,
        end: int,
        after: bool = False,
        soft_counts: bool = False,
    ) -> bool:
        c_start, c_end = clause_bounds(text, sentence, start)
        # A comma closes a negation's reach: "I'm not after your job, don't worry, I'd like ..."
        c_start = max(c_start, text.rfind(",", c_start, start) + 1)
        before = tokens(text, c_start, start)[-self.window :]
        for i, (tok, _, _) in enumerate(before):
            if tok in self.cues or tok.endswith("n't"):
                nxt = before[i + 1][0] if i + 1 < len(before) else ""
                if nxt in self.softeners and not soft_counts:
                    continue
                return True
        if after:
            following = tokens(text, end, c_end)[: self.window]
            for tok, _, _ in following:
                if tok in self.cues or tok.endswith("n't"):
                    return True
        return False


def sentence_at(sents: list[Sentence], offset: int) -> Sentence | None:
    for s in sents:
        if s.start <= offset < s.end:
            return s
    return None
