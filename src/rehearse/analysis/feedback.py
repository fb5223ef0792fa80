"""Explanations and tips for each verdict, adapted to the profile's role and company."""

from __future__ import annotations

from rehearse.analysis.content import Outcome
from rehearse.analysis.lexicon import feedback_data
from rehearse.domain import Profile


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def placeholders(profile: Profile | None) -> dict[str, str]:
    generic = dict(feedback_data()["generic"])
    if profile is None:
        return generic
    values = [v for v in profile.values if v]
    return {
        **generic,
        "role": f"the {profile.role} role",
        "role_title": _article(profile.role),
        "role_noun": profile.role.split()[-1].lower()
        if profile.role.split()
        else generic["role_noun"],
        "company": profile.company,
        "value": f"your commitment to {values[0].lower()}" if values else generic["value"],
    }


def label(check_id: str) -> str:
    return feedback_data()["checks"][check_id]["label"]


def explain(check_id: str, outcome: Outcome) -> str:
    texts = feedback_data()["checks"][check_id]
    if check_id == "conciseness":
        side = outcome.detail.get("side")
        key = outcome.verdict if outcome.verdict == "pass" else f"{outcome.verdict}_{side}"
        return texts[key].format(**outcome.detail)
    if check_id == "growth_in_company" and outcome.detail.get("reason") == "leaving":
        return texts["miss_leaving"]
    return texts[outcome.verdict]


def tip(check_id: str, outcome: Outcome, profile: Profile | None) -> str:
    """A tip with an example phrasing; a pass needs none."""
    if outcome.verdict == "pass":
        return ""
    return feedback_data()["checks"][check_id]["tip"].format(**placeholders(profile))


def flag_label(flag_id: str) -> str:
    return feedback_data()["red_flags"][flag_id]["label"]


def flag_explanation(flag_id: str) -> str:
    return feedback_data()["red_flags"][flag_id]["explanation"]
