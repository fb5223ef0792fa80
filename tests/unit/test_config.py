from __future__ import annotations

from pathlib import Path

import pytest

from rehearse import locations
from rehearse.config import Settings, load_settings, save_settings
from rehearse.errors import RehearseError


def test_rehearse_home_holds_config_and_data(rehearse_home: Path) -> None:
    assert locations.config_file() == rehearse_home / "config.toml"
    assert locations.database_file() == rehearse_home / "rehearse.db"
    assert locations.audio_dir().parent == rehearse_home


def test_missing_config_gives_defaults() -> None:
    assert load_settings() == Settings()


def test_settings_round_trip() -> None:
    changed = Settings(model="base.en", threads=2, voice="warm", prep_seconds=5, input_device="3")
    save_settings(changed)
    assert load_settings() == changed


def test_integer_accepted_for_float_key() -> None:
    locations.config_file().write_text("prep_seconds = 10\n")
    assert load_settings().prep_seconds == 10.0


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("modle = 'tiny.en'\n", "Unknown key 'modle'"),
        ("threads = 'two'\n", "'threads' must be a number"),
        ("threads = 1.5\n", "'threads' must be a whole number"),
        ("speak_questions = 1\n", "'speak_questions' must be true or false"),
        ("model = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(body: str, needle: str) -> None:
    locations.config_file().write_text(body)
    with pytest.raises(RehearseError, match=needle):
        load_settings()


def test_private_dir_is_owner_only(tmp_path: Path) -> None:
    target = locations.ensure_private_dir(tmp_path / "audio")
    assert target.stat().st_mode & 0o777 == 0o700
