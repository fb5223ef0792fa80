from __future__ import annotations

import pytest

from rehearse.analysis.content import CHECK_IDS
from rehearse.errors import RehearseError
from rehearse.questions import DEFAULT_QUESTION_ID, family, get_question, load_bank, parse_bank


def test_bank_has_the_career_goals_family() -> None:
    questions = family()
    assert len(questions) >= 8
    ids = {q.id for q in questions}
    assert DEFAULT_QUESTION_ID in ids
    assert {"five_years", "salary_expectations", "why_work_here", "develop_skills"} <= ids
    for q in questions:
        assert q.text.endswith("?")
        assert q.limit_seconds == 120
        assert q.target_seconds == (45, 120) and q.target_words == (80, 300)
        assert set(q.weights) == {*CHECK_IDS, "delivery"}
        assert q.follow_ups


def test_per_question_weights_differ() -> None:
    salary = get_question("salary_expectations")
    assert salary.weights["salary_tact"] > get_question("career_goals").weights["salary_tact"]
    assert salary.weights["long_term_goal"] == 0


def test_unknown_id_names_the_choices() -> None:
    with pytest.raises(RehearseError, match="career_goals"):
        get_question("nope")


def test_parse_rejects_duplicates() -> None:
    q = {
        "id": "a",
        "text": "A?",
        "target_seconds": [1, 2],
        "target_words": [1, 2],
        "limit_seconds": 3,
    }
    with pytest.raises(ValueError, match="twice"):
        parse_bank({"questions": [q, q]})
    assert next(iter(load_bank())) == DEFAULT_QUESTION_ID
