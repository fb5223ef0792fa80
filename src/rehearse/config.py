"""Settings: a dataclass read from and written to the TOML config file.

Every key is optional; a missing key takes the default below. Unknown keys are an error,
so a typo is reported instead of silently ignored.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import tomli_w

from rehearse import locations
from rehearse.errors import RehearseError


@dataclass
class Settings:
    # Whisper model: "tiny.en" (bundled, offline), another faster-whisper name (downloads
    # when online), or a path to a CTranslate2 model directory.
    model: str = "tiny.en"
    # CTranslate2 compute type on the CPU: int8 is fastest; float32 is the most exact.
    compute_type: str = "int8"
    # CPU threads for transcription; 0 lets CTranslate2 choose.
    threads: int = 0
    # Beam size for decoding; 1 is greedy and faster, 5 is more accurate.
    beam_size: int = 5
    # Input device: a sounddevice index or a name substring; "" is the system default.
    input_device: str = ""
    # Interviewer voice preset name (see `rehearse voices`).
    voice: str = "neutral"
    # Speak questions aloud.
    speak_questions: bool = True
    # Seconds to prepare before recording starts; 0 skips the countdown.
    prep_seconds: float = 15.0
    # Seconds allowed for an answer; 0 uses the question's own limit.
    answer_seconds: float = 0.0
    # Stop recording after this many seconds of silence; 0 turns it off.
    silence_stop_seconds: float = 0.0
    # Questions in a timed round.
    round_size: int = 3
    # Name of the active company profile in the profiles dir; "" for none.
    profile: str = ""

    def to_toml(self) -> str:
        return tomli_w.dumps(dataclasses.asdict(self))


def _coerce(name: str, expected: Any, value: Any) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is bool and not isinstance(value, bool):
        raise RehearseError(f"Config key '{name}' must be true or false, not {value!r}.")
    if expected in (int, float) and (
        isinstance(value, bool) or not isinstance(value, (int, float))
    ):
        raise RehearseError(f"Config key '{name}' must be a number, not {value!r}.")
    if expected is int and isinstance(value, float):
        raise RehearseError(f"Config key '{name}' must be a whole number, not {value!r}.")
    if expected is str and not isinstance(value, str):
        raise RehearseError(f"Config key '{name}' must be text, not {value!r}.")
    return value


_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def settings_from_dict(data: dict[str, Any], source: str = "config") -> Settings:
    known = {f.name: _TYPES[str(f.type)] for f in fields(Settings)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise RehearseError(
            f"Unknown key {unknown[0]!r} in {source}; known keys are: {', '.join(known)}."
        )
    return Settings(**{k: _coerce(k, known[k], v) for k, v in data.items()})


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing file gives the defaults."""
    path = path or locations.config_file()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RehearseError(
            f"The config file {path} is not valid TOML ({exc}); fix or delete it."
        ) from None
    except OSError as exc:
        raise RehearseError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    return settings_from_dict(data, source=str(path))


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the config atomically, so a crash never leaves half a file."""
    path = path or locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(settings.to_toml(), encoding="utf-8")
    tmp.replace(path)
    return path
