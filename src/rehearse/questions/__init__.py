"""The question bank: TOML in the package, loaded once and validated."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from rehearse.domain import Question
from rehearse.errors import RehearseError

DEFAULT_QUESTION_ID = "career_goals"
_BANK = "bank.toml"


def _pair(value: Any, where: str, kind: type) -> tuple[Any, Any]:
    if not (isinstance(value, list) and len(value) == 2):
        raise ValueError(f"{where} must be a list of two numbers")
    low, high = kind(value[0]), kind(value[1])
    if not 0 <= low <= high:
        raise ValueError(f"{where} must be two numbers, low to high")
    return low, high


def parse_bank(data: dict[str, Any]) -> dict[str, Question]:
    """Build questions from a parsed bank; each question inherits [defaults] and overrides them."""
    defaults = data.get("defaults", {})
    bank: dict[str, Question] = {}
    for raw in data.get("questions", []):
        merged = {**defaults, **raw}
        qid = merged.get("id")
        if not qid or not merged.get("text"):
            raise ValueError("every question needs an id and a text")
        if qid in bank:
            raise ValueError(f"question id {qid!r} appears twice")
        weights = {**defaults.get("weights", {}), **raw.get("weights", {})}
        bank[qid] = Question(
            id=qid,
            text=merged["text"],
            family=merged.get("family", qid),
            target_seconds=_pair(merged["target_seconds"], f"{qid}.target_seconds", float),
            target_words=_pair(merged["target_words"], f"{qid}.target_words", int),
            limit_seconds=float(merged["limit_seconds"]),
            weights={k: float(v) for k, v in weights.items()},
            follow_ups=tuple(merged.get("follow_ups", ())),
        )
    return bank


@cache
def load_bank() -> dict[str, Question]:
    """Every question in the package bank, by id, in bank order."""
    text = resources.files(__package__).joinpath(_BANK).read_text(encoding="utf-8")
    return parse_bank(tomllib.loads(text))


def get_question(question_id: str) -> Question:
    bank = load_bank()
    try:
        return bank[question_id]
    except KeyError:
        known = ", ".join(bank)
        raise RehearseError(
            f"There is no question {question_id!r}; choose one of: {known}."
        ) from None


def family(name: str = "career_goals") -> list[Question]:
    return [q for q in load_bank().values() if q.family == name]
