"""Every path rehearse reads or writes. REHEARSE_HOME=DIR puts all of them under DIR."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "rehearse"


def _home() -> Path | None:
    value = os.environ.get("REHEARSE_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    return home if home else user_config_path(APP)


def data_dir() -> Path:
    home = _home()
    return home if home else user_data_path(APP)


def config_file() -> Path:
    return config_dir() / "config.toml"


def profiles_dir() -> Path:
    return config_dir() / "profiles"


def user_voices_dir() -> Path:
    return config_dir() / "voices"


def database_file() -> Path:
    return data_dir() / "rehearse.db"


def audio_dir() -> Path:
    return data_dir() / "audio"


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only: recordings are personal."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path
