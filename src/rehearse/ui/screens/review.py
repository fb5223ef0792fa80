"""Review (issue 5): past attempts in a table you can filter and sort; open one (results view +
playback), compare two side by side, chart progress over time, delete with confirmation, export."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from rehearse import locations
from rehearse.errors import RehearseError
from rehearse.ui.screens.confirm import ConfirmScreen
from rehearse.ui.widgets.report import transcript_text, verdict_mark

if TYPE_CHECKING:
    from rehearse.store import AttemptSummary
    from rehearse.ui.app import RehearseApp

# Sortable columns: key -> (heading, how to sort a summary)
SORTS: dict[str, tuple[str, Any]] = {
    "date": ("Date", lambda a: (a.created_at, a.id)),
    "question": ("Question", lambda a: (a.question_id, a.created_at)),
    "profile": ("Profile", lambda a: (a.profile_name or "", a.created_at)),
    "score": ("Score", lambda a: (a.score if a.score is not None else -1, a.created_at)),
}
SORT_ORDER = list(SORTS)


class AttemptsLoaded(Message):
    def __init__(self, attempts: list[AttemptSummary], error: str | None = None) -> None:
        super().__init__()
        self.attempts = attempts
        self.error = error


def local_time(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class ReviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("space", "mark", "Mark"),
        Binding("c", "compare", "Compare"),
        Binding("g", "chart", "Chart"),
        Binding("o", "sort", "Sort"),
        Binding("d", "delete", "Delete"),
        Binding("e", "export", "Export"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[AttemptSummary] = []
        self.marked: list[int] = []
        self.sort_key = "date"
        self.reverse = True

    @property
    def studio(self) -> RehearseApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter by question, profile or date (/ to focus)", id="review-filter"
        )
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(" ", key="mark", width=1)
        table.add_column("#", key="id")
        for key, (heading, _) in SORTS.items():
            table.add_column(heading, key=key)
        table.add_column("Length", key="length")
        table.add_column("Status", key="status")
        table.focus()

    def on_screen_resume(self) -> None:
        # Also runs when the screen first shows: one load, refreshed after open/compare/delete.
        self.load_attempts()

    @work(thread=True, exclusive=True, group="review-load")
    def load_attempts(self) -> None:
        try:
            attempts = self.studio.services.store().list_attempts()
        except RehearseError as exc:
            self.post_message(AttemptsLoaded([], exc.message))
            return
        self.post_message(AttemptsLoaded(attempts))

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=10)
        self.attempts = message.attempts
        known = {a.id for a in self.attempts}
        self.marked = [i for i in self.marked if i in known]
        self._fill()

    def visible(self) -> list[AttemptSummary]:
        needle = self.query_one("#review-filter", Input).value.strip().lower()
        rows = self.attempts
        if needle:
            rows = [
                a
                for a in rows
                if needle in a.question_id.lower()
                or needle in a.question_text.lower()
                or needle in (a.profile_name or "").lower()
                or needle in local_time(a.created_at)
            ]
        return sorted(rows, key=SORTS[self.sort_key][1], reverse=self.reverse)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows = self.visible()
        for a in rows:
            minutes, seconds = divmod(int((a.duration_s or 0) + 0.5), 60)
            table.add_row(
                "*" if a.id in self.marked else "",
                str(a.id),
                local_time(a.created_at),
                a.question_id,
                a.profile_name or "—",
                f"{a.score}/100" if a.score is not None else "—",
                f"{minutes}:{seconds:02d}",
                a.status,
                key=str(a.id),
            )
        arrow = "↓" if self.reverse else "↑"
        status = (
            f"{len(rows)} of {len(self.attempts)} attempts · sorted by "
            f"{SORTS[self.sort_key][0].lower()} {arrow} · marked: "
            f"{', '.join(map(str, self.marked)) or 'none'}"
        )
        if not self.attempts:
            status = "No attempts yet: press Escape, then p to practise."
        self.query_one("#review-status", Static).update(Text(status, style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in SORTS:
            self.reverse = not self.reverse if key == self.sort_key else key in ("date", "score")
            self.sort_key = key
            self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def current(self) -> AttemptSummary | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self.attempts if str(a.id) == key), None)

    # --- actions ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#review-filter", Input).focus()

    def action_sort(self) -> None:
        self.sort_key = SORT_ORDER[(SORT_ORDER.index(self.sort_key) + 1) % len(SORT_ORDER)]
        self.reverse = self.sort_key in ("date", "score")
        self._fill()

    def action_back(self) -> None:
        if self.query_one("#review-filter", Input).has_focus:
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()

    def action_open(self) -> None:
        from rehearse.ui.screens.results import ResultsScreen

        summary = self.current()
        if summary is None:
            return
        try:
            attempt = self.studio.services.store().get_attempt(summary.id)
            report = attempt.report()
        except RehearseError as exc:
            self.notify(exc.message, severity="error")
            return
        if report is None:
            self.notify(
                f"Attempt {summary.id} was not analysed; run "
                f"`rehearse history recover {summary.id}`.",
                severity="warning",
            )
            return
        self.app.push_screen(
            ResultsScreen(
                report,
                _question_or_none(attempt.question_id),
                attempt.audio_path,
                attempt_id=attempt.id,
                practice=False,
            )
        )

    def action_mark(self) -> None:
        summary = self.current()
        if summary is None:
            return
        if summary.id in self.marked:
            self.marked.remove(summary.id)
        else:
            self.marked = [*self.marked[-1:], summary.id]  # keep the last two marked
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._fill()
        table.move_cursor(row=row)

    def action_compare(self) -> None:
        if len(self.marked) != 2:
            self.notify("Mark two attempts with Space, then press c.", severity="warning")
            return
        store = self.studio.services.store()
        try:
            first, second = sorted((store.get_attempt(i) for i in self.marked), key=lambda a: a.id)
        except RehearseError as exc:
            self.notify(exc.message, severity="error")
            return
        if first.question_id != second.question_id:
            self.notify(
                "Those two answer different questions; compare a retake of one.", severity="warning"
            )
            return
        self.app.push_screen(CompareScreen(first, second))

    def action_chart(self) -> None:
        summary = self.current()
        if summary is None:
            return
        self.app.push_screen(ProgressScreen(summary.question_id))

    def action_delete(self) -> None:
        summary = self.current()
        if summary is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.studio.services.store().delete_attempt(summary.id)
            except RehearseError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(f"Attempt {summary.id} and its recording were deleted.")
            self.load_attempts()

        self.app.push_screen(
            ConfirmScreen(f"Delete attempt {summary.id} and its recording?", "Delete"), answer
        )

    def action_export(self) -> None:
        summary = self.current()
        if summary is None:
            return
        try:
            path = export_attempt(self.studio, summary.id)
        except (RehearseError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Exported to {path}", timeout=8)


def _question_or_none(question_id: str) -> Any:
    from rehearse.questions import get_question

    try:
        return get_question(question_id)
    except RehearseError:
        return None


def export_attempt(studio: RehearseApp, attempt_id: int) -> Path:
    """Write one attempt as Markdown into the exports folder of the data dir."""
    attempt = studio.services.store().get_attempt(attempt_id)
    report = attempt.report()
    if report is None:
        raise RehearseError(f"Attempt {attempt_id} has no report to export yet.")
    from rehearse.analysis.render import render_markdown

    folder = locations.ensure_private_dir(locations.data_dir() / "exports")
    path = folder / f"attempt-{attempt_id}.md"
    path.write_text(render_markdown(report), encoding="utf-8")
    return path


def _fmt(value: float | None, digits: int = 0, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


class CompareScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, first: Any, second: Any) -> None:
        super().__init__()
        self.first, self.second = first, second

    def compose(self) -> ComposeResult:
        from rehearse.store import compare_attempts

        c = compare_attempts(self.first, self.second)
        yield Header()
        head = Text()
        head.append(f"Attempt {c.first_id} → {c.second_id}: ", style="bold")
        head.append(f"score {_fmt(c.score_before)} → {_fmt(c.score_after)} ")
        head.append(f"({_fmt(c.score_delta, signed=True)})", style="bold")
        head.append(
            f"\nwpm {_fmt(c.wpm_before)} → {_fmt(c.wpm_after)} "
            f"({_fmt(c.wpm_delta, signed=True)})   "
        )
        head.append(
            f"fillers/min {_fmt(c.fillers_per_min_before, 1)} → "
            f"{_fmt(c.fillers_per_min_after, 1)} ({_fmt(c.fillers_per_min_delta, 1, True)})"
        )
        yield Static(head, id="compare-delta")
        table: DataTable[Any] = DataTable(id="compare-table", cursor_type="row")
        yield table
        with Horizontal(id="compare"):
            for attempt in (self.first, self.second):
                report = attempt.report()
                body = transcript_text(report) if report else Text("(not analysed)")
                with VerticalScroll():
                    yield Static(Text(f"Attempt {attempt.id}", style="bold"))
                    yield Static(body)

    def on_mount(self) -> None:
        from rehearse.store import compare_attempts

        c = compare_attempts(self.first, self.second)
        table = self.query_one(DataTable)
        table.add_columns("Check", str(c.first_id), str(c.second_id), "Change")
        for label, changes in (("gained", c.gained), ("lost", c.lost), ("same", c.unchanged)):
            for ch in changes:
                table.add_row(
                    ch.label,
                    verdict_mark(ch.before or ""),
                    verdict_mark(ch.after or ""),
                    Text(label, style={"gained": "green", "lost": "red"}.get(label, "dim")),
                )
        table.styles.height = min(table.row_count + 2, 10)


class ProgressScreen(Screen[None]):
    """Score, wpm and fillers per minute over time for one question."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Header()
        yield Static(Text(f"Progress on {self.question_id}", style="bold"), id="chart-title")
        yield PlotextPlot(id="review-chart")
        yield Footer()

    def on_mount(self) -> None:
        from textual_plotext import PlotextPlot

        points = self.app.services.store().progress(self.question_id)  # type: ignore[attr-defined]
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.title("score, wpm and fillers/min by attempt")
        xs = list(range(1, len(points) + 1))
        if not points:
            plt.title("No analysed attempts of this question yet")
            return
        plt.plot(xs, [p.score or 0 for p in points], label="score", marker="braille")
        plt.plot(xs, [p.wpm or 0 for p in points], label="wpm", marker="braille")
        plt.plot(
            xs,
            [p.fillers_per_min or 0 for p in points],
            label="fillers/min",
            marker="braille",
            yside="right",
        )
        plt.xticks(xs, [local_time(p.created_at)[5:10] for p in points])
        plt.xlabel("attempt")
