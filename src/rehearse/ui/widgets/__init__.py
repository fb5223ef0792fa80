"""Small widgets of the studio."""

from rehearse.ui.widgets.meter import AnswerTimer, LevelMeter
from rehearse.ui.widgets.report import ReportView, transcript_text

__all__ = ["AnswerTimer", "LevelMeter", "ReportView", "transcript_text"]
