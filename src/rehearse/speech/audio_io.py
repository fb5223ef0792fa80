"""Reading audio files into the one sample format every engine uses: 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rehearse.errors import RehearseError

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000


def load_audio(path: str | Path) -> np.ndarray:
    """Decode any audio file FFmpeg knows (WAV, FLAC, MP3, OGG...) to 16 kHz mono float32.

    Raises RehearseError, with one sentence, for a missing, empty or non-audio file.
    """
    import av
    from faster_whisper.audio import decode_audio

    p = Path(path)
    if not p.exists():
        raise RehearseError(f"The audio file {p} does not exist; check the path.")
    if p.is_dir():
        raise RehearseError(f"{p} is a folder, not an audio file; give the path of a file.")
    if p.stat().st_size == 0:
        raise RehearseError(f"The audio file {p} is empty; record it again or pick another file.")
    try:
        samples = decode_audio(str(p), sampling_rate=SAMPLE_RATE)
    except PermissionError:
        raise RehearseError(f"Cannot read the audio file {p}; check its permissions.") from None
    # InvalidDataError: not a container FFmpeg knows; IndexError/ValueError: no audio stream.
    except (av.error.FFmpegError, IndexError, ValueError, OSError):
        raise RehearseError(
            f"{p} is not an audio file FFmpeg can read; give a WAV, FLAC, MP3 or OGG recording."
        ) from None
    if samples.size == 0:
        raise RehearseError(f"The audio file {p} holds no sound; record it again.")
    return samples


def write_wav(path: str | Path, samples: np.ndarray) -> Path:
    """Write 16 kHz mono float32 samples as a 16-bit PCM WAV (what the recorder writes too)."""
    import wave

    import numpy as np

    p = Path(path)
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return p
