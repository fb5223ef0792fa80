"""Voice presets and voice matching: plain data, no engine needed (except where named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rehearse import locations
from rehearse.errors import RehearseError
from rehearse.speech import tts
from rehearse.speech.tts import EngineVoice, match_voice

ESPEAK_LIKE = [
    EngineVoice("gmw/en", "English (Great Britain)", ("en-gb",)),
    EngineVoice("gmw/en-us", "English (America)", ("en-us",)),
    EngineVoice("roa/fr", "French", ("fr-fr",)),
]
NATIVE_LIKE = [
    EngineVoice("com.apple.voice.compact.en-US.Samantha", "Samantha", ("en_US",)),
    EngineVoice("HKEY\\Zira", "Microsoft Zira Desktop - English (United States)", ()),
]


def write_user_preset(name: str, body: str) -> Path:
    directory = locations.user_voices_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_builtin_presets_ship_and_are_well_formed() -> None:
    presets = tts.load_presets()
    assert {"neutral", "warm", "brisk"} <= set(presets)
    for preset in presets.values():
        assert preset.builtin
        assert preset.source is not None and preset.source.name == f"{preset.name}.toml"
        assert preset.description
    # The presets differ in pace: that is what makes them distinct interviewers.
    assert presets["warm"].rate < presets["neutral"].rate < presets["brisk"].rate


def test_user_preset_overrides_builtin_and_adds_new(rehearse_home: Path) -> None:
    write_user_preset(
        "neutral", 'name = "neutral"\ndescription = "mine"\nvoice = "en-gb"\nrate = 120\n'
    )
    write_user_preset("slow", 'description = "very slow"\nvoice = "en-us"\nrate = 90\n')
    presets = tts.load_presets()
    assert presets["neutral"].rate == 120
    assert presets["neutral"].voice == "en-gb"
    assert not presets["neutral"].builtin
    assert presets["neutral"].source == locations.user_voices_dir() / "neutral.toml"
    # A file without a name takes its name from the file; volume defaults to full.
    assert presets["slow"].name == "slow" and presets["slow"].volume == 1.0
    assert presets["warm"].builtin  # untouched built-ins stay


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('name = "x"\nvoice = "en-us\n', "not valid TOML"),
        ('name = "x"\nrate = 150\n', "'voice'"),
        ('name = "x"\nvoice = "en-us"\nrate = "fast"\n', "'rate'"),
        ('name = "x"\nvoice = "en-us"\nrate = 5000\n', "'rate'"),
        ('name = "x"\nvoice = "en-us"\nvolume = 3\n', "'volume'"),
        ('name = ""\nvoice = "en-us"\n', "'name'"),
    ],
)
def test_broken_user_preset_names_file_and_problem(body: str, fragment: str) -> None:
    path = write_user_preset("broken", body)
    with pytest.raises(RehearseError) as info:
        tts.load_presets()
    message = info.value.message
    assert str(path) in message
    assert fragment in message
    assert message.count("\n") == 0


def test_get_preset_unknown_lists_known_names() -> None:
    with pytest.raises(RehearseError, match="brisk, neutral, warm"):
        tts.get_preset("shouty")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("en-us", "gmw/en-us"),  # last part of an espeak id
        ("gmw/en", "gmw/en"),  # exact id
        ("en-gb", "gmw/en"),  # a language
        ("EN-GB", "gmw/en"),  # case does not matter
        ("French", "roa/fr"),  # a name
        ("en-us+f3", "gmw/en-us+f3"),  # a known variant is kept
        ("en-us+nosuch", None),  # an unknown variant does not resolve
        ("xx-klingon", None),
    ],
)
def test_match_voice_espeak(spec: str, expected: str | None) -> None:
    assert match_voice(spec, ESPEAK_LIKE, variants={"f3", "m3"}) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("en-us", "com.apple.voice.compact.en-US.Samantha"),  # en_US language
        ("zira", "HKEY\\Zira"),  # substring of a native name
        ("en-us+f3", "com.apple.voice.compact.en-US.Samantha"),  # variant ignored natively
        ("Daniel", None),
    ],
)
def test_match_voice_native(spec: str, expected: str | None) -> None:
    assert match_voice(spec, NATIVE_LIKE, variants=None) == expected


def test_no_engine_gives_one_sentence_and_speaker_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """Edge case faked on purpose: pyttsx3.init failing (the CLI test hides the real library)."""
    import pyttsx3

    def broken_init(*args: object, **kwargs: object) -> None:
        raise RuntimeError("could not initialize espeak")

    monkeypatch.setattr(pyttsx3, "init", broken_init)
    monkeypatch.setattr(tts, "_worker", None)  # forget any engine this process already has
    preset = tts.get_preset("neutral")

    assert tts.speaker_or_none(preset) is None
    with pytest.raises(tts.SpeechUnavailable) as info:
        tts.Speaker(preset)
    assert isinstance(info.value, RehearseError)
    assert "sudo apt-get install espeak-ng" in info.value.message
    assert info.value.message.count(".") == 1  # one sentence
    with pytest.raises(tts.SpeechUnavailable):
        tts.voice_resolves(preset)
