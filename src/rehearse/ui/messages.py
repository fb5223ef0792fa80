"""Messages that carry worker results back to the UI thread.

Workers call `post_message` (thread-safe) with these; handlers then update widgets on the UI
thread. High-rate ones define `can_replace`, so a backlog of ticks or partial text collapses
into the newest one instead of queueing up.
"""

from __future__ import annotations

from textual.message import Message

from rehearse.services import AttemptOutcome, Phase, Tick


class ModelLoaded(Message):
    """The Whisper model finished loading (error is one sentence when it could not)."""

    def __init__(self, error: str | None = None, seconds: float = 0.0) -> None:
        super().__init__()
        self.error = error
        self.seconds = seconds


class HintsReady(Message):
    """First-run hints from the doctor checks (empty when all is well)."""

    def __init__(self, hints: list[str]) -> None:
        super().__init__()
        self.hints = hints


class PhaseChanged(Message):
    def __init__(self, phase: Phase) -> None:
        super().__init__()
        self.phase = phase


class TickUpdate(Message):
    """Timer and mic level, about ten a second."""

    def __init__(self, tick: Tick) -> None:
        super().__init__()
        self.tick = tick

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TickUpdate) and message.tick.phase == self.tick.phase


class PartialTranscript(Message):
    """The live transcript so far (from the streaming engine, when present)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PartialTranscript)


class AttemptFinished(Message):
    def __init__(self, outcome: AttemptOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class LevelUpdate(Message):
    """A mic level reading for the settings screen's meter."""

    def __init__(self, level_dbfs: float | None) -> None:
        super().__init__()
        self.level_dbfs = level_dbfs

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LevelUpdate)


class PlaybackDone(Message):
    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error
