"""A Report as terminal text or Markdown. Plain strings: the caller decides on colour."""

from __future__ import annotations

import textwrap

import click

from rehearse.domain import Report

_MARK = {"pass": "✔", "partial": "◐", "miss": "✘"}
_COLOUR = {"pass": "green", "partial": "yellow", "miss": "red"}


def _quote(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _times(start_s: float | None, end_s: float | None) -> str:
    return f" [{start_s:.1f}-{end_s:.1f}s]" if start_s is not None and end_s is not None else ""


def _delivery_lines(report: Report) -> list[str]:
    d = report.delivery
    if d is None:
        return []
    lines = [
        f"  Duration {d.duration_s:.1f}s, speaking {d.speaking_s:.1f}s, "
        f"first word after {d.time_to_first_word_s or 0:.1f}s",
        f"  Pace {d.wpm:.0f} wpm ({d.wpm_band}; aim for 130-160)",
        f"  Fillers {len(d.fillers)} ({d.fillers_per_minute:.1f}/min)"
        + (
            ": " + ", ".join(f"{f.text}@{f.start_s:.1f}s" for f in d.fillers[:8])
            if d.fillers
            else ""
        ),
        f"  Long pauses {len(d.pauses)} (longest gap {d.longest_pause_s:.1f}s)",
        f"  Hedges {len(d.hedges)}"
        + (": " + ", ".join(f'"{h.text}"' for h in d.hedges[:6]) if d.hedges else ""),
    ]
    return lines


def render_text(report: Report, color: bool = False) -> str:
    """Readable in a terminal; `color=True` adds ANSI styles (click strips them when piped)."""

    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    wrap = textwrap.TextWrapper(width=92, initial_indent="      ", subsequent_indent="      ")
    out = [
        style(f"{report.question_text}", bold=True),
        f"Score {style(str(report.score), bold=True)}/100  ·  {report.word_count} words"
        + (f"  ·  profile: {report.profile.company}" if report.profile else ""),
        "",
    ]
    for c in report.checks:
        mark = style(f"{_MARK[c.verdict]} {c.verdict:<7}", fg=_COLOUR[c.verdict])
        out.append(f"  {mark} {c.label}")
        out.extend(wrap.wrap(c.explanation))
        for e in c.evidence[:2]:
            out.extend(wrap.wrap(f'"{_quote(e.text)}"{_times(e.start_s, e.end_s)}'))
        if c.tip:
            out.extend(wrap.wrap(style("Try: ", bold=True) + c.tip))
    if report.red_flags:
        out += ["", style("Red flags", fg="red", bold=True)]
        for f in report.red_flags:
            out.append(f"  ! {f.label}")
            out.extend(wrap.wrap(f.explanation))
            for e in f.evidence[:2]:
                out.extend(wrap.wrap(f'"{_quote(e.text)}"{_times(e.start_s, e.end_s)}'))
    if report.delivery is not None:
        out += ["", style("Delivery", bold=True), *_delivery_lines(report)]
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    out = [
        f"# {report.question_text}",
        "",
        f"**Score: {report.score}/100** · {report.word_count} words"
        + (
            f" · profile: {report.profile.company} ({report.profile.role})"
            if report.profile
            else ""
        ),
        "",
        "| Check | Verdict | Why |",
        "|---|---|---|",
    ]
    for c in report.checks:
        out.append(f"| {c.label} | {_MARK[c.verdict]} {c.verdict} | {c.explanation} |")
    out.append("")
    for c in report.checks:
        if not (c.evidence or c.tip):
            continue
        out.append(f"## {c.label}")
        for e in c.evidence[:2]:
            out.append(f"> {_quote(e.text, 300)}{_times(e.start_s, e.end_s)}")
            out.append("")
        if c.tip:
            out.append(f"*Try:* {c.tip}")
            out.append("")
    if report.red_flags:
        out.append("## Red flags")
        for f in report.red_flags:
            out.append(f"- **{f.label}**: {f.explanation}")
            for e in f.evidence[:2]:
                out.append(f"  > {_quote(e.text, 300)}")
        out.append("")
    if report.delivery is not None:
        out.append("## Delivery")
        out.extend(f"- {line.strip()}" for line in _delivery_lines(report))
        out.append("")
    return "\n".join(out)
