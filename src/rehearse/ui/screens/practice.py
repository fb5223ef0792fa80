"""Practice: the question, prep countdown, recording with timer and meter, then transcribing.

The whole attempt runs in one thread worker (AttemptRunner.run); keys set its Events and its
callbacks come back as Messages. Nothing here blocks the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from rehearse.domain import Question
from rehearse.services import AttemptCallbacks, AttemptControl, AttemptOutcome
from rehearse.ui.messages import AttemptFinished, PartialTranscript, PhaseChanged, TickUpdate
from rehearse.ui.screens.confirm import ConfirmScreen
from rehearse.ui.widgets.meter import AnswerTimer, LevelMeter

if TYPE_CHECKING:
    from rehearse.ui.app import RehearseApp, RoundState

PHASE_TEXT = {
    "starting": "Getting ready…",
    "asking": "Listen to the question.  (s skips, v turns the voice off)",
    "prep": "Prepare your answer.  Recording starts when the countdown ends (s: start now).",
    "recording": "● RECORDING: answer now.  Space or Enter when you are done.",
    "transcribing": "Transcribing your answer…",
    "analysing": "Checking your answer against the rubric…",
    "saving": "Saving…",
    "failed": "The attempt stopped.",
}


class PracticeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "finish", "Done answering"),
        Binding("s", "skip", "Skip prep"),
        Binding("r", "repeat", "Repeat question"),
        Binding("v", "toggle_voice", "Voice on/off"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        question: Question,
        *,
        prep_s: float | None = None,
        limit_s: float | None = None,
        round: RoundState | None = None,
        autostart: bool = True,
    ) -> None:
        super().__init__()
        self.question = question
        # Snapshot tests pose the screen by hand instead of running an attempt.
        self.autostart = autostart
        self.prep_s = prep_s
        self.limit_s = limit_s
        self.round = round
        self.control = AttemptControl()
        self.phase = "starting"
        self.outcome: AttemptOutcome | None = None

    @property
    def studio(self) -> RehearseApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="practice"):
            if self.round is not None:
                yield Static(
                    f"Timed round: question {self.round.index + 1} of {len(self.round.questions)}",
                    id="round-progress",
                )
            yield Static(Text(self.question.text, style="bold"), id="question")
            yield Static(PHASE_TEXT["starting"], id="phase")
            timer = AnswerTimer(id="timer")
            timer.limit_s = self._limit()
            yield timer
            yield LevelMeter(id="meter")
            yield LoadingIndicator(id="busy")
            yield Static("", id="partial")
            yield Static("", id="voice-state")
            yield Static("", id="error")
        yield Footer()

    def _limit(self) -> float:
        s = self.studio.services.settings
        return self.limit_s or s.answer_seconds or self.question.limit_seconds

    def on_mount(self) -> None:
        self.query_one("#busy").display = False
        self.query_one("#error").display = False
        if self.studio.services.no_tts:
            self.control.voice_on.clear()
        self._show_voice()
        if self.autostart:
            self.run_attempt()

    # --- the worker ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="attempt")
    def run_attempt(self) -> None:
        studio = self.studio
        round = self.round
        callbacks = AttemptCallbacks(
            on_phase=lambda phase: self.post_message(PhaseChanged(phase)),
            on_tick=lambda tick: self.post_message(TickUpdate(tick)),
            on_partial=lambda text: self.post_message(PartialTranscript(text)),
        )
        try:
            profile = studio.services.profile
            if round is not None and round.session_id is None:
                round.session_id = studio.runner.start_session("round", profile)
            outcome = studio.runner.run(
                self.question,
                session_id=round.session_id if round else None,
                profile=profile,
                prep_s=self.prep_s,
                limit_s=self.limit_s,
                control=self.control,
                callbacks=callbacks,
            )
        except Exception as exc:  # keep the studio alive whatever an engine does
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            outcome = AttemptOutcome(
                "failed", self.question, studio.services.profile, error=str(message)
            )
        self.post_message(AttemptFinished(outcome))

    # --- messages from the worker ----------------------------------------------------------

    def on_phase_changed(self, message: PhaseChanged) -> None:
        self._set_phase(message.phase)

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.query_one("#phase", Static).update(PHASE_TEXT.get(phase, phase))
        self.set_class(phase == "recording", "-recording")
        timer = self.query_one("#timer", AnswerTimer)
        if phase == "prep":
            timer.mode = "prep"
        elif phase == "recording":
            timer.limit_s = self._limit()
            timer.elapsed_s = 0.0
            timer.mode = "recording"
        elif phase in ("transcribing", "analysing", "saving"):
            if timer.mode == "recording":
                timer.mode = "done"
            self.query_one("#meter", LevelMeter).level_dbfs = None
            self.query_one("#busy").display = True
            partial = self.query_one("#partial", Static)
            if not str(partial.render()).strip():
                partial.update(Text("Transcribing: your words appear here in a moment.", "dim"))
        self.refresh_bindings()

    def on_tick_update(self, message: TickUpdate) -> None:
        tick = message.tick
        timer = self.query_one("#timer", AnswerTimer)
        if tick.phase == "prep" and tick.remaining_s is not None:
            timer.limit_s = tick.elapsed_s + tick.remaining_s
            timer.elapsed_s = tick.elapsed_s
        elif tick.phase == "recording":
            timer.elapsed_s = tick.elapsed_s
            self.query_one("#meter", LevelMeter).level_dbfs = tick.level_dbfs

    def on_partial_transcript(self, message: PartialTranscript) -> None:
        self.query_one("#partial", Static).update(message.text)

    def on_attempt_finished(self, message: AttemptFinished) -> None:
        outcome = message.outcome
        self.outcome = outcome
        self.query_one("#busy").display = False
        if outcome.status == "failed":
            self._set_phase("failed")
            error = self.query_one("#error", Static)
            error.update(
                Text.assemble(
                    ("Problem: ", "bold"), outcome.error or "unknown", "\nr: try again   Esc: back"
                )
            )
            error.display = True
            self.notify(outcome.error or "The attempt failed.", severity="error", timeout=10)
            return
        self.studio.attempt_done(outcome, self.round)

    # --- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.phase
        if action == "finish":
            return phase in ("prep", "recording")
        if action == "skip":
            return phase in ("asking", "prep")
        if action == "repeat":
            return phase in ("asking", "prep", "failed")
        return True

    def action_finish(self) -> None:
        if self.phase == "prep":
            self.control.skip_prep.set()
        elif self.phase == "recording":
            self.control.stop.set()

    def action_skip(self) -> None:
        self.control.hush.set()
        self.control.skip_prep.set()

    def action_repeat(self) -> None:
        if self.phase == "failed":
            self._retry()
            return
        if self.phase == "prep":
            self.control.voice_on.set()
            self._show_voice()
            self.control.repeat.set()

    def _retry(self) -> None:
        self.app.switch_screen(
            PracticeScreen(
                self.question, prep_s=self.prep_s, limit_s=self.limit_s, round=self.round
            )
        )

    def action_toggle_voice(self) -> None:
        if self.control.voice_on.is_set():
            self.control.voice_on.clear()
            self.control.hush.set()
        else:
            self.control.voice_on.set()
        self._show_voice()

    def _show_voice(self) -> None:
        on = self.control.voice_on.is_set()
        self.query_one("#voice-state", Static).update(
            Text(f"voice {'on' if on else 'off'}  ·  {self.question.id}", style="dim")
        )

    def action_cancel(self) -> None:
        if self.phase == "failed":
            self.app.pop_screen()
            return
        if self.control.cancel.is_set():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.control.cancel.set()
                self.control.hush.set()
                self.query_one("#phase", Static).update("Cancelling: nothing will be saved…")

        self.app.push_screen(
            ConfirmScreen("Cancel this attempt? Nothing will be saved.", "Cancel it", "Keep going"),
            answer,
        )
