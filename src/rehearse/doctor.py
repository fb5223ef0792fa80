"""Health checks of everything rehearse needs on this machine. Each check says ok or names the fix.

Used by `rehearse doctor` and by the studio's first-run hints.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass

from rehearse import locations
from rehearse.config import Settings
from rehearse.errors import RehearseError


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    ok: bool
    detail: str
    # What to do about it; empty when ok.
    fix: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_portaudio() -> CheckOutcome:
    try:
        import sounddevice as sd
    except OSError:
        return CheckOutcome(
            "portaudio",
            False,
            "the PortAudio library is missing",
            "sudo apt-get install libportaudio2 (macOS: brew install portaudio)",
        )
    return CheckOutcome("portaudio", True, sd.get_portaudio_version()[1])


def check_input_device(settings: Settings) -> CheckOutcome:
    from rehearse.speech.capture import describe_input_device

    try:
        detail = describe_input_device(settings.input_device or None)
    except RehearseError as exc:
        return CheckOutcome("microphone", False, "no usable input device", exc.message)
    return CheckOutcome("microphone", True, detail)


def check_voice(settings: Settings) -> CheckOutcome:
    from rehearse.speech.tts import get_preset, voice_resolves

    try:
        preset = get_preset(settings.voice)
        resolved = voice_resolves(preset)
    except RehearseError as exc:
        return CheckOutcome("voice", False, "no interviewer voice", exc.message)
    if not resolved:
        return CheckOutcome(
            "voice",
            False,
            f"preset '{preset.name}' asks for '{preset.voice}', not installed here",
            "pick another preset with `rehearse voices`, or set voice in the config file",
        )
    return CheckOutcome("voice", True, f"preset '{preset.name}' ({preset.voice})")


def check_model(settings: Settings) -> CheckOutcome:
    from rehearse.speech.transcribe import resolve_model

    try:
        where = resolve_model(settings.model)
    except RehearseError as exc:
        return CheckOutcome(
            "model", False, f"model '{settings.model}' is not available", exc.message
        )
    return CheckOutcome("model", True, f"{settings.model} at {where}")


def check_data_dir() -> CheckOutcome:
    path = locations.data_dir()
    try:
        locations.ensure_private_dir(path)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as exc:
        return CheckOutcome(
            "data dir",
            False,
            f"{path} is not writable ({exc.strerror})",
            "set REHEARSE_HOME to a writable folder, or fix the folder's permissions",
        )
    return CheckOutcome("data dir", True, str(path))


def run_checks(settings: Settings) -> list[CheckOutcome]:
    checks: list[Callable[[], CheckOutcome]] = [
        check_portaudio,
        lambda: check_input_device(settings),
        lambda: check_voice(settings),
        lambda: check_model(settings),
        check_data_dir,
    ]
    outcomes = []
    for check in checks:
        try:
            outcomes.append(check())
        except Exception as exc:  # a broken check must not hide the others
            name = getattr(check, "__name__", "check").removeprefix("check_")
            outcomes.append(CheckOutcome(name, False, f"the check itself failed: {exc}", ""))
    return outcomes


def hints(settings: Settings) -> list[str]:
    """One line per failing check, for the studio's home screen."""
    return [f"{o.name}: {o.detail} — {o.fix}" for o in run_checks(settings) if not o.ok]


__all__ = ["CheckOutcome", "hints", "run_checks"]
