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
