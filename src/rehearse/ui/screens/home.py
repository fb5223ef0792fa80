"""Home: start practising, review, settings; the active set-up at a glance; first-run hints."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from rehearse.ui.messages import HintsReady

if TYPE_CHECKING:
    from rehearse.ui.app import RehearseApp


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "practice", "Practice"),
        Binding("t", "round", "Timed round"),
        Binding("v", "review", "Review"),
        Binding("s", "settings", "Settings"),
        Binding("q", "app.quit", "Quit"),
    ]

    @property
    def studio(self) -> RehearseApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        size = self.studio.services.settings.round_size
        yield Header()
        with Vertical(id="home"):
            yield Static(
                Text.assemble(
                    ("Rehearse your answer out loud. ", "bold"),
                    "You hear the question, prepare, answer, and get feedback on what "
                    "interviewers listen for.",
                ),
                id="welcome",
            )
            with Horizontal(id="home-body"):
                with Vertical(id="actions"):
                    yield Button(
                        "Practice one question  p", id="practice", variant="primary", compact=True
                    )
                    yield Button(f"Timed round of {size}  t", id="round", compact=True)
                    yield Button("Review past attempts  v", id="review", compact=True)
                    yield Button("Profiles & settings  s", id="settings", compact=True)
                yield Static(self._glance(), id="glance")
            yield Static("", id="hints")
        yield Footer()

    def _glance(self) -> Text:
        services = self.studio.services
        s = services.settings
        profile = services.profile
        state = self.studio.model_state
        model_state = {"loading": "loading…", "ready": "ready"}.get(state, "not available")
        mic = (
            f"file {services.input_file.name}"
            if services.input_file
            else (s.input_device or "system default")
        )
        rows = [
            ("Profile", f"{profile.company} · {profile.role}" if profile else "none (general)"),
            ("Voice", "off" if services.no_tts else s.voice),
            ("Mic", mic),
            ("Model", f"{s.model} ({model_state})"),
            (
                "Timing",
                f"prep {s.prep_seconds:g} s, silence stop "
                f"{f'{s.silence_stop_seconds:g} s' if s.silence_stop_seconds else 'off'}",
            ),
        ]
        out = Text()
        out.append("At a glance\n", style="bold")
        for label, value in rows:
            out.append(f"{label:<8}", style="dim")
            out.append(f"{value}\n")
        return out

    def on_mount(self) -> None:
        self.watch(self.studio, "model_state", self._refresh_glance, init=False)
        self.query_one("#hints").display = False
        if self.studio.hints_provider is not None:
            from rehearse.ui.app import FIRST_PAINT_GRACE_S

            self.set_timer(FIRST_PAINT_GRACE_S, self.find_hints)

    def on_screen_resume(self) -> None:
        self._refresh_glance()

    def _refresh_glance(self, *_: object) -> None:
        self.query_one("#glance", Static).update(self._glance())

    @work(thread=True, exclusive=True, group="hints")
    def find_hints(self) -> None:
        provider = self.studio.hints_provider
        assert provider is not None
        try:
            found = provider(self.studio.services.settings)
        except Exception as exc:  # hints are advice; a failing check must not break home
            found = [f"the set-up checks failed ({exc}); run `rehearse doctor`"]
        self.post_message(HintsReady(found))

    def on_hints_ready(self, message: HintsReady) -> None:
        hints = self.query_one("#hints", Static)
        if not message.hints:
            hints.display = False
            return
        out = Text()
        out.append("Before you start\n", style="bold yellow")
        for hint in message.hints:
            out.append(f"• {hint}\n")
        hints.update(out)
        hints.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = {
            "practice": self.action_practice,
            "round": self.action_round,
            "review": self.action_review,
            "settings": self.action_settings,
        }
        action[event.button.id or ""]()

    def action_practice(self) -> None:
        self.studio.start_single(self.studio.question_for(self.studio.plan.question_id))

    def action_round(self) -> None:
        self.studio.start_round()

    def action_review(self) -> None:
        from rehearse.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_settings(self) -> None:
        from rehearse.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
