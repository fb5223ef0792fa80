"""Peak memory of one spoken answer (goal: at most 450 MB): `rehearse listen` on a ~150 s
espeak-ng answer fed at real-time pace, which runs what a practice answer runs (recorder, VAD,
streaming Whisper; the UI adds Textual on top, measured by bench_ui.py).

Peak RSS comes from getrusage(RUSAGE_CHILDREN) after the child exits.
Run: .venv/bin/python benchmarks/bench_memory.py [--seconds 150]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_streaming import make_answer

GOAL_MB = 450


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=150.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        answer, _text, duration = make_answer(Path(tmp), args.seconds)
        env = {**os.environ, "REHEARSE_HOME": tmp}
        proc = subprocess.run(
            [sys.executable, "-m", "rehearse", "listen", "--input-file", str(answer)],
            capture_output=True,
            text=True,
            env=env,
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 2
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"`rehearse listen` on a {duration:.0f} s answer: peak RSS {peak_mb:.0f} MB "
        f"(goal <= {GOAL_MB} MB)"
    )
    return 0 if peak_mb <= GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
