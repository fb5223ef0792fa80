"""Transcribe while the candidate speaks, so the transcript is ready moments after they stop.

The audio is cut at pauses (faster-whisper's Silero VAD) into chunks of at most ~25 s. Each
finished chunk is decoded on a background thread while recording goes on, with the text so far
as the prompt, and its word times land on the whole answer's timeline. At every pause the
pending audio is decoded speculatively: if the answer ends there, the tail is already done; if
speech resumes, that work is kept when the chunk is long enough to stand alone, else dropped.

Threads: `feed()` (the recorder's writer thread) only queues the block. A scheduler thread runs
the VAD and decides the cuts; a decoder thread runs Whisper, one chunk at a time, in order.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from rehearse.domain import Segment, Transcript, Word

if TYPE_CHECKING:
    import numpy as np

    from rehearse.speech.transcribe import Transcriber

__all__ = [
    "ChunkDecoder",
    "ChunkPolicy",
    "StreamingTranscriber",
    "StreamingVad",
    "build_prompt",
    "ends_sentence",
    "merge",
]

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
# Silero VAD scores windows of 512 samples (32 ms) at 16 kHz.
WINDOW = 512
NO_SPEECH_NOTE = "no speech detected"
# A chunk decode that ends this long before the chunk does stopped early: decode on from there.
EARLY_STOP_S = 1.0


class ChunkTranscriber(Protocol):
    """What the streaming layer needs from rehearse.speech.transcribe.Transcriber."""

    model_name: str

    def transcribe(
        self,
        audio: np.ndarray,
        cancel: threading.Event | None = None,
        offset_s: float = 0.0,
        prompt: str | None = None,
    ) -> Transcript: ...


@dataclass(frozen=True)
class ChunkPolicy:
    """When to cut. Each decode costs >= ~0.65 s whatever its length (Whisper pads to 30 s), so
    chunks are a trade: short ones leave a short tail at the end, long ones cost less CPU and
    give Whisper more context."""

    # At a pause, a chunk this long is committed without looking at its words.
    min_chunk_s: float = 18.0
    # A shorter one is decoded speculatively at every pause; when speech resumes, it is kept
    # as a chunk if it ends a sentence (Whisper's punctuation says so) and is at least this
    # long, else dropped. Short chunks cost accuracy: on 30 and 80 s answers, cutting at every
    # sentence (>= 2.5 s) put WER 1.5-2 points above batch; >= 12 s matched batch.
    sentence_chunk_s: float = 12.0
    # Never let a chunk grow past this (Whisper's window is 30 s).
    max_chunk_s: float = 25.0
    # Silence this long counts as a pause to cut at (espeak-ng's sentence gaps are ~0.3 s).
    pause_s: float = 0.2
    # Silero thresholds (faster-whisper's VadOptions defaults): speech above `threshold`,
    # silence below `neg_threshold`, in between keeps the previous state.
    threshold: float = 0.5
    neg_threshold: float = 0.35
    # Words of the text so far carried into the next chunk's prompt, after the filler prompt.
    # Whisper keeps only the last 223 prompt tokens; 100 words (~130 tokens) leave the filler
    # prompt in, and match what batch decoding conditions on.
    context_words: int = 100


def build_prompt(filler_prompt: str, previous_text: str, context_words: int) -> str:
    """The filler prompt (keeps "um"s) followed by the end of what was said so far (context)."""
    tail = " ".join(previous_text.split()[-context_words:]) if context_words > 0 else ""
    return " ".join(p for p in (filler_prompt.strip(), tail) if p)


def merge(parts: list[Transcript], duration_s: float, model: str) -> Transcript:
    """Join chunk transcripts (already on the answer's timeline) into one, in time order.

    Word times are kept monotonic: a word may not start before the previous one ended.
    """
    words: list[Word] = []
    segments: list[Segment] = []
    texts: list[str] = []
    for part in parts:
        for w in part.words:
            if words and w.start < words[-1].end:
                start = words[-1].end
                w = Word(w.word, start, max(start, w.end), w.probability)
            words.append(w)
        segments.extend(part.segments)
        if part.text.strip():
            texts.append(part.text.strip())
    text = " ".join(texts)
    return Transcript(
        text=text,
        words=words,
        segments=segments,
        duration_s=duration_s,
        model=model,
        note="" if text else NO_SPEECH_NOTE,
    )


def ends_sentence(transcript: Transcript | None) -> bool:
    """Whether the text ends a sentence: ".", "?" or "!", but not a trailing-off "..."."""
    text = transcript.text.rstrip().rstrip("\"')") if transcript is not None else ""
    return text.endswith((".", "?", "!")) and not text.endswith("..")


class ChunkDecoder:
    """Decodes one VAD-cut chunk (<= 30 s) in exactly one Whisper window.

    Transcriber.transcribe() is right for whole files, but on a short chunk faster-whisper
    (with word timestamps) seeks to the last word's end and decodes the few frames left as a
    second, padded 30 s window: it doubles the cost and often hallucinates ("Thank you.").
    Without timestamp tokens one window yields exactly one segment, so taking that segment and
    dropping the generator never starts the second window, unless Whisper stopped early (it
    sometimes ends a window at a pause), when it is let go on. The chunk is already cut by the
    VAD, so no second VAD pass either. Shares the Transcriber's model (loaded once).
    """

    def __init__(self, transcriber: Transcriber) -> None:
        self.transcriber = transcriber
        self.model_name = transcriber.model_name

    def transcribe(
        self,
        audio: np.ndarray,
        cancel: threading.Event | None = None,
        offset_s: float = 0.0,
        prompt: str | None = None,
    ) -> Transcript:
        t = self.transcriber
        duration = audio.shape[0] / SAMPLE_RATE
        empty = Transcript("", [], [], duration, self.model_name, note=NO_SPEECH_NOTE)
        if cancel is not None and cancel.is_set():
            return empty
        segments, _info = t.load().transcribe(
            audio,
            language="en",
            beam_size=t.beam_size,
            word_timestamps=True,
            without_timestamps=True,
            vad_filter=False,
            initial_prompt=(t.prompt if prompt is None else prompt) or None,
        )
        # One window gives one segment; the next one is decoded only if Whisper stopped early
        # (its last word ends over a second before the chunk does): else words would be lost.
        texts: list[str] = []
        words: list[Word] = []
        for seg in segments:
            if seg.text.strip():
                texts.append(seg.text.strip())
            for w in seg.words or []:
                start = min(max(float(w.start), 0.0), duration)
                end = min(max(float(w.end), start), duration)
                words.append(
                    Word(w.word.strip(), start + offset_s, end + offset_s, float(w.probability))
                )
            last = words[-1].end - offset_s if words else 0.0
            if duration - last < EARLY_STOP_S:
                break
        if not texts:
            return empty
        first = words[0].start if words else offset_s
        last = words[-1].end if words else offset_s + duration
        text = " ".join(texts)
        return Transcript(text, words, [Segment(first, last, text)], duration, self.model_name)


class StreamingVad:
    """Silero VAD fed block by block, giving the same scores as one pass over the whole audio.

    faster-whisper's SileroVADModel scores a whole array and starts each call from a fresh
    state; here the recurrent state (h, c) and the 64-sample context carry over between calls.
    """

    CONTEXT = 64

    def __init__(self) -> None:
        import numpy as np
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(self.CONTEXT, dtype=np.float32)

    def __call__(self, windows: np.ndarray) -> np.ndarray:
        """Speech probabilities for `windows` (n x 512 float32), continuing the stream."""
        import numpy as np

        if windows.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -self.CONTEXT :]], 0)
        batch = np.concatenate([contexts, windows], 1)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -self.CONTEXT :].copy()
        return np.asarray(out, dtype=np.float32).reshape(-1)


@dataclass
class _Job:
    start: int
    end: int
    # Speculative: decoded at a pause before the chunk was long enough to commit.
    speculative: bool
    cancel: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    result: Transcript | None = None
    dropped: bool = False
    # Wall-clock seconds the decode took (for benchmarks and logs).
    decode_s: float = 0.0


class StreamingTranscriber:
    """Live transcription of one answer. Use `feed` as a Recorder listener, then `finish()`.

    `on_partial(text)` is called from the decoder thread with the text so far each time a chunk
    is decoded (use `App.call_from_thread` or a queue to bring it to a UI).
    """

    def __init__(
        self,
        transcriber: Transcriber | ChunkTranscriber,
        on_partial: Callable[[str], None] | None = None,
        *,
        policy: ChunkPolicy | None = None,
        filler_prompt: str | None = None,
    ) -> None:
        import numpy as np

        if filler_prompt is None:
            from rehearse.speech.transcribe import FILLER_PROMPT

            filler_prompt = FILLER_PROMPT
        from rehearse.speech.transcribe import Transcriber

        self._np = np
        if isinstance(transcriber, Transcriber):
            transcriber = ChunkDecoder(transcriber)
        self.transcriber: ChunkTranscriber = transcriber
        self.on_partial = on_partial
        self.policy = policy or ChunkPolicy()
        self.filler_prompt = filler_prompt

        # Audio blocks, and commands: "speculate", "finish", "close", or an Event for sync().
        self._blocks: queue.SimpleQueue[object] = queue.SimpleQueue()
        # The whole answer so far (float32, grows by doubling); only the scheduler writes it.
        self._audio = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
        self._n = 0
        self._vad = StreamingVad()
        self._vad_pos = 0  # samples scored so far
        self._speech: list[bool] = []  # per VAD window, after hysteresis
        self._last_speech = -1  # index of the last speech window
        self._cut = 0  # first sample not yet covered by a committed job
        self._spec: _Job | None = None  # the speculative job for the audio after _cut
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._committed: list[_Job] = []  # in time order, including a kept speculation
        self._lock = threading.Lock()
        self._final = threading.Event()  # the scheduler has queued its last job
        self._closed = False
        self._error: BaseException | None = None
        # For benchmarks: decode calls made and their wall-clock total, dropped ones included.
        self.decodes = 0
        self.decode_s = 0.0
        self.dropped = 0

        self._scheduler = threading.Thread(
            target=self._schedule_loop, name="stream-vad", daemon=True
        )
        self._decoder = threading.Thread(target=self._decode_loop, name="stream-asr", daemon=True)
        self._scheduler.start()
        self._decoder.start()

    # ---- public API -------------------------------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        """Take one block of 16 kHz mono float32 samples; returns at once (queue only)."""
        if not self._closed:
            self._blocks.put(self._np.asarray(block, dtype=self._np.float32).reshape(-1))

    def speculate_tail(self) -> None:
        """Decode the audio so far now, as if the answer ended here (silence auto-stop is coming).

        The VAD already does this at every pause; call it when the recorder's own silence
        detector starts counting, so the tail is done before the auto-stop fires.
        """
        self._blocks.put("speculate")

    def sync(self, timeout: float | None = None) -> bool:
        """Wait until every block fed so far has been scored and decided on (not decoded).
        For tests and benchmarks, which feed faster than real time."""
        done = threading.Event()
        self._blocks.put(done)
        return done.wait(timeout)

    def finish(self, cancel: threading.Event | None = None) -> Transcript:
        """End of input: decode what is left and return the whole answer's transcript.

        Blocks until done. If `cancel` is set meanwhile, the decoding stops and the transcript
        holds what was decoded so far, noted "cancelled".
        """
        self._blocks.put("finish")
        while not self._final.wait(0.05):
            if cancel is not None and cancel.is_set():
                break
            if not self._scheduler.is_alive():
                break
        jobs = self._wait_jobs(cancel)
        if self._error is not None:
            raise self._error
        cancelled = cancel is not None and cancel.is_set()
        out = merge(
            [j.result for j in jobs if j.result is not None],
            self._n / SAMPLE_RATE,
            self.transcriber.model_name,
        )
        if cancelled:
            out.note = "cancelled"
        self.close()
        return out

    def close(self) -> None:
        """Stop both threads and drop pending work (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            for job in self._committed:
                job.cancel.set()
            if self._spec is not None:
                self._spec.cancel.set()
        self._blocks.put("close")
        self._jobs.put(None)

    @property
    def text(self) -> str:
        """The text decoded so far, including a speculative tail."""
        with self._lock:
            jobs = list(self._committed)
            if self._spec is not None:
                jobs.append(self._spec)
        return " ".join(j.result.text.strip() for j in jobs if j.result and j.result.text.strip())

    @property
    def duration_s(self) -> float:
        return self._n / SAMPLE_RATE

    # ---- scheduler thread -------------------------------------------------------------------

    def _schedule_loop(self) -> None:
        np = self._np
        held: object = None  # a command met while gathering audio, handled next
        try:
            while True:
                item, held = (held, None) if held is not None else (self._blocks.get(), None)
                if isinstance(item, threading.Event):
                    item.set()  # sync(): everything before it has been decided on
                    continue
                if isinstance(item, str):
                    if item == "close":
                        return
                    if item == "finish":
                        self._drain_and_finish()
                        return
                    if item == "speculate":
                        self._score()
                        silent = len(self._speech) - 1 - self._last_speech
                        self._speculate(self._vad_pos - silent * WINDOW // 2)
                    continue
                self._append(item)
                # Score and decide once the queue is empty: after a slow spell, catch up in
                # one pass instead of deciding on stale audio block by block.
                while True:
                    try:
                        nxt = self._blocks.get_nowait()
                    except queue.Empty:
                        break
                    if not isinstance(nxt, np.ndarray):
                        held = nxt
                        break
                    self._append(nxt)
                self._score()
                self._decide()
        except BaseException as exc:  # surface it in finish(), never kill the recorder
            log.exception("streaming scheduler failed")
            self._error = exc
            self._final.set()
            self._jobs.put(None)

    def _append(self, block: np.ndarray) -> None:
        np = self._np
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        need = self._n + block.shape[0]
        if need > self._audio.shape[0]:
            grown = np.zeros(max(need, self._audio.shape[0] * 2), dtype=np.float32)
            grown[: self._n] = self._audio[: self._n]
            self._audio = grown
        self._audio[self._n : need] = block
        self._n = need

    def _score(self, pad_end: bool = False) -> None:
        """Run the VAD over the whole windows that arrived since the last call; with `pad_end`,
        also over the last partial window, zero-padded (as get_speech_timestamps does)."""
        np = self._np
        usable = (self._n - self._vad_pos + (WINDOW - 1 if pad_end else 0)) // WINDOW
        if usable <= 0:
            return
        stop = self._vad_pos + usable * WINDOW
        windows = np.zeros(usable * WINDOW, dtype=np.float32)
        have = min(stop, self._n) - self._vad_pos
        windows[:have] = self._audio[self._vad_pos : self._vad_pos + have]
        windows = windows.reshape(usable, WINDOW)
        probs = self._vad(windows)
        p = self.policy
        state = self._speech[-1] if self._speech else False
        first = len(self._speech)
        for i, prob in enumerate(probs):
            if prob >= p.threshold:
                state = True
            elif prob < p.neg_threshold:
                state = False
            self._speech.append(state)
            if state:
                self._last_speech = first + i
        self._vad_pos += usable * WINDOW

    def _speech_in(self, start: int, end: int) -> bool:
        """Whether any VAD window overlapping samples [start, end) is speech."""
        lo = start // WINDOW
        hi = min(len(self._speech), -(-end // WINDOW))
        return any(self._speech[lo:hi])

    def _decide(self) -> None:
        p = self.policy
        scored = self._vad_pos
        spec = self._spec
        if spec is not None and self._last_speech * WINDOW >= spec.end:
            # Speech resumed after the speculation: keep it or drop it, once its words are in.
            keep = self._keep(spec)
            if keep is None:
                return  # the decoder is on it; decide on a later block
            self._resolve_spec(keep=keep)
        if not self._speech_in(self._cut, scored):
            # Only silence since the last cut: move the cut along, nothing to decode.
            if scored - self._cut > 2 * SAMPLE_RATE:
                self._cut = scored - SAMPLE_RATE
            return
        silence_windows = len(self._speech) - 1 - self._last_speech
        pending = scored - self._cut
        if silence_windows * WINDOW >= p.pause_s * SAMPLE_RATE:
            # A pause: cut in the middle of the silence seen so far.
            point = (self._last_speech + 1) * WINDOW + silence_windows * WINDOW // 2
            if point - self._cut >= p.min_chunk_s * SAMPLE_RATE:
                if self._spec is None:  # else the speculation already covers it
                    self._commit(self._cut, point)
            elif self._spec is None:
                self._speculate(point)
        elif pending >= p.max_chunk_s * SAMPLE_RATE:
            limit = min(scored, self._cut + int(p.max_chunk_s * SAMPLE_RATE))
            self._commit(self._cut, self._best_cut(self._cut, limit))

    def _keep(self, spec: _Job) -> bool | None:
        """Whether a speculation that speech interrupted can stand as a chunk (None: its words
        are not decoded yet)."""
        p = self.policy
        length = spec.end - spec.start
        if length >= p.min_chunk_s * SAMPLE_RATE:
            return True
        if not spec.done.is_set():
            return None
        return length >= p.sentence_chunk_s * SAMPLE_RATE and ends_sentence(spec.result)

    def _best_cut(self, start: int, end: int) -> int:
        """No long pause within the chunk's limit: cut at the longest silence, else at the
        quietest window, in the chunk's second half."""
        lo = (start + (end - start) // 2) // WINDOW
        hi = end // WINDOW
        best, best_len, run = -1, 0, 0
        for i in range(lo, hi):
            run = 0 if self._speech[i] else run + 1
            if run > best_len:
                best, best_len = i - run // 2, run
        if best >= 0:
            return best * WINDOW
        return (lo + (hi - lo) * 3 // 4) * WINDOW

    def _commit(self, start: int, end: int) -> None:
        if self._spec is not None:
            self._resolve_spec(keep=False)
        job = _Job(start, end, speculative=False)
        with self._lock:
            self._committed.append(job)
        self._cut = end
        self._jobs.put(job)

    def _speculate(self, end: int) -> None:
        if end <= self._cut or not self._speech_in(self._cut, end):
            return
        if self._spec is not None:
            if self._spec.end >= self._last_speech * WINDOW + WINDOW:
                return  # it already covers every speech window
            self._resolve_spec(keep=False)
        job = _Job(self._cut, end, speculative=True)
        with self._lock:
            self._spec = job
        self._jobs.put(job)

    def _resolve_spec(self, keep: bool) -> None:
        spec = self._spec
        if spec is None:
            return
        with self._lock:
            self._spec = None
            if keep:
                spec.speculative = False
                self._committed.append(spec)
                self._cut = spec.end
            else:
                spec.dropped = True
                spec.cancel.set()
                self.dropped += 1

    def _drain_and_finish(self) -> None:
        while True:
            try:
                item = self._blocks.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, self._np.ndarray):
                self._append(item)
            elif isinstance(item, threading.Event):
                item.set()
        self._score(pad_end=True)
        spec = self._spec
        if spec is not None:
            # The speculation is the tail when no speech came after it; else it may still
            # stand as a chunk, and only the rest is left.
            keep = True
            if self._speech_in(spec.end, self._n):
                keep = self._keep(spec)
                if keep is None:
                    spec.done.wait()
                    keep = bool(self._keep(spec))
            self._resolve_spec(keep=keep)
        if self._cut < self._n and self._speech_in(self._cut, self._n):
            self._commit(self._cut, self._n)
        self._final.set()
        self._jobs.put(None)

    # ---- decoder thread ---------------------------------------------------------------------

    def _decode_loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                if self._final.is_set() or self._closed:
                    return
                continue
            if job.dropped or job.cancel.is_set():
                job.done.set()
                continue
            try:
                with self._lock:
                    before = [j for j in self._committed if j.end <= job.start]
                previous = " ".join(j.result.text for j in before if j.result is not None)
                prompt = build_prompt(self.filler_prompt, previous, self.policy.context_words)
                self.decodes += 1
                began = time.perf_counter()
                job.result = self.transcriber.transcribe(
                    self._audio[job.start : job.end].copy(),
                    cancel=job.cancel,
                    offset_s=job.start / SAMPLE_RATE,
                    prompt=prompt,
                )
                job.decode_s = time.perf_counter() - began
                self.decode_s += job.decode_s
                log.debug(
                    "decoded %.1f-%.1f s%s in %.2f s",
                    job.start / SAMPLE_RATE,
                    job.end / SAMPLE_RATE,
                    " (speculative)" if job.speculative else "",
                    job.decode_s,
                )
            except BaseException as exc:
                log.exception("streaming decode failed")
                self._error = exc
                job.done.set()
                return
            job.done.set()
            if self.on_partial is not None and not job.dropped:
                try:
                    self.on_partial(self.text)
                except Exception:  # a UI callback must not stop transcription
                    log.exception("on_partial failed")

    def _wait_jobs(self, cancel: threading.Event | None) -> list[_Job]:
        with self._lock:
            jobs = list(self._committed)
        for job in jobs:
            while not job.done.wait(0.05):
                if self._error is not None or not self._decoder.is_alive():
                    break
                if cancel is not None and cancel.is_set():
                    for j in jobs:
                        j.cancel.set()
        return jobs
