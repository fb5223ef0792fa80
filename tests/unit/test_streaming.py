"""The streaming scheduler: VAD cuts, speculation kept or dropped, prompts, timeline merging.

The VAD is the real Silero model on real speech (espeak-ng fixtures). Whisper is replaced by a
recording fake here, to pin down edge cases; tests/integration/test_listen.py runs the real one.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import numpy as np
import pytest

from conftest import FIXTURES, SHARED
from rehearse.domain import Segment, Transcript, Word
from rehearse.speech.audio_io import load_audio
from rehearse.speech.streaming import (
    WINDOW,
    ChunkPolicy,
    StreamingTranscriber,
    StreamingVad,
    build_prompt,
    ends_sentence,
    merge,
)

SR = 16_000
FILLER = "Umm, let me think like, hmm..."


def speech(name: str) -> np.ndarray:
    return load_audio(FIXTURES / "speech" / name)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


@dataclass
class Call:
    start_s: float
    duration_s: float
    prompt: str | None


@dataclass
class FakeWhisper:
    """Returns one word per chunk, "w<n>", 0.1 s into the chunk; `texts` sets each chunk's text."""

    texts: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    gate: threading.Event | None = None
    fail: bool = False
    model_name: str = "fake"

    def transcribe(
        self,
        audio: np.ndarray,
        cancel: threading.Event | None = None,
        offset_s: float = 0.0,
        prompt: str | None = None,
    ) -> Transcript:
        if self.gate is not None:
            self.gate.wait(10)
        if self.fail:
            raise RuntimeError("decoder broke")
        n = len(self.calls)
        self.calls.append(Call(offset_s, len(audio) / SR, prompt))
        text = self.texts[n] if n < len(self.texts) else f"w{n}."
        word = Word(text, offset_s + 0.1, offset_s + 0.3, 0.9)
        return Transcript(
            text, [word], [Segment(offset_s, offset_s + 0.3, text)], len(audio) / SR, "fake"
        )


def feed(st: StreamingTranscriber, audio: np.ndarray, block: int = 1600) -> None:
    """Feed like a recorder would (100 ms blocks), letting the scheduler see every block."""
    for i in range(0, len(audio), block):
        st.feed(audio[i : i + block])
        assert st.sync(10)


def make(fake: FakeWhisper, **policy: float) -> StreamingTranscriber:
    # Sentence-sized chunks by default, so a few short fixtures make several chunks.
    policy.setdefault("sentence_chunk_s", 2.5)
    return StreamingTranscriber(fake, policy=ChunkPolicy(**policy), filler_prompt=FILLER)


# --- pure helpers ------------------------------------------------------------------------------


def test_prompt_is_the_filler_prompt_then_the_end_of_the_text_so_far() -> None:
    previous = " ".join(f"word{i}" for i in range(100))
    prompt = build_prompt(FILLER, previous, context_words=5)
    assert prompt == f"{FILLER} word95 word96 word97 word98 word99"
    assert build_prompt(FILLER, "", context_words=5) == FILLER
    assert build_prompt("", "a b c", context_words=2) == "b c"


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("I want to lead a team.", True),
        ("Where do I see myself?", True),
        ('He said "go."', True),
        ("And so my fellow Americans asked...", False),
        ("because I enjoy", False),
        ("", False),
    ],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(Transcript(text, [], [], 1.0, "m")) is ends


def test_merge_joins_in_order_and_keeps_word_times_monotonic() -> None:
    a = Transcript(
        "Hello there.",
        [Word("Hello", 0.1, 0.5, 0.9), Word("there.", 0.5, 4.2, 0.8)],
        [Segment(0.1, 4.2, "Hello there.")],
        4.0,
        "m",
    )
    b = Transcript(
        " General Kenobi. ",
        [Word("General", 4.0, 4.6, 0.9), Word("Kenobi.", 4.6, 5.0, 0.9)],
        [Segment(4.0, 5.0, "General Kenobi.")],
        2.0,
        "m",
    )
    empty = Transcript("", [], [], 1.0, "m", note="no speech detected")
    out = merge([a, empty, b], duration_s=7.0, model="tiny.en")
    assert out.text == "Hello there. General Kenobi."
    assert [w.word for w in out.words] == ["Hello", "there.", "General", "Kenobi."]
    # "General" overlapped the previous word's end at a chunk boundary: it starts after it.
    assert out.words[2].start == pytest.approx(4.2)
    starts = [w.start for w in out.words]
    assert starts == sorted(starts)
    assert all(w.end >= w.start for w in out.words)
    assert (out.duration_s, out.model, out.note) == (7.0, "tiny.en", "")
    assert len(out.segments) == 2
    assert merge([empty], 1.0, "m").note == "no speech detected"


# --- the VAD ---------------------------------------------------------------------------------


def test_streaming_vad_scores_like_one_pass_over_the_whole_audio() -> None:
    from faster_whisper.vad import get_vad_model

    audio = load_audio(SHARED / "audio" / "jfk.flac")
    n = len(audio) // WINDOW * WINDOW
    whole = get_vad_model()(audio[:n]).reshape(-1)
    vad = StreamingVad()
    # Uneven pieces, as blocks arrive: the state must carry over between calls.
    cuts = [0, 3 * WINDOW, 4 * WINDOW, 40 * WINDOW, n]
    parts = [vad(audio[a:b].reshape(-1, WINDOW)) for a, b in itertools.pairwise(cuts)]
    np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-5)
    # And it does tell speech from silence.
    assert whole.max() > 0.9
    assert StreamingVad()(np.zeros((20, WINDOW), dtype=np.float32)).max() < 0.2


# --- the scheduler ----------------------------------------------------------------------------


def test_chunks_are_cut_in_pauses_and_words_land_on_the_answer_timeline() -> None:
    # Three answers with 1 s pauses between them; each chunk must start and end in silence.
    parts = [
        speech("answer_growth.wav"),
        speech("answer_leadership.wav"),
        speech("answer_product.wav"),
    ]
    audio = np.concatenate([parts[0], silence(1), parts[1], silence(1), parts[2], silence(0.5)])
    fake = FakeWhisper()
    st = make(fake, min_chunk_s=8.0)
    feed(st, audio)
    out = st.finish()

    assert len(fake.calls) >= 3
    # Consecutive, non-overlapping chunks covering the speech, none longer than the limit.
    for prev, nxt in zip(fake.calls, fake.calls[1:], strict=False):
        assert nxt.start_s == pytest.approx(prev.start_s + prev.duration_s, abs=1e-6)
    assert all(c.duration_s <= 25.0 for c in fake.calls)
    # Every cut falls where the signal is quiet, never inside a word.
    for call in fake.calls[1:]:
        i = int(call.start_s * SR)
        assert np.abs(audio[i - 800 : i + 800]).max() < 0.02, f"cut at {call.start_s:.2f} s"
    # The fake put each word 0.1 s into its chunk: merging kept the chunk offsets.
    assert [w.start for w in out.words] == pytest.approx([c.start_s + 0.1 for c in fake.calls])
    assert out.duration_s == pytest.approx(len(audio) / SR)
    assert out.text == " ".join(f"w{i}." for i in range(len(fake.calls)))


def test_each_prompt_carries_the_text_so_far_after_the_filler_prompt() -> None:
    audio = np.concatenate(
        [speech("answer_growth.wav"), silence(1), speech("answer_leadership.wav")]
    )
    fake = FakeWhisper(texts=[f"Chunk {i}." for i in range(10)])
    st = make(fake, min_chunk_s=8.0)
    feed(st, audio)
    st.finish()
    assert len(fake.calls) >= 2
    assert fake.calls[0].prompt == FILLER
    assert fake.calls[1].prompt == f"{FILLER} Chunk 0."
    if len(fake.calls) > 2:
        assert fake.calls[2].prompt == f"{FILLER} Chunk 0. Chunk 1."


def test_a_speculation_interrupted_mid_sentence_is_dropped_and_redone_whole() -> None:
    clip = speech("q_five_years.wav")  # 2.8 s: shorter than min_chunk_s
    fake = FakeWhisper(texts=["Where do I", "Where do I see myself? Where do I see myself?"])
    st = make(fake, min_chunk_s=10.0)
    feed(st, np.concatenate([clip, silence(0.6)]))
    # The pause made it decode the tail at once, as if the answer had ended.
    assert _wait(lambda: len(fake.calls) == 1)
    assert st.text == "Where do I"
    feed(st, np.concatenate([clip, silence(0.1)]))  # ...but the speaker went on
    out = st.finish()
    assert st.dropped == 1
    # Its text ended mid-sentence, so it was thrown away and the whole answer decoded again.
    assert [round(c.start_s, 3) for c in fake.calls] == [0.0, 0.0]
    # ...up to the end of the second question at least (its speech ends ~2.5 s into it).
    assert fake.calls[1].duration_s > len(clip) / SR + 0.6 + 2.5
    assert out.text == "Where do I see myself? Where do I see myself?"


def test_a_speculation_that_ends_a_sentence_is_kept_when_speech_resumes() -> None:
    clip = speech("answer_growth.wav")[: int(5.95 * SR)]  # its first sentence
    fake = FakeWhisper(texts=["A whole sentence.", "The rest."])
    st = make(fake, min_chunk_s=10.0, sentence_chunk_s=2.5)
    feed(st, np.concatenate([clip, silence(0.6)]))
    assert _wait(lambda: len(fake.calls) == 1)
    resume_s = st.duration_s
    feed(st, speech("q_career_goals.wav"))
    out = st.finish()
    assert st.dropped == 0
    assert len(fake.calls) == 2
    # The second decode covers only what came after the kept chunk.
    assert 0 < fake.calls[1].start_s <= resume_s
    assert out.text == "A whole sentence. The rest."


def test_the_speculated_tail_is_the_final_transcript_when_no_speech_follows() -> None:
    fake = FakeWhisper(texts=["Tell me about yourself."])
    st = make(fake)
    feed(st, np.concatenate([speech("q_about_yourself.wav"), silence(2.0)]))
    assert _wait(lambda: len(fake.calls) == 1)
    out = st.finish()
    # finish() had nothing left to decode: the tail was done during the silence.
    assert len(fake.calls) == 1
    assert out.text == "Tell me about yourself."
    assert out.duration_s == pytest.approx(len(speech("q_about_yourself.wav")) / SR + 2.0)


def test_speech_with_no_pause_is_cut_at_the_chunk_limit() -> None:
    audio = speech("answer_long.wav")[: 30 * SR]
    fake = FakeWhisper()
    # Pauses never long enough: only the length limit cuts.
    st = make(fake, pause_s=5.0, max_chunk_s=6.0)
    feed(st, audio)
    st.finish()
    assert len(fake.calls) >= 5
    assert all(c.duration_s <= 6.0 + 1e-6 for c in fake.calls)
    assert sum(c.duration_s for c in fake.calls) == pytest.approx(30.0, abs=0.1)


def test_silence_alone_decodes_nothing_and_says_so() -> None:
    fake = FakeWhisper()
    st = make(fake)
    feed(st, silence(5.0))
    out = st.finish()
    assert fake.calls == []
    assert (out.text, out.words, out.note) == ("", [], "no speech detected")
    assert out.duration_s == pytest.approx(5.0)


def test_feed_never_waits_for_the_decoder() -> None:
    gate = threading.Event()
    fake = FakeWhisper(gate=gate)
    st = make(fake, min_chunk_s=2.0)
    audio = np.concatenate([speech("answer_growth.wav"), silence(1.0)] * 2)
    for i in range(0, len(audio), 1600):  # returns although every decode is blocked
        st.feed(audio[i : i + 1600])
    assert not gate.is_set() and fake.calls == []
    gate.set()
    out = st.finish()
    assert out.text and out.duration_s == pytest.approx(len(audio) / SR)


def test_partial_text_is_reported_as_chunks_are_decoded() -> None:
    seen: list[str] = []
    fake = FakeWhisper(texts=["One.", "Two."])
    st = StreamingTranscriber(
        fake,
        on_partial=seen.append,
        policy=ChunkPolicy(min_chunk_s=8.0, sentence_chunk_s=2.5),
        filler_prompt=FILLER,
    )
    feed(
        st, np.concatenate([speech("answer_growth.wav"), silence(1), speech("answer_product.wav")])
    )
    out = st.finish()
    assert len(seen) >= 2
    assert seen[0] == "One."
    assert seen[1].startswith("One. Two.")
    assert seen[-1] == out.text


def test_a_decoder_failure_surfaces_in_finish() -> None:
    fake = FakeWhisper(fail=True)
    st = make(fake)
    feed(st, np.concatenate([speech("q_why_here.wav"), silence(0.5)]))
    with pytest.raises(RuntimeError, match="decoder broke"):
        st.finish()


def _wait(predicate: object, timeout: float = 10.0) -> bool:
    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if predicate():  # type: ignore[operator]
            return True
        done.wait(0.02)
    return False
