"""The interviewer's voice: presets (TOML) and a Speaker that owns the pyttsx3 engine.

pyttsx3 engines must be created and driven from one thread, and espeak-ng keeps process-wide
state (one synth callback, initialised once). So the process has ONE engine thread, fed by a
queue, that holds a strong reference to the engine; every Speaker sends its jobs there.

Why we play audio ourselves on Linux: pyttsx3 2.99's espeak driver synthesises the whole
utterance into a buffer, then runs `aplay` through os.system() inside the synth callback, where
nothing can interrupt it (engine.stop() only acts while espeak itself is playing, which never
happens in retrieval mode). So for espeak we render to a WAV (fast, about 50x real time) and play
it through sounddevice in small blocks, checking the cancel flag between blocks. Native engines
(macOS nsss, Windows sapi5) speak themselves and are stopped with engine.stop() from a word
callback, which runs on the engine thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rehearse import locations
from rehearse.errors import RehearseError

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "brew install espeak-ng" if sys.platform == "darwin" else "sudo apt-get install espeak-ng"
)
# How often playback checks for a cancel: the most a cancelled say() keeps sounding.
_POLL_SECONDS = 0.02
# Output buffer: generous, because abort() drops it at once and a busy machine underruns less.
_LATENCY_SECONDS = 0.3
_TAIL_SECONDS = 0.6


class SpeechUnavailable(RehearseError):
    """No speech engine (or no audio output) on this machine; callers can show text instead."""


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class VoicePreset:
    """An interviewer voice. `voice` is an engine voice id or a language ("en-us"), optionally
    with an espeak variant ("en-us+f3"); on macOS/Windows a substring of a native voice name."""

    name: str
    description: str
    voice: str
    rate: int  # words per minute
    volume: float  # 0..1
    source: Path | None = None
    builtin: bool = True


def package_voices_dir() -> Path:
    """The shipped presets: inside the wheel, or the repo's voices/ for editable installs."""
    import importlib.resources

    import rehearse

    packaged = importlib.resources.files("rehearse") / "voices"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(rehearse.__file__).resolve().parents[2] / "voices"


def load_preset_file(path: Path, builtin: bool = False) -> VoicePreset:
    """Read one preset TOML; RehearseError with the file and the problem if it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RehearseError(f"Cannot read voice preset {path}: {exc}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RehearseError(
            f"Voice preset {path} is not valid TOML ({exc}); fix or delete it."
        ) from exc

    def bad(what: str) -> RehearseError:
        return RehearseError(f"Voice preset {path}: {what}; fix or delete the file.")

    name = data.get("name", path.stem)
    voice = data.get("voice")
    description = data.get("description", "")
    rate = data.get("rate", 170)
    volume = data.get("volume", 1.0)
    if not isinstance(name, str) or not name.strip():
        raise bad("'name' must be a non-empty string")
    if not isinstance(voice, str) or not voice.strip():
        raise bad("'voice' must be an engine voice or language such as \"en-us\"")
    if not isinstance(description, str):
        raise bad("'description' must be a string")
    if isinstance(rate, bool) or not isinstance(rate, int) or not 60 <= rate <= 450:
        raise bad("'rate' must be a whole number of words per minute between 60 and 450")
    if isinstance(volume, bool) or not isinstance(volume, int | float) or not 0 <= volume <= 1:
        raise bad("'volume' must be a number between 0 and 1")
    return VoicePreset(
        name=name.strip(),
        description=description.strip(),
        voice=voice.strip(),
        rate=rate,
        volume=float(volume),
        source=path,
        builtin=builtin,
    )


def load_presets() -> dict[str, VoicePreset]:
    """Built-in presets, then user presets (config dir) adding to or overriding them by name."""
    presets: dict[str, VoicePreset] = {}
    for directory, builtin in ((package_voices_dir(), True), (locations.user_voices_dir(), False)):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            preset = load_preset_file(path, builtin=builtin)
            presets[preset.name] = preset
    return presets


def get_preset(name: str) -> VoicePreset:
    presets = load_presets()
    try:
        return presets[name]
    except KeyError:
        known = ", ".join(sorted(presets)) or "none"
        raise RehearseError(
            f"Unknown voice {name!r}; choose one of: {known} (see `rehearse voices`)."
        ) from None


# --------------------------------------------------------------------------- voice matching


@dataclass(frozen=True)
class EngineVoice:
    id: str
    name: str
    languages: tuple[str, ...] = ()


def match_voice(
    spec: str, voices: list[EngineVoice], variants: set[str] | None = None
) -> str | None:
    """The engine voice id (plus "+variant") a preset's `voice` names, or None.

    Tried in order, case-insensitively: an exact id, the last part of an espeak id
    ("gmw/en-us" -> "en-us"), a language, an exact name, then a substring of a name
    (native voices such as "Samantha" or "Zira"). `variants` (espeak only) validates "+f3";
    engines without variants ignore the "+..." part. "en_US" and "en-us" are the same language.
    """
    base, _, variant = spec.partition("+")
    base = base.strip().lower().replace("_", "-")
    if variants is None:
        variant = ""
    elif variant and variant.lower() not in variants:
        return None
    tests = (
        lambda v: v.id.lower() == base,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == base,
        lambda v: base in (lang.lower().replace("_", "-") for lang in v.languages),
        lambda v: v.name.lower() == base,
        lambda v: base in v.name.lower(),
    )
    for test in tests:
        for v in voices:
            if test(v):
                return f"{v.id}+{variant}" if variant else v.id
    return None


# --------------------------------------------------------------------------- the engine thread


@dataclass(eq=False)  # identity hash: jobs live in a set
class _Job:
    kind: str  # "speak" | "save" | "voices"
    text: str = ""
    path: Path | None = None
    preset: VoicePreset | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    user_cancel: threading.Event | None = None
    started: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None

    def cancelled(self) -> bool:
        return self.cancel.is_set() or (self.user_cancel is not None and self.user_cancel.is_set())


def _quiet_print(*args: object, **kwargs: object) -> None:
    # pyttsx3 2.99's espeak driver prints "Audio saved to ..." on stdout; keep it off ours.
    log.debug(" ".join(str(a) for a in args))


class _EngineThread(threading.Thread):
    """Creates the pyttsx3 engine and runs every job on it, one at a time."""

    def __init__(self) -> None:
        super().__init__(name="rehearse-tts", daemon=True)
        self.jobs: queue.Queue[_Job | None] = queue.Queue()
        self.ready = threading.Event()
        self.init_error: BaseException | None = None
        self.engine: Any = None  # strong reference: pyttsx3 only keeps weak ones
        self.driver = ""
        self.voices: list[EngineVoice] = []
        self.variants: set[str] | None = None
        self._errors: list[BaseException] = []
        self._synchronize: Any = lambda: None

    def run(self) -> None:
        try:
            self._start_engine()
        except BaseException as exc:  # any failure here means "no engine"
            self.init_error = exc
            self.ready.set()
            return
        self.ready.set()
        while True:
            job = self.jobs.get()
            if job is None:
                return
            job.started.set()
            try:
                if job.cancelled():
                    job.result = False
                elif job.kind == "voices":
                    job.result = (list(self.voices), self.variants)
                elif job.kind == "save":
                    assert job.path is not None and job.preset is not None
                    self._render(job.text, job.path, job.preset)
                    job.result = True
                else:
                    job.result = self._speak(job)
            except BaseException as exc:
                job.error = exc
            finally:
                job.done.set()

    def _start_engine(self) -> None:
        import pyttsx3

        engine = pyttsx3.init()
        self.engine = engine
        self.driver = str(getattr(engine, "driver_name", "") or "")
        engine.connect("error", lambda name=None, exception=None: self._errors.append(exception))
        self.voices = [
            EngineVoice(
                id=str(v.id),
                name=str(v.name or ""),
                languages=tuple(str(lang) for lang in (v.languages or []) if lang),
            )
            for v in engine.getProperty("voices")
        ]
        if self.driver == "espeak":
            import ctypes

            from pyttsx3.drivers import _espeak, espeak

            espeak.print = _quiet_print  # type: ignore[attr-defined]
            self._synchronize = _espeak.Synchronize
            # An empty run leaves pyttsx3's proxy idle, so later property changes reach espeak
            # at once (the first run would otherwise queue them inside the loop).
            engine.runAndWait()
            spec = _espeak.VOICE()
            spec.languages = b"variant"
            self.variants = {
                v.identifier.decode("utf-8", "replace").rsplit("/", 1)[-1].lower()
                for v in _espeak.ListVoices(ctypes.pointer(spec))
            }

    def _apply(self, preset: VoicePreset) -> None:
        voice_id = match_voice(preset.voice, self.voices, self.variants)
        if voice_id is None:
            raise RehearseError(
                f"Voice preset {preset.name!r} asks for voice {preset.voice!r}, which this "
                "machine's speech engine does not have; pick another preset or edit its 'voice'."
            )
        self._errors.clear()  # pyttsx3 reports a failed setProperty through the error event
        self._synchronize()
        self.engine.setProperty("voice", voice_id)
        self.engine.setProperty("rate", preset.rate)
        self.engine.setProperty("volume", preset.volume)

    def _run_engine(self) -> None:
        # espeak-ng runs commands on its own thread in retrieval mode. pyttsx3 2.99 cancels
        # whatever espeak still has queued when a run starts, which silently drops a rate or
        # volume change (and sometimes the whole utterance), so wait for espeak to be idle
        # before and after each run.
        self._synchronize()
        self.engine.runAndWait()
        self._synchronize()
        if self._errors:
            raise self._errors[0]

    def _render(self, text: str, path: Path, preset: VoicePreset) -> None:
        self._apply(preset)
        self.engine.save_to_file(text, str(path))
        self._run_engine()

    def _speak(self, job: _Job) -> bool:
        assert job.preset is not None
        if self.driver != "espeak":
            return self._speak_native(job)
        fd, name = tempfile.mkstemp(prefix="rehearse-say-", suffix=".wav")
        os.close(fd)
        try:
            self._render(job.text, Path(name), job.preset)
            if job.cancelled():
                return False
            return _play_wav(Path(name), job.cancelled)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)

    def _speak_native(self, job: _Job) -> bool:
        # The word callback runs on this thread, inside runAndWait: the documented place to stop.
        assert job.preset is not None
        stopped = False

        def on_word(name: object = None, location: int = 0, length: int = 0) -> None:
            nonlocal stopped
            if job.cancelled() and not stopped:
                stopped = True
                self.engine.stop()

        token = self.engine.connect("started-word", on_word)
        try:
            self._apply(job.preset)
            self.engine.say(job.text)
            self._run_engine()
        finally:
            self.engine.disconnect(token)
        return not (stopped or job.cancelled())


_use_paplay: bool | None = None  # decided on first playback


def _play_wav(path: Path, cancelled: Callable[[], bool]) -> bool:
    """Play a 16-bit mono WAV on the default output; False if `cancelled()` became true.

    On Linux, paplay (PulseAudio or PipeWire) when there is a sound server: it plays in real
    time even on a loaded machine, where PortAudio's ALSA-to-Pulse route underruns and then
    races through the rest of the buffer, dropping the speech. Otherwise PortAudio.
    """
    global _use_paplay
    if _use_paplay is None:
        _use_paplay = sys.platform.startswith("linux") and shutil.which("paplay") is not None
    if _use_paplay:
        outcome = _play_with_paplay(path, cancelled)
        if outcome is not None:
            return outcome
        _use_paplay = False  # no sound server here: PortAudio talks to ALSA directly
    return _play_with_portaudio(path, cancelled)


def _play_with_paplay(path: Path, cancelled: Callable[[], bool]) -> bool | None:
    """True when played, False when cancelled, None when paplay could not play."""
    # Its own session, so a Ctrl-C in the terminal reaches us (and we stop it), not paplay.
    proc = subprocess.Popen(
        ["paplay", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    while True:
        try:
            proc.wait(_POLL_SECONDS)
            break
        except subprocess.TimeoutExpired:
            if cancelled():
                proc.kill()
                proc.wait()
                return False
    if proc.returncode == 0:
        return True
    assert proc.stderr is not None
    log.debug(
        "paplay failed (%s): %s", proc.returncode, proc.stderr.read().decode(errors="replace")
    )
    return None


def _play_with_portaudio(path: Path, cancelled: Callable[[], bool]) -> bool:
    try:
        import numpy as np
        import sounddevice as sd
    except OSError as exc:  # sounddevice raises OSError when the PortAudio library is missing
        raise SpeechUnavailable(
            "Cannot play sound: the PortAudio library is missing; install it with "
            "`sudo apt-get install libportaudio2`, or write the speech to a file with --out."
        ) from exc
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    # PortAudio reports "finished" once the sound server has the last block, not once it has
    # played it, and closing the stream drops what the server still holds: trailing silence
    # makes sure only silence is lost.
    samples = np.concatenate([samples, np.zeros(int(rate * _TAIL_SECONDS), dtype="<i2")])
    position = 0
    finished = threading.Event()

    # PortAudio pulls the samples from its own thread; this thread only watches for a cancel,
    # so abort() takes effect at once even when the sound server buffers a lot (a null sink
    # with no listener can hold a second or two).
    underflows = 0

    def fill(outdata: Any, frames: int, _time: Any, status: Any) -> None:
        nonlocal position, underflows
        underflows += bool(status)
        chunk = samples[position : position + frames]
        outdata[: len(chunk), 0] = chunk
        position += len(chunk)
        if len(chunk) < frames:
            outdata[len(chunk) :] = 0
            raise sd.CallbackStop

    try:
        with sd.OutputStream(
            samplerate=rate,
            channels=1,
            dtype="int16",
            latency=_LATENCY_SECONDS,
            callback=fill,
            finished_callback=finished.set,
        ) as stream:
            while not finished.wait(_POLL_SECONDS):
                if cancelled():
                    stream.abort()
                    return False
        log.debug("played %d of %d frames, %d underflows", position, len(samples), underflows)
    except sd.PortAudioError as exc:
        raise SpeechUnavailable(
            f"Cannot play sound ({exc}); check that an output device is available, "
            "or write the speech to a file with --out."
        ) from exc
    return True


_worker: _EngineThread | None = None
_worker_lock = threading.Lock()


def _get_worker() -> _EngineThread:
    """The process's engine thread, started on first use; SpeechUnavailable if it cannot start."""
    global _worker
    with _worker_lock:
        if _worker is None:
            worker = _EngineThread()
            worker.start()
            worker.ready.wait()
            if worker.init_error is not None:
                log.debug("speech engine failed to start: %r", worker.init_error)
                raise SpeechUnavailable(
                    "No speech engine is available (espeak-ng could not be loaded); "
                    f"install it with `{INSTALL_HINT}`."
                ) from worker.init_error
            _worker = worker
        return _worker


# --------------------------------------------------------------------------- public API


class Speaker:
    """Speaks (or renders) text in one preset's voice, on the shared engine thread."""

    def __init__(self, preset: VoicePreset) -> None:
        self.preset = preset
        self._worker = _get_worker()
        self._lock = threading.Lock()
        self._pending: set[_Job] = set()
        self._closed = False

    @property
    def driver(self) -> str:
        return self._worker.driver

    def _submit(self, job: _Job) -> Any:
        if self._closed:
            raise RehearseError("This speaker is closed; create a new one.")
        with self._lock:
            self._pending.add(job)
        self._worker.jobs.put(job)
        try:
            job.done.wait()
        except KeyboardInterrupt:
            # Ctrl-C: stop the sound before the interrupt carries on up.
            job.cancel.set()
            job.done.wait(5)
            raise
        finally:
            with self._lock:
                self._pending.discard(job)
        if job.error is not None:
            raise job.error
        return job.result

    @staticmethod
    def _check_text(text: str) -> str:
        if not text or not text.strip():
            raise RehearseError("There is nothing to say: give some text.")
        return text.strip()

    def say(self, text: str, cancel: threading.Event | None = None) -> bool:
        """Speak aloud; blocks until done. False if cancelled (via `cancel` or stop())."""
        job = _Job("speak", text=self._check_text(text), preset=self.preset, user_cancel=cancel)
        return bool(self._submit(job))

    @property
    def busy(self) -> bool:
        """True while the engine is working on one of this speaker's jobs."""
        with self._lock:
            return any(job.started.is_set() and not job.done.is_set() for job in self._pending)

    def stop(self) -> None:
        """Cancel what this speaker is saying and anything it has queued."""
        with self._lock:
            for job in self._pending:
                job.cancel.set()

    def save_wav(self, text: str, path: Path | str) -> Path:
        """Render to a WAV file (written whole, or not at all)."""
        text = self._check_text(text)
        target = Path(path).expanduser()
        if target.is_dir():
            raise RehearseError(f"{target} is a directory; give a file name ending in .wav.")
        try:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            os.close(fd)
        except OSError as exc:
            raise RehearseError(
                f"Cannot write {target} ({exc.strerror or exc}); choose a writable location."
            ) from exc
        tmp = Path(tmp_name)
        try:
            self._submit(_Job("save", text=text, path=tmp, preset=self.preset))
            if tmp.stat().st_size <= 44:  # a bare header: the engine wrote nothing
                raise SpeechUnavailable(
                    f"The speech engine produced no audio; reinstall espeak-ng with "
                    f"`{INSTALL_HINT}`."
                )
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return target

    def voices(self) -> list[EngineVoice]:
        return engine_voices()

    def resolve(self, preset: VoicePreset | None = None) -> str | None:
        """The engine voice a preset maps to on this machine, or None."""
        return resolve_voice(preset or self.preset)

    def close(self) -> None:
        """Stop speaking and refuse further work. The engine thread lives on for the process:
        espeak-ng cannot be shut down and started again cleanly."""
        self.stop()
        self._closed = True

    def __enter__(self) -> Speaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _voice_catalogue() -> tuple[list[EngineVoice], set[str] | None]:
    job = _Job("voices")
    worker = _get_worker()
    worker.jobs.put(job)
    job.done.wait()
    if job.error is not None:
        raise job.error
    voices, variants = job.result
    return voices, variants


def engine_voices() -> list[EngineVoice]:
    """The voices the speech engine offers here; SpeechUnavailable with no engine."""
    return _voice_catalogue()[0]


def resolve_voice(preset: VoicePreset) -> str | None:
    """The engine voice id a preset maps to on this machine, or None if it has no such voice."""
    voices, variants = _voice_catalogue()
    return match_voice(preset.voice, voices, variants)


def voice_resolves(preset: VoicePreset) -> bool:
    return resolve_voice(preset) is not None


def speaker_or_none(preset: VoicePreset) -> Speaker | None:
    """A Speaker, or None when there is no speech engine (the caller shows text instead)."""
    try:
        return Speaker(preset)
    except SpeechUnavailable as exc:
        log.info("speaking disabled: %s", exc.message)
        return None
