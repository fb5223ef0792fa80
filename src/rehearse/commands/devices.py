"""`rehearse devices`: list the input devices and test the level of one of them."""

from __future__ import annotations

import json
from typing import Any

import click

LEVEL_TEST_SECONDS = 1.0
# Verdict thresholds for the level test (peak and RMS over the test, in dBFS).
SILENT_PEAK_DBFS = -60.0  # nothing but digital silence or a muted input
QUIET_RMS_DBFS = -50.0  # only a faint signal reaches us: gain too low or mic far away
CLIPPING_PEAK_DBFS = -0.1  # touching full scale: the input gain is too high


def verdict(peak_dbfs: float, rms_dbfs: float) -> str:
    if peak_dbfs <= SILENT_PEAK_DBFS:
        return "silent — check the mic is unmuted and its input volume is up"
    if peak_dbfs >= CLIPPING_PEAK_DBFS:
        return "clipping — lower the input volume"
    if rms_dbfs <= QUIET_RMS_DBFS:
        return "quiet — speak now to test, or raise the input volume"
    return "ok — sound is coming in"


def level_test(device: str | None) -> dict[str, Any]:
    """Record LEVEL_TEST_SECONDS from the device, keeping nothing, and judge the level."""
    from rehearse.speech.capture import MicrophoneSource, Recorder

    source = MicrophoneSource(device)
    result = Recorder(source, None, max_seconds=LEVEL_TEST_SECONDS).record()
    out: dict[str, Any] = {
        "device": source.device.to_dict(),
        "seconds": round(result.duration_s, 2),
        "peak_dbfs": round(result.peak_dbfs, 1),
        "rms_dbfs": round(result.rms_dbfs, 1),
        "verdict": verdict(result.peak_dbfs, result.rms_dbfs),
    }
    if result.stop_reason == "error":
        out["verdict"] = f"failed — {result.error}"
    return out


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--no-test", is_flag=True, help="Only list the devices; skip the 1 s level test.")
@click.option(
    "--device",
    help="Device to level-test: index or name substring (default: the config's "
    "input_device, else the system default).",
)
def devices(fmt: str, no_test: bool, device: str | None) -> None:
    """List input devices and run a short level test on the default or chosen one."""
    from rehearse.config import load_settings
    from rehearse.errors import RehearseError
    from rehearse.speech.capture import list_input_devices

    found = list_input_devices()
    chosen = device if device is not None else load_settings().input_device or None
    test = None if no_test else level_test(chosen)
    if fmt == "json":
        payload = {"devices": [d.to_dict() for d in found], "level_test": test}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        if not found:
            click.echo("No input devices.")
        width = max([len(d.name) for d in found] + [4])
        click.echo(f"  {'#':>3}  {'name':<{width}}  channels  rate")
        for d in found:
            mark = "*" if d.is_default else " "
            click.echo(
                f"{mark} {d.index:>3}  {d.name:<{width}}  {d.channels:>8}  "
                f"{d.default_samplerate:.0f} Hz ({d.hostapi})"
            )
        click.echo("(* = default)")
        if test is not None:
            click.echo(
                f"Level test on {test['device']['name']!r} ({test['seconds']:.1f} s): "
                f"peak {test['peak_dbfs']:.1f} dBFS, RMS {test['rms_dbfs']:.1f} dBFS — "
                f"{test['verdict']}"
            )
    if not found:
        raise RehearseError(
            "No microphone was found; plug one in or enable it, then run `rehearse devices` again."
        )
