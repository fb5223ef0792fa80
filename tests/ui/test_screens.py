"""Pilot tests of the review, results and settings screens over a real store and config file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input
from ui_helpers import GROWTH_TEXT, question, sample_report, services, speech_file, wait_for

from rehearse import locations
from rehearse.config import load_settings
from rehearse.domain import Profile, Transcript
from rehearse.profiles import list_profiles
from rehearse.ui.app import RehearseApp, StartPlan
from rehearse.ui.screens.confirm import ConfirmScreen
from rehearse.ui.screens.home import HomeScreen
from rehearse.ui.screens.practice import PracticeScreen
from rehearse.ui.screens.results import ResultsScreen
from rehearse.ui.screens.review import CompareScreen, ReviewScreen
from rehearse.ui.screens.settings import SettingsScreen

ACME = Profile("Acme", "Engineer", ("care",), "", "acme")


def seeded_app(scores: list[int]) -> tuple[RehearseApp, list[int]]:
    svc = services(None)
    store = svc.store()
    ids = []
    for i, score in enumerate(scores):
        profile = ACME if i % 2 else None
        audio = store.new_audio_path()
        audio.write_bytes(b"RIFF")  # stands in for a recording; delete must remove it
        attempt = store.begin_attempt(
            store.start_session("single", profile), question(), profile, audio
        )
        report = sample_report(score=score)
        transcript = Transcript(report.transcript, list(report.words), [], 14.0, "tiny.en")
        store.finish_attempt(attempt, transcript, report, 14.0)
        ids.append(attempt)
    return RehearseApp(svc, hints_provider=None, load_model=False), ids


def rows(app: RehearseApp) -> int:
    return app.screen.query_one(DataTable).row_count


async def test_review_opens_filters_compares_and_deletes() -> None:
    app, ids = seeded_app([50, 60, 70])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and rows(app) == 3)
        review = app.screen
        assert isinstance(review, ReviewScreen)

        # Newest first: the cursor row opens attempt 3 in the results view.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.screen.attempt_id == ids[2]  # type: ignore[attr-defined]
        assert "70/100" in str(app.screen.query_one(".score").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is review)

        # Filter by profile.
        await pilot.press("slash")
        await pilot.press(*"acme")
        await wait_for(pilot, lambda: rows(app) == 1)
        review.query_one(Input).value = ""
        await wait_for(pilot, lambda: rows(app) == 3)
        review.query_one(DataTable).focus()

        # Sort by score, ascending after a second press on the column.
        review.sort_key, review.reverse = "score", False
        review._fill()
        assert [a.score for a in review.visible()] == [50, 60, 70]

        # Mark two and compare them.
        await pilot.press("space", "down", "space", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen))
        delta = str(app.screen.query_one("#compare-delta").render())
        assert "+10" in delta
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is review)

        # Delete needs a yes; "n" keeps it.
        review.query_one(DataTable).move_cursor(row=0)
        doomed = review.current()
        assert doomed is not None
        audio = app.services.store().get_attempt(doomed.id).audio_path
        assert audio is not None and audio.exists()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is review)
        assert rows(app) == 3
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is review and rows(app) == 2)
    assert not audio.exists()
    assert doomed.id not in [a.id for a in app.services.store().list_attempts()]


async def test_review_progress_chart_opens_with_points() -> None:
    from textual_plotext import PlotextPlot

    app, _ = seeded_app([40, 55, 72])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and rows(app) == 3)
        await pilot.press("g")
        await wait_for(pilot, lambda: bool(app.screen.query(PlotextPlot)))
        assert len(app.services.store().progress("career_goals")) == 3
        await pilot.press("escape")


async def test_results_keys_retry_and_next_open_practice(tmp_path: Path) -> None:
    wav = speech_file("answer_growth.wav", GROWTH_TEXT, tmp_path)
    svc = services(wav)
    app = RehearseApp(svc, StartPlan(prep_s=30), hints_provider=None, load_model=False)
    q = question()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(sample_report(), q, None, attempt_id=1))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeScreen))
        assert app.screen.question.id == q.id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))

        await app.push_screen(ResultsScreen(sample_report(), q, None, attempt_id=1))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, PracticeScreen))
        assert app.screen.question.id == app.next_question(q).id  # type: ignore[attr-defined]
        assert app.next_question(q).id != q.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert svc.store().list_attempts() == []


async def test_settings_save_to_the_config_file_and_profiles_can_be_made_active() -> None:
    app = RehearseApp(services(None), hints_provider=None, load_model=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        await pilot.app.workers.wait_for_complete()
        screen.query_one("#prep_seconds", Input).value = "7.5"
        screen.query_one("#silence_stop_seconds", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = load_settings()
        assert saved.prep_seconds == 7.5
        assert saved.silence_stop_seconds == 4.0

        screen.query_one("#prep_seconds", Input).value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_settings().prep_seconds == 7.5  # a bad number is refused, not saved

        screen.query_one("#p-company", Input).value = "Globex"
        screen.query_one("#p-role", Input).value = "Data engineer"
        screen.query_one("#p-values", Input).value = "curiosity, rigour"
        screen._use_profile()
        await pilot.pause()
    assert [p.company for p in list_profiles()] == ["Globex"]
    assert list_profiles()[0].values == ("curiosity", "rigour")
    assert load_settings().profile == "globex"
    assert app.services.profile is not None and app.services.profile.company == "Globex"
    assert locations.config_file().exists()


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_theme_toggle(theme: str) -> None:
    app = RehearseApp(services(None), hints_provider=None, load_model=False)
    async with app.run_test() as pilot:
        app.theme = theme
        await pilot.press("ctrl+t")
        assert app.theme != theme
