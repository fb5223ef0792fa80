"""The services the studio and the CLI share, built in ONE place, and one attempt end to end.

`build_services()` is the only factory: `rehearse practice`, `rehearse` (the studio) and the
tests all call it, so the tests run the wiring users run. `AttemptRunner.run()` does one attempt
(ask, prepare, record, transcribe, analyse, save) with no screen: it takes plain
`threading.Event`s for control and reports progress through callbacks, so a Textual thread worker
can drive it and turn the callbacks into Messages.

Heavy engines (sounddevice, faster-whisper, pyttsx3) are imported inside functions so importing
this module stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from rehearse.config import Settings
from rehearse.errors import RehearseError

if TYPE_CHECKING:
    import numpy as np

    from rehearse.domain import Profile, Question, Report, Transcript
    from rehearse.store import Store


log = logging.getLogger(__name__)


# --- Small protocols for the engines (the real ones live in rehearse.speech.*) ---------------


class SpeakerLike(Protocol):
    def say(self, text: str, cancel: threading.Event | None = None) -> bool: ...
    def stop(self) -> None: ...
    def close(self) -> None: ...


class TranscriberLike(Protocol):
    def load(self) -> None: ...
    def transcribe(
        self,
        audio: Path | np.ndarray,
        cancel: threading.Event | None = None,
        offset_s: float = 0.0,
        prompt: str | None = None,
    ) -> Transcript: ...


class LiveTranscriber(Protocol):
    """Transcribes while the person speaks: fed every recorded block, it reports partial text,
    and `finish()` returns the whole transcript moments after the answer ends."""

    def feed(self, block: np.ndarray) -> None: ...
    def finish(self, cancel: threading.Event | None = None) -> Transcript: ...
    def close(self) -> None: ...


# Builds a live transcriber for one attempt; it calls `on_text` with the partial transcript so far.
LiveFactory = Callable[[Callable[[str], None]], LiveTranscriber]


# --- The services -------------------------------------------------------------------------------


@dataclass
class Services:
    """Everything the app needs, created lazily and shared for the life of the process."""

    settings: Settings
    transcriber: TranscriberLike
    input_file: Path | None = None
    no_tts: bool = False
    # The active company profile, or None.
    profile: Profile | None = None
    # Builders that tests may swap for edge cases (a failing mic, a slow model).
    source_factory: Callable[[], Any] | None = None
    speaker_factory: Callable[[], SpeakerLike | None] | None = None
    # Live transcription for each attempt; None transcribes the whole recording after it ends.
    live_factory: LiveFactory | None = None
    store_path: Path | None = None
    _store: Store | None = field(default=None, repr=False)
    _speaker: SpeakerLike | None = field(default=None, repr=False)
    _speaker_made: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _model_error: str | None = field(default=None, repr=False)
    model_ready: threading.Event = field(default_factory=threading.Event, repr=False)

    # The store opens on first use, so a locked database is reported where it is needed.
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                from rehearse.store import Store

                self._store = Store.open(self.store_path)
            return self._store

    def speaker(self) -> SpeakerLike | None:
        """The interviewer voice, or None when speech is off or no engine can be made."""
        if self.no_tts:
            return None
        with self._lock:
            if not self._speaker_made:
                self._speaker_made = True
                factory = self.speaker_factory or self._default_speaker
                self._speaker = factory()
            return self._speaker

    def _default_speaker(self) -> SpeakerLike | None:
        from rehearse.speech import tts

        try:
            preset = tts.get_preset(self.settings.voice)
        except RehearseError:
            preset = tts.get_preset("neutral")
        return tts.speaker_or_none(preset)

    def reset_speaker(self) -> None:
        """Drop the voice so the next use picks up a changed preset."""
        with self._lock:
            old, self._speaker, self._speaker_made = self._speaker, None, False
        if old is not None:
            old.close()

    def make_source(self) -> Any:
        """A new audio source for one recording: the --input-file at real-time pace, or the mic."""
        if self.source_factory is not None:
            return self.source_factory()
        from rehearse.speech.capture import open_source

        return open_source(self.input_file, self.settings.input_device)

    def load_model(self) -> None:
        """Load the Whisper model once; the studio calls this in a worker at start-up."""
        try:
            self.transcriber.load()
        except RehearseError as exc:
            self._model_error = exc.message
            raise
        finally:
            self.model_ready.set()

    @property
    def model_error(self) -> str | None:
        return self._model_error

    def close(self) -> None:
        with self._lock:
            speaker, self._speaker = self._speaker, None
            store, self._store = self._store, None
        if speaker is not None:
            speaker.close()
        if store is not None and hasattr(store, "close"):
            store.close()


def build_services(
    settings: Settings,
    *,
    input_file: Path | None = None,
    no_tts: bool = False,
    profile: str | None = None,
) -> Services:
    """The one factory for the CLI, the studio and the tests.

    `profile` (a name or a TOML path) overrides `settings.profile` for this run only.
    """
    from rehearse.speech.transcribe import Transcriber

    if input_file is not None:
        input_file = Path(input_file)
        if not input_file.is_file():
            raise RehearseError(f"The input file {input_file} does not exist; give a WAV or FLAC.")
    chosen = profile if profile is not None else settings.profile
    active: Profile | None = None
    if chosen:
        from rehearse.profiles import load_profile

        active = load_profile(chosen)
    transcriber = Transcriber(
        settings.model,
        compute_type=settings.compute_type,
        threads=settings.threads,
        beam_size=settings.beam_size,
    )
    services = Services(
        settings=settings,
        transcriber=transcriber,
        input_file=input_file,
        no_tts=no_tts or not settings.speak_questions,
        profile=active,
    )

    def live(on_text: Callable[[str], None]) -> LiveTranscriber:
        from rehearse.speech.streaming import StreamingTranscriber

        # Whatever transcriber the services hold now (tests may swap it for an edge case).
        services.transcriber.load()
        return StreamingTranscriber(services.transcriber, on_partial=on_text)  # type: ignore[arg-type]

    services.live_factory = live
    return services


# --- One attempt, end to end -------------------------------------------------------------------

Phase = Literal["asking", "prep", "recording", "transcribing", "analysing", "saving"]
Status = Literal["saved", "cancelled", "failed"]


@dataclass
class AttemptControl:
    """What the person can do while an attempt runs; the UI sets these from key handlers."""

    cancel: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    skip_prep: threading.Event = field(default_factory=threading.Event)
    repeat: threading.Event = field(default_factory=threading.Event)
    # Cleared to keep the voice quiet (the "voice toggle"); checked before each utterance.
    voice_on: threading.Event = field(default_factory=threading.Event)
    # Set to cut the current utterance short (skip, voice off, cancel); cleared before each one.
    hush: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.voice_on.set()


@dataclass(frozen=True)
class Tick:
    phase: Phase
    elapsed_s: float
    # Seconds left in this phase, or None when it has no limit.
    remaining_s: float | None
    level_dbfs: float | None = None


@dataclass
class AttemptOutcome:
    status: Status
    question: Question
    profile: Profile | None
    attempt_id: int | None = None
    audio_path: Path | None = None
    duration_s: float = 0.0
    stop_reason: str = ""
    transcript: Transcript | None = None
    report: Report | None = None
    error: str | None = None


@dataclass
class AttemptCallbacks:
    on_phase: Callable[[Phase], None] = lambda phase: None
    on_tick: Callable[[Tick], None] = lambda tick: None
    on_partial: Callable[[str], None] = lambda text: None


TICK_S = 0.1


class AttemptRunner:
    """Runs attempts on the shared services; call `run()` from a worker thread."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def start_session(self, kind: Literal["single", "round"], profile: Profile | None) -> int:
        return self.services.store().start_session(kind, profile)

    def speak(self, text: str, cancel: threading.Event | None = None) -> bool:
        """Say `text`; False if cancelled or there is no voice (the text is on screen anyway)."""
        speaker = self.services.speaker()
        if speaker is None:
            return False
        try:
            return speaker.say(text, cancel=cancel)
        except RehearseError:
            return False

    def _say(self, text: str, ctl: AttemptControl) -> None:
        ctl.hush.clear()
        if ctl.voice_on.is_set() and not ctl.cancel.is_set():
            self.speak(text, ctl.hush)

    def run(
        self,
        question: Question,
        *,
        session_id: int | None = None,
        profile: Profile | None = None,
        prep_s: float | None = None,
        limit_s: float | None = None,
        silence_s: float | None = None,
        control: AttemptControl | None = None,
        callbacks: AttemptCallbacks | None = None,
    ) -> AttemptOutcome:
        """Ask, prepare, record, transcribe, analyse and save one answer.

        Never raises for user-facing failures: they come back as a "failed" outcome with one
        sentence in `error`, and whatever was recorded stays in the store (as interrupted).
        A cancel removes the attempt and its audio: nothing is saved.
        """
        s = self.services.settings
        ctl = control or AttemptControl()
        cb = callbacks or AttemptCallbacks()
        prep = s.prep_seconds if prep_s is None else prep_s
        limit = limit_s or s.answer_seconds or question.limit_seconds
        silence = s.silence_stop_seconds if silence_s is None else silence_s
        outcome = AttemptOutcome(status="cancelled", question=question, profile=profile)

        if ctl.voice_on.is_set() and self.services.speaker() is not None:
            cb.on_phase("asking")
            self._say(question.text, ctl)
        if ctl.cancel.is_set():
            return outcome

        if prep > 0 and not self._prepare(question, prep, ctl, cb):
            return outcome

        try:
            store = self.services.store()
            if session_id is None:
                session_id = store.start_session("single", profile)
            live = self._record(question, session_id, profile, limit, silence, ctl, cb, outcome)
        except RehearseError as exc:
            outcome.status, outcome.error = "failed", exc.message
            return outcome
        if outcome.status != "saved" or outcome.attempt_id is None:
            if live is not None:
                live.close()
            return outcome
        self._finish(question, profile, ctl, cb, outcome, live)
        return outcome

    def _prepare(
        self, question: Question, prep: float, ctl: AttemptControl, cb: AttemptCallbacks
    ) -> bool:
        cb.on_phase("prep")
        start = time.monotonic()
        while True:
            elapsed = time.monotonic() - start
            if ctl.cancel.is_set():
                return False
            if ctl.skip_prep.is_set() or elapsed >= prep:
                return True
            if ctl.repeat.is_set():
                ctl.repeat.clear()
                self._say(question.text, ctl)
                start = time.monotonic()  # the countdown starts again after the repeat
            cb.on_tick(Tick("prep", elapsed, max(0.0, prep - elapsed)))
            ctl.skip_prep.wait(TICK_S)

    def _record(
        self,
        question: Question,
        session_id: int,
        profile: Profile | None,
        limit: float,
        silence: float,
        ctl: AttemptControl,
        cb: AttemptCallbacks,
        outcome: AttemptOutcome,
    ) -> LiveTranscriber | None:
        """Record the answer; returns the live transcriber that heard it, if there is one."""
        from rehearse.speech.capture import Recorder

        store = self.services.store()
        audio_path = store.new_audio_path(".wav")
        try:
            recorder = Recorder(
                self.services.make_source(),
                audio_path,
                max_seconds=limit,
                silence_stop_seconds=silence or None,
            )
        except BaseException:
            audio_path.unlink(missing_ok=True)
            raise
        live: LiveTranscriber | None = None
        if self.services.live_factory is not None:
            live = self.services.live_factory(cb.on_partial)
            recorder.add_listener(live.feed)
        cb.on_phase("recording")
        try:
            recorder.start()
        except BaseException:
            audio_path.unlink(missing_ok=True)
            if live is not None:
                live.close()
            raise
        # Begin only once the mic is open, so a crash from here on leaves an interrupted attempt
        # with its audio, and a mic that never opened leaves nothing behind.
        outcome.attempt_id = store.begin_attempt(session_id, question, profile, audio_path)
        outcome.audio_path = audio_path
        result = None
        stopped = False
        try:
            while result is None:
                if (ctl.stop.is_set() or ctl.cancel.is_set()) and not stopped:
                    recorder.stop()
                    stopped = True
                result = _wait(recorder, TICK_S)
                if result is None:
                    cb.on_tick(
                        Tick(
                            "recording",
                            recorder.elapsed_s,
                            max(0.0, limit - recorder.elapsed_s),
                            recorder.level_dbfs,
                        )
                    )
        except BaseException:
            if live is not None:
                live.close()
            raise
        outcome.duration_s = result.duration_s
        outcome.stop_reason = result.stop_reason
        if ctl.cancel.is_set():
            store.delete_attempt(outcome.attempt_id)
            outcome.attempt_id, outcome.audio_path = None, None
            return live
        if result.stop_reason == "error":
            store.mark_interrupted(outcome.attempt_id, result.duration_s)
            outcome.status = "failed"
            outcome.error = (
                f"Recording stopped: {result.error or 'the microphone went away'}; the "
                f"{result.duration_s:.0f} s recorded are kept as attempt {outcome.attempt_id} "
                "(`rehearse history recover`)."
            )
            return live
        outcome.status = "saved"
        return live

    def _finish(
        self,
        question: Question,
        profile: Profile | None,
        ctl: AttemptControl,
        cb: AttemptCallbacks,
        outcome: AttemptOutcome,
        live: LiveTranscriber | None = None,
    ) -> None:
        from rehearse.analysis import analyze_transcript

        assert outcome.attempt_id is not None and outcome.audio_path is not None
        store = self.services.store()
        try:
            cb.on_phase("transcribing")
            transcript = self._transcribe(outcome.audio_path, ctl.cancel, live)
            if ctl.cancel.is_set():
                store.delete_attempt(outcome.attempt_id)
                outcome.status, outcome.attempt_id, outcome.audio_path = "cancelled", None, None
                return
            outcome.transcript = transcript
            cb.on_phase("analysing")
            outcome.report = analyze_transcript(transcript, question, profile)
            cb.on_phase("saving")
            store.finish_attempt(outcome.attempt_id, transcript, outcome.report, outcome.duration_s)
        except Exception as exc:  # an engine failing mid-attempt must not lose the recording
            with contextlib.suppress(Exception):
                store.mark_interrupted(outcome.attempt_id, outcome.duration_s)
            outcome.status = "failed"
            reason = (
                exc.message if isinstance(exc, RehearseError) else f"{type(exc).__name__}: {exc}"
            )
            outcome.error = (
                f"{reason.rstrip('.')}; the recording is kept as attempt {outcome.attempt_id} "
                "(`rehearse history recover` analyses it later)."
            )

    def _transcribe(
        self, path: Path, cancel: threading.Event, live: LiveTranscriber | None
    ) -> Transcript:
        """The live transcript when one ran (only the tail is left to decode), else the file's."""
        if live is not None:
            try:
                return live.finish(cancel)
            except Exception:
                # The recording is on disk: a failed live pass costs time, not the answer.
                log.exception("live transcription failed; transcribing the recording instead")
            finally:
                live.close()
        self.services.transcriber.load()
        return self.services.transcriber.transcribe(path, cancel=cancel)


def _wait(recorder: Any, timeout: float) -> Any:
    """Wait briefly for the recorder; None while it is still running."""
    try:
        return recorder.wait(timeout=timeout)
    except TimeoutError:
        return None


# --- Playback ----------------------------------------------------------------------------------


def play_recording(path: Path, cancel: threading.Event | None = None) -> None:
    """Play a saved answer through the default output; returns when done or cancelled."""
    import sounddevice as sd

    from rehearse.speech.audio_io import SAMPLE_RATE, load_audio

    if not Path(path).exists():
        raise RehearseError(f"The recording {path} is missing; it may have been deleted.")
    audio = load_audio(Path(path))
    try:
        sd.play(audio, SAMPLE_RATE)
        end = time.monotonic() + len(audio) / SAMPLE_RATE + 0.3
        stop = cancel or threading.Event()
        while time.monotonic() < end and not stop.wait(0.05):
            pass
        sd.stop()
    except sd.PortAudioError as exc:
        raise RehearseError(f"Cannot play the recording ({exc}); check the audio output.") from exc
