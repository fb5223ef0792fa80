"""Which initial_prompt keeps "um" and "uh" without hurting accuracy?

    .venv/bin/python benchmarks/filler_prompt.py [PROMPT_NAME ...]   (default: all candidates)

Speech: the filler fixtures plus more filler-bearing answers rendered here with espeak-ng (not
committed), and the filler-free answers (to catch invented fillers and lost accuracy).
For each candidate prompt it reports, summed over the clips:
- filler recall: reference fillers (um, uh, hmm, er; spelling variants merged) found in the output;
- invented fillers: fillers in the output beyond those in the reference;
- WER on the other words (fillers removed from both sides);
- loops: outputs with a 3-word phrase repeated 3+ times in a row or 1.5x the reference length;
- decode time (slow decodes mean temperature fallbacks, a sign the prompt confuses the model).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_fixtures", REPO / "fixtures/make_fixtures.py")
assert _spec and _spec.loader
fx = importlib.util.module_from_spec(_spec)
sys.modules["make_fixtures"] = fx
_spec.loader.exec_module(fx)

CANDIDATES: dict[str, str] = {
    "none": "",
    "think-like": "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking.",
    "think-short": "Umm, let me think like, hmm... Okay.",
    "so-um": "So, um, I think, uh, it was like, you know, hmm.",
    "well-uh": "Well, uh, um, so, uh, yeah.",
}

# More filler-bearing answers: (text, voice, rate). Rendered to a temp dir on each run.
EXTRA: list[tuple[str, str, int]] = [
    ("Uh, I think my biggest strength is, um, communication.", "en-gb", 160),
    ("So, um, last year I, uh, led a project that, um, cut our costs.", "en-us", 170),
    ("Um, I'm not sure, uh, but I would say, um, teamwork.", "en-us+f3", 160),
    ("Hmm, that is a hard one. Uh, I guess, um, patience.", "en-gb+f2", 150),
    ("Er, well, I want to, um, learn more about, uh, machine learning.", "en-gb", 150),
    ("Uh, we had a deadline and, um, I, uh, stayed late to finish it.", "en-us", 155),
]


def words(text: str) -> list[str]:
    return fx.normalise(text).split()


def fillers(ws: list[str]) -> Counter[str]:
    return Counter(w for w in ws if w in fx.FILLERS)


def looped(hyp: list[str], ref: list[str]) -> bool:
    if len(hyp) > 1.5 * max(len(ref), 4):
        return True
    text = " ".join(hyp)
    return re.search(r"\b(\w+ \w+ \w+)( \1\b){2,}", text) is not None


def main() -> int:
    import jiwer

    from rehearse.speech.transcribe import Transcriber

    clips = [(c.text, c.path, c.kind) for c in fx.load_manifest() if c.kind != "silence"]
    tmp = Path(tempfile.mkdtemp(prefix="rehearse-fillers-"))
    for i, (text, voice, rate) in enumerate(EXTRA):
        path = tmp / f"extra_{i}.wav"
        fx.render(text, voice, rate, path)
        clips.append((text, path, "filler"))
    n_filler_clips = sum(1 for c in clips if c[2] == "filler")
    print(f"{len(clips)} clips ({n_filler_clips} with fillers)\n")

    chosen = {n: p for n, p in CANDIDATES.items() if n in sys.argv[1:] or len(sys.argv) == 1}
    transcriber = Transcriber()
    transcriber.load()
    rows = []
    for name, prompt in chosen.items():
        found = total = invented = loops = 0
        refs: list[str] = []
        hyps: list[str] = []
        started = time.perf_counter()
        for text, path, _kind in clips:
            out = transcriber.transcribe(path, prompt=prompt).text
            ref_w, hyp_w = words(text), words(out)
            rf, hf = fillers(ref_w), fillers(hyp_w)
            total += sum(rf.values())
            found += sum((rf & hf).values())
            invented += sum((hf - rf).values())
            if looped(hyp_w, ref_w):
                loops += 1
                print(f"  loop in {path.name}: {out!r}")
            refs.append(" ".join(w for w in ref_w if w not in rf) or "-")
            hyps.append(" ".join(w for w in hyp_w if w not in hf) or "-")
        seconds = time.perf_counter() - started
        wer = jiwer.wer(refs, hyps)
        rows.append((name, found, total, invented, wer, loops, seconds))
        print(
            f"{name:11} recall {found}/{total}  invented {invented}  WER {wer:.3f}  "
            f"loops {loops}  {seconds:.1f} s",
            flush=True,
        )

    print("\n| prompt | filler recall | invented fillers | WER, other words | loops | time |")
    print("|---|---|---|---|---|---|")
    for name, found, total, invented, wer, loops, seconds in rows:
        print(
            f"| {name} | {found}/{total} ({found / total:.0%}) | {invented} | {wer:.3f} | "
            f"{loops} | {seconds:.1f} s |"
        )
    for name, prompt in chosen.items():
        print(f"- {name}: {prompt!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
