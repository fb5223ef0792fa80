"""Plain dataclasses shared by every layer: no engine, no UI, no I/O."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Word:
    """One transcribed word; times are seconds from the start of the answer."""

    word: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass
class Transcript:
    text: str
    words: list[Word]
    segments: list[Segment]
    duration_s: float
    model: str
    language: str = "en"
    # A human note such as "no speech detected"; empty when there is nothing to say.
    note: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The documented JSON shape of `rehearse transcribe --format json`."""
        data: dict[str, Any] = {
            "text": self.text,
            "duration_s": round(self.duration_s, 3),
            "words": [
                {
                    "word": w.word,
                    "start": round(w.start, 3),
                    "end": round(w.end, 3),
                    "probability": round(w.probability, 4),
                }
                for w in self.words
            ],
            "model": self.model,
        }
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> Transcript:
        words = [Word(**w) for w in data.get("words", [])]
        return cls(
            text=data.get("text", ""),
            words=words,
            segments=[Segment(**s) for s in data.get("segments", [])],
            duration_s=float(data.get("duration_s", 0.0)),
            model=data.get("model", ""),
            note=data.get("note", ""),
        )


@dataclass(frozen=True)
class Profile:
    """A company the candidate is preparing for."""

    company: str
    role: str
    values: tuple[str, ...] = ()
    description: str = ""
    # The file stem it was loaded from, or "" for one given by path.
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["values"] = list(self.values)
        return data


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    family: str
    # Spoken length the answer should fall in, in seconds.
    target_seconds: tuple[float, float]
    # Written length the answer should fall in, in words.
    target_words: tuple[int, int]
    # The answer timer's limit, in seconds.
    limit_seconds: float
    # Rubric weights by check id (and "delivery"); the scorer normalises them.
    weights: dict[str, float] = field(default_factory=dict)
    follow_ups: tuple[str, ...] = ()


# --- The rubric's report (rehearse.analysis builds it; the store and the UI read it) ---


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Evidence:
    """A quoted span of the answer: char offsets into the transcript text, and seconds for audio."""

    text: str
    start: int
    end: int
    start_s: float | None = None
    end_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "start_s": _r(self.start_s),
            "end_s": _r(self.end_s),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            start_s=data.get("start_s"),
            end_s=data.get("end_s"),
        )


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str
    # "pass" | "partial" | "miss"
    verdict: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    explanation: str = ""
    tip: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "tip": self.tip,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckResult:
        return cls(
            id=data["id"],
            label=data.get("label", data["id"]),
            verdict=data["verdict"],
            score=float(data["score"]),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", [])),
            explanation=data.get("explanation", ""),
            tip=data.get("tip", ""),
        )


@dataclass(frozen=True)
class RedFlag:
    id: str
    label: str
    evidence: tuple[Evidence, ...] = ()
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RedFlag:
        return cls(
            id=data["id"],
            label=data.get("label", data["id"]),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence", [])),
            explanation=data.get("explanation", ""),
        )


@dataclass(frozen=True)
class TimedPhrase:
    """A filler or hedge heard in the answer, with its char span and times."""

    text: str
    start: int
    end: int
    start_s: float
    end_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimedPhrase:
        return cls(
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            start_s=float(data["start_s"]),
            end_s=float(data["end_s"]),
        )


@dataclass(frozen=True)
class Pause:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "duration_s": round(self.duration_s, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pause:
        return cls(start_s=float(data["start_s"]), end_s=float(data["end_s"]))


@dataclass(frozen=True)
class Delivery:
    """How the answer sounded; only audio answers have one."""

    duration_s: float
    # From the first word's start to the last word's end: the span the wpm is measured over.
    speaking_s: float
    wpm: float
    # "slow" | "a little slow" | "ideal" | "a little fast" | "fast" | "unknown"
    wpm_band: str
    fillers: tuple[TimedPhrase, ...]
    fillers_per_minute: float
    pauses: tuple[Pause, ...]
    longest_pause_s: float
    hedges: tuple[TimedPhrase, ...]
    time_to_first_word_s: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 3),
            "speaking_s": round(self.speaking_s, 3),
            "wpm": round(self.wpm, 1),
            "wpm_band": self.wpm_band,
            "fillers": {
                "count": len(self.fillers),
                "per_minute": round(self.fillers_per_minute, 2),
                "items": [f.to_dict() for f in self.fillers],
            },
            "pauses": {
                "count": len(self.pauses),
                "longest_s": round(self.longest_pause_s, 3),
                "items": [p.to_dict() for p in self.pauses],
            },
            "hedges": {
                "count": len(self.hedges),
                "items": [h.to_dict() for h in self.hedges],
            },
            "time_to_first_word_s": _r(self.time_to_first_word_s),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Delivery:
        return cls(
            duration_s=float(data["duration_s"]),
            speaking_s=float(data["speaking_s"]),
            wpm=float(data["wpm"]),
            wpm_band=data["wpm_band"],
            fillers=tuple(TimedPhrase.from_dict(f) for f in data["fillers"]["items"]),
            fillers_per_minute=float(data["fillers"]["per_minute"]),
            pauses=tuple(Pause.from_dict(p) for p in data["pauses"]["items"]),
            longest_pause_s=float(data["pauses"]["longest_s"]),
            hedges=tuple(TimedPhrase.from_dict(h) for h in data["hedges"]["items"]),
            time_to_first_word_s=data.get("time_to_first_word_s"),
        )


@dataclass(frozen=True)
class Report:
    """The rubric's verdict on one answer. `to_dict()` is the documented JSON of `analyze`."""

    question_id: str
    question_text: str
    transcript: str
    words: tuple[Word, ...]
    # Length of the recording; None for a typed answer.
    duration_s: float | None
    delivery: Delivery | None
    checks: tuple[CheckResult, ...]
    red_flags: tuple[RedFlag, ...]
    score: int
    analyzer_version: str
    word_count: int = 0
    profile: Profile | None = None

    def check(self, check_id: str) -> CheckResult:
        for result in self.checks:
            if result.id == check_id:
                return result
        raise KeyError(check_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": {"id": self.question_id, "text": self.question_text},
            "profile": self.profile.to_dict() if self.profile else None,
            "transcript": self.transcript,
            "word_count": self.word_count,
            "words": [
                {
                    "word": w.word,
                    "start": round(w.start, 3),
                    "end": round(w.end, 3),
                    "probability": round(w.probability, 4),
                }
                for w in self.words
            ],
            "duration_s": _r(self.duration_s),
            "delivery": self.delivery.to_dict() if self.delivery else None,
            "checks": [c.to_dict() for c in self.checks],
            "red_flags": [f.to_dict() for f in self.red_flags],
            "score": self.score,
            "analyzer_version": self.analyzer_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        profile = data.get("profile")
        return cls(
            question_id=data["question"]["id"],
            question_text=data["question"]["text"],
            transcript=data["transcript"],
            words=tuple(Word(**w) for w in data.get("words", [])),
            duration_s=data.get("duration_s"),
            delivery=Delivery.from_dict(data["delivery"]) if data.get("delivery") else None,
            checks=tuple(CheckResult.from_dict(c) for c in data["checks"]),
            red_flags=tuple(RedFlag.from_dict(f) for f in data.get("red_flags", [])),
            score=int(data["score"]),
            analyzer_version=data["analyzer_version"],
            word_count=int(data.get("word_count", 0)),
            profile=(
                Profile(
                    company=profile["company"],
                    role=profile["role"],
                    values=tuple(profile.get("values", ())),
                    description=profile.get("description", ""),
                    name=profile.get("name", ""),
                )
                if profile
                else None
            ),
        )
