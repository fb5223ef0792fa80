"""`rehearse voices` and `rehearse say`, run as a user runs them (real espeak-ng)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from conftest import RunCli


def user_preset(home: Path, name: str, body: str) -> Path:
    directory = home / "voices"  # REHEARSE_HOME puts the config dir at home
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.toml"
    path.write_text(body, encoding="utf-8")
    return path


def assert_one_sentence_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rehearse: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_voices_lists_builtins_resolving(run_cli: RunCli) -> None:
    result = run_cli("voices", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["engine_error"] is None
    rows = {row["name"]: row for row in data["presets"]}
    assert {"neutral", "warm", "brisk"} <= set(rows)
    for row in rows.values():
        assert row["resolves"] is True
        assert row["source"] == "built-in"
        assert row["engine_voice"]
    table = run_cli("voices")
    assert table.returncode == 0
    for name in rows:
        assert name in table.stdout
    assert "not available" not in table.stdout


def test_voices_shows_user_override_and_unresolvable(run_cli: RunCli, rehearse_home: Path) -> None:
    path = user_preset(
        rehearse_home, "warm", 'name = "warm"\ndescription = "Mine"\nvoice = "en-us"\nrate = 123\n'
    )
    user_preset(rehearse_home, "alien", 'description = "x"\nvoice = "xx-klingon"\nrate = 150\n')
    rows = {
        r["name"]: r for r in json.loads(run_cli("voices", "--format", "json").stdout)["presets"]
    }
    assert rows["warm"]["rate"] == 123
    assert rows["warm"]["source"] == "user"
    assert rows["warm"]["path"] == str(path)
    assert rows["alien"]["resolves"] is False
    table = run_cli("voices").stdout
    assert "not available here" in table
    assert str(path) in table


def test_broken_user_preset_is_one_sentence(run_cli: RunCli, rehearse_home: Path) -> None:
    path = user_preset(rehearse_home, "bad", 'name = "bad"\nvoice = "en-us"\nrate = "quick"\n')
    assert_one_sentence_error(run_cli("voices"), str(path), "'rate'")
    assert_one_sentence_error(run_cli("say", "Hello", "--out", "x.wav"), str(path))


def test_say_out_writes_a_wav_and_keeps_stdout_clean(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "question.wav"
    result = run_cli("say", "What are your career goals?", "--voice", "brisk", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # pyttsx3's "Audio saved to ..." must not leak
    with wave.open(str(out), "rb") as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 1.0 < seconds < 4.0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("say", "Hi", "--voice", "shouty"), ("Unknown voice 'shouty'", "neutral")),
        (("say", "   "), ("nothing to say",)),
        (("say", "Hi", "--out", "/nonexistent-dir/q.wav"), ("Cannot write", "writable")),
    ],
)
def test_say_bad_input(run_cli: RunCli, args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_one_sentence_error(run_cli(*args), *fragments)


def test_say_unresolvable_preset(run_cli: RunCli, rehearse_home: Path, tmp_path: Path) -> None:
    user_preset(rehearse_home, "alien", 'voice = "xx-klingon"\nrate = 150\n')
    out = tmp_path / "q.wav"
    assert_one_sentence_error(run_cli("say", "Hi", "--voice", "alien", "--out", str(out)), "alien")
    assert not out.exists()


def test_say_out_to_a_read_only_dir(run_cli: RunCli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert_one_sentence_error(run_cli("say", "Hi", "--out", str(locked / "q.wav")), "writable")


def hide_espeak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make dlopen("libespeak-ng.so.1") in child processes find a broken stand-in first."""
    fake = tmp_path / "no-espeak"
    fake.mkdir()
    for name in ("libespeak-ng.so.1", "libespeak.so.1"):
        (fake / name).write_bytes(b"")
    monkeypatch.setenv("LD_LIBRARY_PATH", str(fake))


@pytest.mark.skipif(sys.platform != "linux", reason="hides the library the Linux way")
def test_no_engine_is_one_sentence_exit_2(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_espeak(tmp_path, monkeypatch)
    for args in (["say", "Hello"], ["say", "Hello", "--out", str(tmp_path / "q.wav")]):
        result = run_cli(*args)
        assert_one_sentence_error(result, "No speech engine", "sudo apt-get install espeak-ng")
    assert not (tmp_path / "q.wav").exists()
    # Listing still works: every preset is shown as unavailable, with the fix on stderr.
    listing = run_cli("voices", "--format", "json")
    assert listing.returncode == 0
    data = json.loads(listing.stdout)
    assert "espeak-ng" in data["engine_error"]
    assert not any(row["resolves"] for row in data["presets"])
    # And a program that wants a voice gets None, not a crash.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rehearse.speech.tts import get_preset, speaker_or_none;"
            "print(speaker_or_none(get_preset('neutral')))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "None"


def sink_running(sink: str) -> bool:
    """Whether something is playing into the sink right now."""
    listing = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True)
    return any(
        line.split("\t")[1:2] == [sink] and line.rstrip().endswith("RUNNING")
        for line in listing.stdout.splitlines()
    )


@pytest.mark.audio
def test_ctrl_c_stops_speech_cleanly(pulse: str, rehearse_home: Path) -> None:
    text = " ".join(["Tell me about the hardest problem you have solved at work."] * 3)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rehearse", "say", text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "REHEARSE_HOME": str(rehearse_home)},
    )
    # Interrupt once the voice is actually playing (a fixed sleep raced start-up on a busy CI).
    deadline = time.monotonic() + 15
    while not sink_running(pulse) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # a little speech
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    # alsa-lib itself may log underruns on a loaded machine; everything else is ours.
    ours = [line for line in err.splitlines() if line.strip() and not line.startswith("ALSA lib")]
    assert ours == ["Stopped."]
