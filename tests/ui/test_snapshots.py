"""Snapshots of every screen at 80x24 and 120x40, posed with fixed data and a fixed clock.

Regenerate after a deliberate change with `pytest tests/ui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/ui/__snapshots__ before committing them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable
from ui_helpers import question, sample_report, services

from rehearse import store as store_module
from rehearse.domain import Profile, Transcript
from rehearse.services import AttemptOutcome, Tick
from rehearse.ui.app import RehearseApp, RoundState
from rehearse.ui.messages import PhaseChanged, TickUpdate
from rehearse.ui.screens.practice import PracticeScreen
from rehearse.ui.screens.results import ResultsScreen, RoundSummaryScreen
from rehearse.ui.screens.review import ReviewScreen
from rehearse.ui.screens.settings import SettingsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
ACME = Profile("Acme", "Platform engineer", ("care", "ownership"), "Ships carefully.", "acme")

Pose = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """UTC display and a store clock that advances one day per attempt from a fixed date."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    ticks = (start + timedelta(days=i) for i in range(1000))
    monkeypatch.setattr(store_module, "_now", lambda: next(ticks).isoformat())
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def app() -> RehearseApp:
    return RehearseApp(services(None), hints_provider=None, load_model=False)


def seed(studio: RehearseApp, scores: list[int]) -> None:
    store = studio.services.store()
    q = question()
    for i, score in enumerate(scores):
        session = store.start_session("single", ACME if i % 2 else None)
        attempt = store.begin_attempt(session, q, ACME if i % 2 else None, None)
        report = sample_report(score=score, wpm=130 + 5 * i)
        transcript = Transcript(report.transcript, list(report.words), [], 14.0, "tiny.en")
        store.finish_attempt(attempt, transcript, report, 14.0 + i)


def snap(snap_compare: Any, studio: RehearseApp, size: tuple[int, int], pose: Pose) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pose(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)

    assert snap_compare(studio, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        pass

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_practice_recording_near_the_limit(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        screen = PracticeScreen(question(), autostart=False)
        await pilot.app.push_screen(screen)
        screen.post_message(PhaseChanged("recording"))
        await pilot.pause()
        # 25 s left: the timer is in its warning colour.
        screen.post_message(TickUpdate(Tick("recording", 95.0, 25.0, -18.0)))

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(ResultsScreen(sample_report(), question(), None, attempt_id=7))
        await pilot.pause()
        await pilot.press("down")  # select "Company fit": its evidence is highlighted

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_results_light_theme(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+t")
        await pilot.app.push_screen(ResultsScreen(sample_report(), question(), None, attempt_id=7))

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_round_summary(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        q = question()
        state = RoundState([q, q, q])
        for score in (55, 71, 80):
            report = sample_report(score=score)
            state.outcomes.append(AttemptOutcome("saved", q, None, report=report))
        await pilot.app.push_screen(RoundSummaryScreen(state))

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: Any, size: tuple[int, int]) -> None:
    async def pose(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(SettingsScreen())

    snap(snap_compare, app(), size, pose)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare: Any, size: tuple[int, int]) -> None:
    studio = app()
    seed(studio, [52, 61, 74, 70])

    async def pose(pilot: Pilot[None]) -> None:
        screen = ReviewScreen()
        await pilot.app.push_screen(screen)
        table = screen.query_one(DataTable)
        while table.row_count < 4:
            await pilot.pause(0.05)
        # Repaint once the rows are in, so the snapshot never catches a half-updated line cache.
        await pilot.pause(0.2)
        table.refresh()

    snap(snap_compare, studio, size, pose)
