"""The rubric's data files, read once and compiled to regexes."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rehearse.analysis.text import Negation, filler_pattern, phrase_regex


def read_data(name: str) -> dict[str, Any]:
    path = resources.files("rehearse.analysis").joinpath("data").joinpath(name)
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    negation: Negation
    patterns: dict[str, re.Pattern[str]]
    numbers: dict[str, int]
    short_max_years: float
    long_min_years: float
    proper_stop: frozenset[str]
    description_stop: frozenset[str]

    def __getitem__(self, key: str) -> re.Pattern[str]:
        return self.patterns[key]


# Which lists become which named pattern: "section.key" -> pattern name.
_LISTS = {
    "goal.cues": "goal",
    "timeframe.short": "short_frame",
    "timeframe.long": "long_frame",
    "concrete.occupations": "occupation",
    "concrete.functions": "function",
    "concrete.skills": "skill",
    "concrete.certifications": "certification",
    "concrete.number_patterns": "count",
    "concrete.levels": "level",
    "concrete.soft": "soft",
    "step.verbs": "step",
    "destination.verbs": "destination",
    "motivation.strong": "motive_strong",
    "motivation.weak": "motive_weak",
    "motivation.because": "because",
    "motivation.convenience": "convenience",
    "motivation.shallow": "shallow",
    "motivation.personal": "motive_personal",
    "motivation.admiration": "admiration",
    "motivation.traits": "traits",
    "motivation.platitude": "platitude",
    "motivation.generic_object": "generic_object",
    "motivation.drive": "drive",
    "motivation.slogan": "slogan",
    "motivation.leaving_reason": "leaving_reason",
    "motivation.choice_lead": "choice_lead",
    "motivation.company_reason": "company_reason",
    "experience.strong": "exp_strong",
    "experience.weak": "exp_weak",
    "development.vehicles": "vehicle",
    "development.plan_cues": "plan_cue",
    "development.noncommittal": "noncommittal",
    "development.past": "past",
    "development.intentions": "learn_intent",
    "growth.cues": "growth",
    "growth.stay": "stay",
    "growth.anchors": "anchor",
    "growth.leaving": "leaving",
    "growth.pay_gate": "pay_gate",
    "company.generic": "company_generic",
    "company.ties": "company_tie",
    "company.passing": "company_passing",
    "company.agent": "company_agent",
    "company.praise": "company_praise",
    "company.perks": "perks",
    "company.parts": "company_part",
    "salary.figures": "pay_figure",
    "salary.main_goal": "money_main",
    "salary.mentions": "pay_mention",
    "salary.tactful": "pay_tactful",
    "salary.anchor": "pay_anchor",
    "red_flags.interviewers_job": "interviewers_job",
    "red_flags.employer_refs": "employer_ref",
    "red_flags.negative": "negative",
    "red_flags.dont_know": "dont_know",
    "red_flags.career": "career",
    "red_flags.life": "life",
}


@cache
def lexicon() -> Lexicon:
    raw = read_data("lexicon.toml")
    patterns: dict[str, re.Pattern[str]] = {}
    for dotted, name in _LISTS.items():
        section, key = dotted.split(".")
        patterns[name] = phrase_regex(raw[section][key])
    tf = raw["timeframe"]
    patterns["span"] = re.compile(tf["span_pattern"][3:], re.IGNORECASE)
    patterns["from_now"] = re.compile(tf["from_now_pattern"][3:], re.IGNORECASE)
    patterns["age"] = re.compile(tf["age_pattern"][3:], re.IGNORECASE)
    patterns["current_age"] = re.compile(tf["current_age_pattern"][3:], re.IGNORECASE)
    fillers = read_data("delivery.toml")["fillers"]
    patterns["filler_mask"] = filler_pattern(fillers["single"], fillers["multi"])
    neg = raw["negation"]
    return Lexicon(
        raw=raw,
        negation=Negation(neg["cues"], neg["softeners"], int(neg["window"])),
        patterns=patterns,
        numbers={k: int(v) for k, v in raw["numbers"]["words"].items()},
        short_max_years=float(tf["short_max_years"]),
        long_min_years=float(tf["long_min_years"]),
        proper_stop=frozenset(raw["concrete"]["proper_stop"]),
        description_stop=frozenset(raw["company"]["description_stop"]),
    )


@cache
def delivery_data() -> dict[str, Any]:
    return read_data("delivery.toml")


@cache
def scoring_data() -> dict[str, Any]:
    return read_data("scoring.toml")


@cache
def feedback_data() -> dict[str, Any]:
    return read_data("feedback.toml")
