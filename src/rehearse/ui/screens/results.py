"""Results of one attempt, and the summary of a timed round."""

from __future__ import annotations

import threading
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from rehearse.domain import CheckResult, Question, Report
from rehearse.errors import RehearseError
from rehearse.services import AttemptOutcome, play_recording
from rehearse.ui.messages import PlaybackDone
from rehearse.ui.widgets.report import ReportView

if TYPE_CHECKING:
    from rehearse.ui.app import RehearseApp, RoundState


class ResultsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retry", "Retry"),
        Binding("n", "next", "Next question"),
        Binding("p", "play", "Play back"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        report: Report,
        question: Question | None,
        audio_path: Path | None,
        *,
        attempt_id: int | None = None,
        practice: bool = True,
    ) -> None:
        super().__init__()
        self.report = report
        self.question = question
        self.audio_path = audio_path
        self.attempt_id = attempt_id
        # From practice, retry/next replace this screen; from review they open a new practice.
        self.practice = practice
        self._playing: threading.Event | None = None

    @classmethod
    def from_outcome(cls, outcome: AttemptOutcome, practice: bool = True) -> ResultsScreen:
        assert outcome.report is not None
        return cls(
            outcome.report,
            outcome.question,
            outcome.audio_path,
            attempt_id=outcome.attempt_id,
            practice=practice,
        )

    @property
    def studio(self) -> RehearseApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        saved = f"attempt {self.attempt_id}" if self.attempt_id is not None else "not saved"
        yield Static(Text(f"Results · {saved}", style="dim"), id="results-title")
        yield ReportView(self.report, id="report")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "next"):
            return self.question is not None
        if action == "play":
            return self.audio_path is not None
        return True

    def action_retry(self) -> None:
        assert self.question is not None
        self._stop_playback()
        self.studio.start_single(self.question, replace=self.practice)

    def action_next(self) -> None:
        assert self.question is not None
        self._stop_playback()
        self.studio.start_single(self.studio.next_question(self.question), replace=self.practice)

    def action_back(self) -> None:
        self._stop_playback()
        self.app.pop_screen()

    def action_play(self) -> None:
        if self._playing is not None:
            self._stop_playback()
            return
        self._playing = threading.Event()
        self.notify("Playing your answer; press p again to stop.", timeout=3)
        self.play(self._playing)

    def _stop_playback(self) -> None:
        if self._playing is not None:
            self._playing.set()
            self._playing = None

    @work(thread=True, exclusive=True, group="playback")
    def play(self, stop: threading.Event) -> None:
        assert self.audio_path is not None
        try:
            play_recording(self.audio_path, stop)
        except RehearseError as exc:
            self.post_message(PlaybackDone(exc.message))
        except Exception as exc:  # playback is optional; never take the screen down
            self.post_message(PlaybackDone(f"Playback failed: {exc}"))
        else:
            self.post_message(PlaybackDone())

    def on_playback_done(self, message: PlaybackDone) -> None:
        self._playing = None
        if message.error:
            self.notify(message.error, severity="error", timeout=8)


def weakest_check(reports: list[Report]) -> CheckResult | None:
    """The check with the lowest mean score across the reports (its tip is the round's advice)."""
    scores: dict[str, list[float]] = defaultdict(list)
    latest: dict[str, CheckResult] = {}
    for report in reports:
        for check in report.checks:
            scores[check.id].append(check.score)
            if check.tip or check.id not in latest:
                latest[check.id] = check
    if not scores:
        return None
    worst = min(scores, key=lambda cid: sum(scores[cid]) / len(scores[cid]))
    return latest[worst]


class RoundSummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open result"),
        Binding("r", "again", "New round"),
        Binding("escape", "back", "Home"),
    ]

    def __init__(self, round: RoundState) -> None:
        super().__init__()
        self.round = round

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Round summary", style="bold"), id="summary-title")
        yield DataTable(id="round-table", cursor_type="row", zebra_stripes=True)
        yield Static(self._totals(), id="summary-totals")
        yield Footer()

    def _reports(self) -> list[Report]:
        return [o.report for o in self.round.outcomes if o.report is not None]

    def _totals(self) -> Text:
        reports = self._reports()
        out = Text()
        if not reports:
            return Text("No answers were scored in this round.")
        total = sum(r.score for r in reports)
        out.append("Total ", style="bold")
        out.append(f"{total}/{100 * len(reports)}")
        out.append(f"   (average {total / len(reports):.0f}/100)\n")
        weakest = weakest_check(reports)
        if weakest is not None:
            out.append("Weakest check across the round: ", style="bold")
            out.append(f"{weakest.label}\n")
            if weakest.tip:
                out.append(f"Tip: {weakest.tip}", style="italic")
        return out

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Score")
        for i, outcome in enumerate(self.round.outcomes, 1):
            score = f"{outcome.report.score}/100" if outcome.report else "—"
            table.add_row(str(i), outcome.question.text, score, key=str(i - 1))
        table.focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.round.outcomes:
            return
        outcome = self.round.outcomes[table.cursor_row]
        if outcome.report is not None:
            self.app.push_screen(ResultsScreen.from_outcome(outcome, practice=False))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_again(self) -> None:
        self.app.pop_screen()
        self.app.start_round(len(self.round.questions))  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
