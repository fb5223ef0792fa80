"""The results view: score, checks with verdict marks, highlighted transcript, delivery, tips.

Used after an attempt, when opening one from the review table, and (twice) when comparing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from rehearse.domain import Report

MARKS = {"pass": ("✓", "green"), "partial": ("◐", "yellow"), "miss": ("✗", "red")}
EVIDENCE_STYLE = "bold reverse"
FILLER_STYLE = "bold magenta underline"
PAUSE_STYLE = "dim italic"
FLAG_STYLE = "red underline"


def verdict_mark(verdict: str) -> Text:
    mark, colour = MARKS.get(verdict, ("?", "dim"))
    return Text(mark, style=f"bold {colour}")


def _word_ends(report: Report) -> list[tuple[float, int]]:
    """(end time, char offset just after the word) for each word found in the transcript."""
    text = report.transcript.lower()
    pos, out = 0, []
    for word in report.words:
        token = word.word.strip().lower()
        if not token:
            continue
        found = text.find(token, pos)
        if found < 0:
            continue
        pos = found + len(token)
        out.append((word.end, pos))
    return out


def transcript_text(report: Report, selected: str | None = None) -> Text:
    """The transcript with the selected check's evidence highlighted and delivery marks inline."""
    body = Text(report.transcript or "(no speech was heard)")
    n = len(report.transcript)
    for flag in report.red_flags:
        for ev in flag.evidence:
            body.stylize(FLAG_STYLE, max(0, ev.start), min(n, ev.end))
    if report.delivery is not None:
        for filler in report.delivery.fillers:
            body.stylize(FILLER_STYLE, max(0, filler.start), min(n, filler.end))
    if selected is not None:
        for check in report.checks:
            if check.id == selected:
                for ev in check.evidence:
                    body.stylize(EVIDENCE_STYLE, max(0, ev.start), min(n, ev.end))
    if report.delivery is None or not report.delivery.pauses or not report.transcript:
        return body
    # Put a pause marker after the last word that ended before the pause began.
    ends = _word_ends(report)
    inserts: list[tuple[int, float]] = []
    for pause in report.delivery.pauses:
        before = [offset for end, offset in ends if end <= pause.start_s + 0.05]
        inserts.append((before[-1] if before else 0, pause.duration_s))
    inserts.sort()
    out = Text()
    last = 0
    for offset, seconds in inserts:
        out.append_text(body[last:offset])
        out.append(f" ⏸{seconds:.1f}s", style=PAUSE_STYLE)
        last = offset
    out.append_text(body[last:])
    return out


def delivery_text(report: Report) -> Text:
    d = report.delivery
    out = Text()
    out.append("Delivery\n", style="bold")
    if d is None:
        out.append("typed answer: no delivery figures", style="dim")
        return out
    minutes, seconds = divmod(int(d.duration_s + 0.5), 60)
    out.append(f"Duration   {minutes}:{seconds:02d}\n")
    out.append(f"Pace       {d.wpm:.0f} wpm ({d.wpm_band})\n")
    out.append(f"Fillers    {d.fillers_per_minute:.1f}/min ({len(d.fillers)})\n")
    out.append(f"Long pause {d.longest_pause_s:.1f} s")
    return out


def tips_text(report: Report) -> Text:
    out = Text()
    out.append("Tips\n", style="bold")
    tips = [c for c in report.checks if c.verdict != "pass" and c.tip]
    for check in tips:
        out.append("• ", style="bold")
        out.append(f"{check.label}: ", style="bold")
        out.append(f"{check.tip}\n")
    for flag in report.red_flags:
        out.append("! ", style="bold red")
        out.append(f"{flag.label}: {flag.explanation}\n")
    if not tips and not report.red_flags:
        out.append("Every check passed. Try it again with a different company profile.")
    return out


class ReportView(Widget):
    """One report, laid out to read at 80x24 and to use the room at 120x40."""

    DEFAULT_CSS = """
    ReportView { height: 1fr; }
    """

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report

    def compose(self) -> ComposeResult:
        r = self.report
        with Horizontal(classes="report-body"):
            with Vertical(classes="report-side"):
                yield Static(self._score_text(), classes="score")
                yield OptionList(
                    *[
                        Option(Text.assemble(verdict_mark(c.verdict), " ", c.label), id=c.id)
                        for c in r.checks
                    ],
                    classes="checks",
                )
                yield Static(delivery_text(r), classes="delivery")
            with VerticalScroll(classes="report-main"):
                yield Static(Text(r.question_text, style="italic"), classes="question-line")
                yield Static(transcript_text(r), classes="transcript")
                yield Static("", classes="explain")
                yield Static(tips_text(r), classes="tips")

    def _score_text(self) -> Text:
        score = self.report.score
        colour = "green" if score >= 75 else ("yellow" if score >= 50 else "red")
        return Text.assemble(("Score ", "bold"), (f"{score}/100", f"bold {colour}"))

    def on_mount(self) -> None:
        checks = self.query_one(".checks", OptionList)
        if self.report.checks:
            checks.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        check_id = event.option.id
        self.query_one(".transcript", Static).update(transcript_text(self.report, check_id))
        for check in self.report.checks:
            if check.id == check_id:
                explain = Text()
                explain.append_text(verdict_mark(check.verdict))
                explain.append(f" {check.label}: ", style="bold")
                explain.append(check.explanation or "")
                if check.tip and check.verdict != "pass":
                    explain.append(f"\nTip: {check.tip}", style="italic")
                self.query_one(".explain", Static).update(explain)
