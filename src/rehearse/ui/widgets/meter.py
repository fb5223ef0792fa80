"""The live level meter and the answer timer."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

# The meter spans this many dB below full scale; quieter than this shows an empty bar.
FLOOR_DBFS = -60.0
# Colour changes with this much time left (issue 4).
WARN_REMAINING_S = 30.0


class LevelMeter(Static):
    """A horizontal bar of the latest input level, in dBFS."""

    level_dbfs: reactive[float | None] = reactive(None)

    def render(self) -> Text:
        width = max(10, self.size.width - 10)
        level = self.level_dbfs
        if level is None:
            return Text("mic  " + "·" * width, style="dim")
        fraction = min(1.0, max(0.0, (level - FLOOR_DBFS) / -FLOOR_DBFS))
        filled = round(fraction * width)
        style = "green" if level < -12 else ("yellow" if level < -3 else "red")
        bar = Text("mic  ")
        bar.append("█" * filled, style=style)
        bar.append("░" * (width - filled), style="dim")
        bar.append(f" {level:5.0f} dB", style="dim")
        return bar


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class AnswerTimer(Static):
    """Prep countdown or answer time against the limit; turns to warning colours near the end."""

    elapsed_s: reactive[float] = reactive(0.0)
    limit_s: reactive[float] = reactive(120.0)
    mode: reactive[str] = reactive("idle")  # idle | prep | recording | done

    def render(self) -> str:
        if self.mode == "prep":
            return f"Prepare: {clock(self.limit_s - self.elapsed_s)}"
        if self.mode == "recording":
            return f"● {clock(self.elapsed_s)} / {clock(self.limit_s)}"
        if self.mode == "done":
            return f"■ {clock(self.elapsed_s)} / {clock(self.limit_s)}"
        return f"{clock(0)} / {clock(self.limit_s)}"

    def watch_elapsed_s(self) -> None:
        self._restyle()

    def watch_mode(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        remaining = self.limit_s - self.elapsed_s
        recording = self.mode == "recording"
        self.set_class(recording, "-recording")
        self.set_class(recording and remaining <= WARN_REMAINING_S, "-warning")
        self.set_class(self.mode == "prep", "-prep")
