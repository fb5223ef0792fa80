"""Start-up time of `rehearse --help` (goal: under 0.3 s), and which heavy modules it imports.

`--help` imports every command module to list it, so one heavy import at the top of any command
shows up here. Run: .venv/bin/python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_S = 0.3
HEAVY = [
    "numpy",
    "faster_whisper",
    "ctranslate2",
    "onnxruntime",
    "sounddevice",
    "pyttsx3",
    "textual",
]

PROBE = """
import sys
from rehearse.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
heavy = [m for m in HEAVY if m in sys.modules]
print("heavy:", ",".join(heavy) or "none", file=sys.stderr)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "rehearse")
    subprocess.run([exe, "--help"], capture_output=True, check=True)  # warm the page cache
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([exe, "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    probe = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        capture_output=True,
        text=True,
        check=True,
    )
    heavy = probe.stderr.strip().splitlines()[-1]
    load = Path("/proc/loadavg").read_text().split()[:3]
    med = statistics.median(times)
    print(f"load average: {' '.join(load)}")
    print(
        f"`rehearse --help`: median {med * 1000:.0f} ms, best {min(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms over {args.runs} runs (goal < {GOAL_S * 1000:.0f} ms)"
    )
    print(f"modules imported by --help: {heavy}")
    return 0 if med < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
