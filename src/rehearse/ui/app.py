"""The practice studio: a Textual app over the shared services (it owns none of the flow)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from rehearse.config import Settings
from rehearse.domain import Question
from rehearse.errors import RehearseError
from rehearse.services import AttemptOutcome, AttemptRunner, Services
from rehearse.ui.messages import ModelLoaded

log = logging.getLogger(__name__)


def _doctor_hints(settings: Settings) -> list[str]:
    from rehearse.doctor import hints

    return hints(settings)


def _warm_up() -> None:
    """Pay the first attempt's one-off costs in the background at start-up, not the moment the
    first results appear: importing the results screen (else done on the UI thread) and
    compiling the rubric's word lists (~0.1 s, else competing with the UI for the GIL)."""
    from rehearse.analysis import analyze_text
    from rehearse.questions import DEFAULT_QUESTION_ID, get_question
    from rehearse.ui.screens import results  # noqa: F401

    analyze_text("In the short term I want to learn.", get_question(DEFAULT_QUESTION_ID))


# Background start-up work waits this long, so the first frame is not starved of the GIL.
FIRST_PAINT_GRACE_S = 0.2


@dataclass
class StartPlan:
    """What the studio opens on: home, one question, or a timed round."""

    mode: Literal["home", "single", "round"] = "home"
    question_id: str | None = None
    round_size: int = 3
    prep_s: float | None = None
    limit_s: float | None = None


@dataclass
class RoundState:
    questions: list[Question]
    session_id: int | None = None
    outcomes: list[AttemptOutcome] = field(default_factory=list)

    @property
    def index(self) -> int:
        return len(self.outcomes)

    @property
    def done(self) -> bool:
        return self.index >= len(self.questions)


class RehearseApp(App[None]):
    """`rehearse` with no command, and `rehearse practice`."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "rehearse"
    SUB_TITLE = "practice studio"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
    ]

    # "loading" | "ready" | one sentence saying why it failed
    model_state: reactive[str] = reactive("loading")

    def __init__(
        self,
        services: Services,
        plan: StartPlan | None = None,
        *,
        hints_provider: Callable[[Settings], list[str]] | None = _doctor_hints,
        load_model: bool = True,
    ) -> None:
        super().__init__()
        self.services = services
        self.runner = AttemptRunner(services)
        self.plan = plan or StartPlan()
        self.hints_provider = hints_provider
        self._load_model_at_start = load_model
        self.model_load_s: float | None = None

    def on_mount(self) -> None:
        from rehearse.ui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self._load_model_at_start:
            # After the first frame: importing CTranslate2 holds the GIL for a while.
            self.set_timer(FIRST_PAINT_GRACE_S, self.load_model)
        else:
            self.model_state = "ready"
        if self.plan.mode == "single":
            self.start_single(self.question_for(self.plan.question_id))
        elif self.plan.mode == "round":
            self.start_round(self.plan.round_size)

    # --- background model load -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="model")
    def load_model(self) -> None:
        start = time.perf_counter()
        try:
            self.services.load_model()
        except RehearseError as exc:
            self.post_message(ModelLoaded(exc.message))
        except Exception as exc:  # a broken model must not take the studio down
            self.post_message(
                ModelLoaded(f"The model could not load ({exc}); run `rehearse doctor`.")
            )
        else:
            self.post_message(ModelLoaded(None, time.perf_counter() - start))
            try:
                _warm_up()
            except Exception:  # only an optimisation: the first attempt pays the cost instead
                log.exception("warm-up failed")

    def on_model_loaded(self, message: ModelLoaded) -> None:
        self.model_load_s = message.seconds
        self.model_state = "ready" if message.error is None else message.error
        if message.error:
            self.notify(message.error, title="Model", severity="error", timeout=10)

    # --- the practice flow ---------------------------------------------------------------------

    def question_for(self, question_id: str | None) -> Question:
        from rehearse.questions import DEFAULT_QUESTION_ID, get_question

        return get_question(question_id or DEFAULT_QUESTION_ID)

    def next_question(self, after: Question) -> Question:
        from rehearse.questions import family

        members = family(after.family) or [after]
        ids = [q.id for q in members]
        position = ids.index(after.id) if after.id in ids else -1
        return members[(position + 1) % len(members)]

    def round_questions(self, size: int) -> list[Question]:
        from rehearse.questions import DEFAULT_QUESTION_ID, family, get_question

        members = family() or [get_question(DEFAULT_QUESTION_ID)]
        return [members[i % len(members)] for i in range(max(1, size))]

    def start_single(self, question: Question, *, replace: bool = False) -> None:
        from rehearse.ui.screens.practice import PracticeScreen

        screen = PracticeScreen(question, prep_s=self.plan.prep_s, limit_s=self.plan.limit_s)
        self.switch_screen(screen) if replace else self.push_screen(screen)

    def start_round(self, size: int | None = None) -> None:
        from rehearse.ui.screens.practice import PracticeScreen

        size = size or self.services.settings.round_size
        state = RoundState(self.round_questions(size))
        self.push_screen(
            PracticeScreen(
                state.questions[0], prep_s=self.plan.prep_s, limit_s=self.plan.limit_s, round=state
            )
        )

    def attempt_done(self, outcome: AttemptOutcome, round: RoundState | None) -> None:
        """Called by the practice screen when an attempt ends; decides what comes next."""
        from rehearse.ui.screens.practice import PracticeScreen
        from rehearse.ui.screens.results import ResultsScreen, RoundSummaryScreen

        if outcome.status == "cancelled":
            self.pop_screen()
            return
        if round is None:
            self.switch_screen(ResultsScreen.from_outcome(outcome))
            return
        round.outcomes.append(outcome)
        if round.done:
            self.switch_screen(RoundSummaryScreen(round))
        else:
            self.switch_screen(
                PracticeScreen(
                    round.questions[round.index],
                    prep_s=self.plan.prep_s,
                    limit_s=self.plan.limit_s,
                    round=round,
                )
            )

    # --- display ----------------------------------------------------------------------------------

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def run_studio(services: Services, plan: StartPlan | None = None) -> None:
    RehearseApp(services, plan).run()
