"""Profiles and settings: voice (with preview), input device (with a live meter), model, time
limits, silence stop; company profiles to create, edit, select and delete. Saved to the config."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    Switch,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from rehearse.domain import Profile
from rehearse.errors import RehearseError
from rehearse.ui.messages import LevelUpdate
from rehearse.ui.screens.confirm import ConfirmScreen
from rehearse.ui.widgets.meter import LevelMeter

if TYPE_CHECKING:
    from rehearse.ui.app import RehearseApp

PREVIEW_TEXT = "What are your career goals?"
NUMBER_FIELDS = {
    "prep_seconds": ("Prep countdown (s, 0 skips it)", float),
    "answer_seconds": ("Answer limit (s, 0 uses the question's)", float),
    "silence_stop_seconds": ("Stop after silence (s, 0 is off)", float),
    "round_size": ("Questions in a timed round", int),
}


class SettingsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._meter_stop: threading.Event | None = None
        self._editing: str = ""  # name of the profile in the form; "" for a new one

    @property
    def studio(self) -> RehearseApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.studio.services.settings
        yield Header()
        with TabbedContent(id="settings-tabs"):
            with TabPane("Settings", id="tab-settings"), VerticalScroll(id="settings-form"):
                yield Label("Interviewer voice")
                with Horizontal(classes="row"):
                    yield Select[str](
                        [(s.voice, s.voice)],
                        value=s.voice,
                        id="voice",
                        allow_blank=False,
                        compact=True,
                    )
                    yield Button("Preview", id="preview")
                yield Label("Speak questions aloud")
                yield Switch(value=s.speak_questions, id="speak")
                yield Label("Microphone")
                with Horizontal(classes="row"):
                    yield Select[str](
                        [("system default", "")],
                        value=s.input_device or "",
                        id="device",
                        allow_blank=False,
                        compact=True,
                    )
                    yield Button("Test mic", id="test-mic")
                yield LevelMeter(id="settings-meter")
                yield Label("Whisper model (tiny.en is bundled; a name or a folder path)")
                yield Input(s.model, id="model", compact=True)
                for key, (label, kind) in NUMBER_FIELDS.items():
                    yield Label(label)
                    yield Input(
                        f"{getattr(s, key):g}",
                        id=key,
                        type="integer" if kind is int else "number",
                        compact=True,
                    )
                yield Button("Save settings  ctrl+s", id="save", variant="primary")
            with TabPane("Profiles", id="tab-profiles"), Horizontal():
                yield OptionList(id="profile-list")
                with VerticalScroll(id="profile-form"):
                    yield Label("Company")
                    yield Input(id="p-company", compact=True)
                    yield Label("Role")
                    yield Input(id="p-role", compact=True)
                    yield Label("Values (comma-separated)")
                    yield Input(id="p-values", compact=True)
                    yield Label("Description")
                    yield Input(id="p-description", compact=True)
                    with Horizontal(classes="row"):
                        yield Button("New", id="p-new")
                        yield Button("Save", id="p-save", variant="primary")
                    with Horizontal(classes="row"):
                        yield Button("Use", id="p-use", variant="success")
                        yield Button("Delete", id="p-delete", variant="error")
                    yield Static("", id="p-active")
        yield Footer()

    def on_mount(self) -> None:
        self.load_choices()
        self._refresh_profiles()

    # --- voices and devices are listed off the UI thread (PortAudio can be slow to answer) ---

    @work(thread=True, exclusive=True, group="settings-choices")
    def load_choices(self) -> None:
        voices: list[str] = []
        devices: list[tuple[str, str]] = []
        try:
            from rehearse.speech.tts import load_presets

            voices = sorted(load_presets())
        except RehearseError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
        try:
            from rehearse.speech.capture import list_input_devices

            devices = [(f"{d.index}: {d.name}", str(d.index)) for d in list_input_devices()]
        except RehearseError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="warning")
        self.app.call_from_thread(self._set_choices, voices, devices)

    def _set_choices(self, voices: list[str], devices: list[tuple[str, str]]) -> None:
        s = self.studio.services.settings
        if voices:
            voice = self.query_one("#voice", Select)
            voice.set_options([(v, v) for v in voices])
            if s.voice in voices:
                voice.value = s.voice
        device = self.query_one("#device", Select)
        options = [("system default", ""), *devices]
        known = {value for _, value in options}
        if s.input_device and s.input_device not in known:
            options.append((s.input_device, s.input_device))
        device.set_options(options)
        device.value = s.input_device or ""

    # --- buttons -------------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        handlers = {
            "preview": self._preview,
            "test-mic": self._toggle_meter,
            "save": self.action_save,
            "p-new": self._new_profile,
            "p-save": self._save_profile,
            "p-use": self._use_profile,
            "p-delete": self._delete_profile,
        }
        handler = handlers.get(event.button.id or "")
        if handler is not None:
            handler()

    def _preview(self) -> None:
        voice = self.query_one("#voice", Select).value
        if isinstance(voice, str):
            self.preview_voice(voice)

    @work(thread=True, exclusive=True, group="preview")
    def preview_voice(self, name: str) -> None:
        from rehearse.speech.tts import Speaker, get_preset

        try:
            with Speaker(get_preset(name)) as speaker:
                speaker.say(PREVIEW_TEXT)
        except RehearseError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")

    def _toggle_meter(self) -> None:
        if self._meter_stop is not None:
            self._stop_meter()
            return
        self._meter_stop = threading.Event()
        device = self.query_one("#device", Select).value
        self.run_meter(str(device) if isinstance(device, str) else "", self._meter_stop)

    def _stop_meter(self) -> None:
        if self._meter_stop is not None:
            self._meter_stop.set()
            self._meter_stop = None
        self.query_one("#settings-meter", LevelMeter).level_dbfs = None

    @work(thread=True, exclusive=True, group="meter")
    def run_meter(self, device: str, stop: threading.Event) -> None:
        """Open the chosen mic without writing a file and report its level until stopped."""
        from rehearse.speech.capture import MicrophoneSource, Recorder

        try:
            chosen: str | int | None = int(device) if device.isdigit() else (device or None)
            recorder = Recorder(MicrophoneSource(chosen), None, max_seconds=120)
            recorder.start()
        except RehearseError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        try:
            while not stop.wait(0.1) and recorder.running:
                self.post_message(LevelUpdate(recorder.level_dbfs))
        finally:
            recorder.stop()
            recorder.wait(2)
        self.post_message(LevelUpdate(None))

    def on_level_update(self, message: LevelUpdate) -> None:
        self.query_one("#settings-meter", LevelMeter).level_dbfs = message.level_dbfs

    def on_screen_suspend(self) -> None:
        self._stop_meter()

    # --- settings ------------------------------------------------------------------------------

    def action_save(self) -> None:
        from rehearse.config import save_settings

        services = self.studio.services
        values: dict[str, object] = {}
        for key, (label, kind) in NUMBER_FIELDS.items():
            raw = self.query_one(f"#{key}", Input).value.strip() or "0"
            try:
                number = kind(float(raw)) if kind is int else float(raw)
            except ValueError:
                self.notify(f"{label}: '{raw}' is not a number.", severity="error")
                return
            if number < 0:
                self.notify(f"{label}: must be 0 or more.", severity="error")
                return
            values[key] = number
        if int(values["round_size"]) < 1:  # type: ignore[call-overload]
            self.notify("A timed round needs at least one question.", severity="error")
            return
        voice = self.query_one("#voice", Select).value
        device = self.query_one("#device", Select).value
        new = dataclasses.replace(
            services.settings,
            voice=voice if isinstance(voice, str) else services.settings.voice,
            input_device=device if isinstance(device, str) else "",
            speak_questions=self.query_one("#speak", Switch).value,
            model=self.query_one("#model", Input).value.strip() or "tiny.en",
            **values,  # type: ignore[arg-type]
        )
        try:
            path = save_settings(new)
        except OSError as exc:
            self.notify(f"Cannot write the config file: {exc.strerror}.", severity="error")
            return
        model_changed = new.model != services.settings.model
        services.settings = new
        services.reset_speaker()
        if model_changed:
            self.notify("The new model is used the next time rehearse starts.", timeout=6)
        self.notify(f"Saved to {path}.", timeout=4)

    # --- profiles ------------------------------------------------------------------------------

    def _refresh_profiles(self) -> None:
        from rehearse.profiles import list_profiles

        self._profiles = {p.name: p for p in list_profiles()}
        plist = self.query_one("#profile-list", OptionList)
        plist.clear_options()
        plist.add_options(
            [Option(f"{p.company} · {p.role}", id=name) for name, p in self._profiles.items()]
        )
        active = self.studio.services.profile
        text = f"Active: {active.company} · {active.role}" if active else "Active: none"
        self.query_one("#p-active", Static).update(Text(text, style="bold"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        profile = self._profiles.get(event.option.id or "")
        if profile is None:
            return
        self._editing = profile.name
        self.query_one("#p-company", Input).value = profile.company
        self.query_one("#p-role", Input).value = profile.role
        self.query_one("#p-values", Input).value = ", ".join(profile.values)
        self.query_one("#p-description", Input).value = profile.description

    def _form_profile(self) -> Profile | None:
        company = self.query_one("#p-company", Input).value.strip()
        role = self.query_one("#p-role", Input).value.strip()
        if not company or not role:
            self.notify("A profile needs a company and a role.", severity="error")
            return None
        values = tuple(
            v.strip() for v in self.query_one("#p-values", Input).value.split(",") if v.strip()
        )
        description = self.query_one("#p-description", Input).value.strip()
        return Profile(company, role, values, description, name=self._editing)

    def _new_profile(self) -> None:
        self._editing = ""
        for field in ("company", "role", "values", "description"):
            self.query_one(f"#p-{field}", Input).value = ""
        self.query_one("#p-company", Input).focus()

    def _save_profile(self) -> Path | None:
        from rehearse.profiles import save_profile

        profile = self._form_profile()
        if profile is None:
            return None
        try:
            path = save_profile(profile)
        except (RehearseError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return None
        self._editing = path.stem
        self._refresh_profiles()
        self.notify(f"Profile saved: {path.stem}.", timeout=4)
        return path

    def _use_profile(self) -> None:
        from rehearse.config import save_settings
        from rehearse.profiles import load_profile

        path = self._save_profile()
        if path is None:
            return
        services = self.studio.services
        services.profile = load_profile(path.stem)
        services.settings = dataclasses.replace(services.settings, profile=path.stem)
        save_settings(services.settings)
        self._refresh_profiles()

    def _delete_profile(self) -> None:
        from rehearse.profiles import delete_profile

        name = self._editing
        if not name:
            self.notify("Pick a saved profile first.", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                delete_profile(name)
            except RehearseError as exc:
                self.notify(exc.message, severity="error")
                return
            services = self.studio.services
            if services.profile is not None and services.profile.name == name:
                from rehearse.config import save_settings

                services.profile = None
                services.settings = dataclasses.replace(services.settings, profile="")
                save_settings(services.settings)
            self._new_profile()
            self._refresh_profiles()

        self.app.push_screen(ConfirmScreen(f"Delete the profile '{name}'?", "Delete"), answer)

    def action_back(self) -> None:
        self._stop_meter()
        self.app.pop_screen()
