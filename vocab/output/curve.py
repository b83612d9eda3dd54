"""The coverage curve: how much of the text a learner reads against how many new words they learn
(most frequent first), drawn in the terminal and as an SVG in an HTML report."""

from __future__ import annotations

import html
from collections.abc import Sequence

from vocab.learner.coverage import TARGETS, Coverage

Point = tuple[int, float]  # (new words learnt, share of running words known, 0–1)
BLOCKS = " ▁▂▃▄▅▆▇█"


def coverage_curve(cov: Coverage) -> list[Point]:
    """Coverage after learning the first n unknown words (most frequent first), n = 0 … all:
    one pass over the unknown words, linear in their number."""
    points = [(0, cov.share)]
    known = cov.known
    for n, word in enumerate(cov.unknown, start=1):
        known += word.count
        points.append((n, known / cov.words if cov.words else 1.0))
    return points


def marks(cov: Coverage, targets: Sequence[int] = TARGETS) -> list[tuple[int, int]]:
    """(target per cent, new words needed) for each target."""
    return [(target, cov.words_to_reach(target)) for target in targets]


def terminal_curve(cov: Coverage, width: int = 60, height: int = 8) -> list[str]:
    """The curve as `height` text rows of `width` columns (block characters, y from the starting
    coverage to 100 %), an axis line, and where each target falls."""
    points = coverage_curve(cov)
    width = max(10, width)
    last = points[-1][0]
    low = min(p[1] for p in points)
    span = max(1e-9, 1.0 - low)
    # The share after learning round(x * last / (width - 1)) words, for each column.
    levels = [(points[round(col * last / (width - 1))][1] - low) / span * height if last else height
              for col in range(width)]
    rows = []
    for row in range(height, 0, -1):
        line = "".join(BLOCKS[max(0, min(8, round((level - (row - 1)) * 8)))] for level in levels)
        label = {height: f"{1.0:6.1%} ┤", 1: f"{low:6.1%} ┤"}.get(row, "       │")
        rows.append(label + line)
    axis = ["─"] * width
    for _, n in marks(cov):  # where each target is reached, on the axis
        axis[min(width - 1, round(n * (width - 1) / last)) if last else 0] = "┴"
    rows.append("       └" + "".join(axis))
    rows.append(f"        0 new words{'':>{max(1, width - 28)}}{last} words")
    rows.append("        " + "   ".join(f"{t} % at {n} words" for t, n in marks(cov)))
    return rows


def curve_svg(cov: Coverage, width: int = 640, height: int = 280) -> str:
    """The curve as an inline SVG: a line, the target levels dashed, each crossing marked."""
    points = coverage_curve(cov)
    last = max(1, points[-1][0])
    low = min(0.5, min(p[1] for p in points))
    pad = 40

    def x(n: float) -> float:
        return pad + (width - 2 * pad) * n / last

    def y(share: float) -> float:
        return height - pad - (height - 2 * pad) * (share - low) / (1 - low)

    path = " ".join(f"{x(n):.1f},{y(s):.1f}" for n, s in points)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="coverage against new words learnt" class="curve">',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" class="axis"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" class="axis"/>',
             f'<polyline points="{path}" class="line"/>']
    for target, n in marks(cov):
        parts.append(f'<line x1="{pad}" y1="{y(target / 100):.1f}" x2="{width - pad}" y2="{y(target / 100):.1f}" class="target"/>')
        parts.append(f'<circle cx="{x(n):.1f}" cy="{y(target / 100):.1f}" r="4" class="mark"/>')
        parts.append(f'<text x="{x(n) + 6:.1f}" y="{y(target / 100) - 6:.1f}">{target} % · {n} words</text>')
    parts.append(f'<text x="{pad}" y="{height - 12}">0</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 12}" text-anchor="end">{last} new words</text>')
    parts.append(f'<text x="{pad - 4}" y="{y(low) :.1f}" text-anchor="end">{low:.0%}</text>')
    parts.append(f'<text x="{pad - 4}" y="{y(1.0):.1f}" text-anchor="end">100%</text>')
    parts.append("</svg>")
    return "".join(parts)


def coverage_page(title: str, rows: Sequence[tuple[str, Coverage]], overall: Coverage) -> str:
    """A standalone HTML report: the overall curve, then each article's numbers."""
    from vocab.reading.articles import VOCAB_OUTPUT_MARK

    table = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{cov.words}</td><td>{cov.share:.1%}</td>"
        + "".join(f"<td>{n}</td>" for _, n in marks(cov)) + "</tr>"
        for label, cov in rows)
    headers = "".join(f"<th>→{t} %</th>" for t in TARGETS)
    return f"""{VOCAB_OUTPUT_MARK}
<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 48em; padding: 0 1em; color: #1f2328; }}
.curve {{ width: 100%; height: auto; }}
.curve .axis {{ stroke: #57606a; }} .curve .line {{ fill: none; stroke: #2f6feb; stroke-width: 2.5; }}
.curve .target {{ stroke: #d0d7de; stroke-dasharray: 4 4; }} .curve .mark {{ fill: #b3261e; }}
.curve text {{ font-size: 12px; fill: #57606a; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 0.2em 0.5em; border-bottom: 1px solid #d0d7de; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #161b22; color: #e6edf3; }} .curve text {{ fill: #b1bac4; }}
  .curve .target, td, th {{ border-color: #30363d; stroke: #30363d; }} }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>How much of the articles you read against how many new words you learn, most frequent first.</p>
{curve_svg(overall)}
<table><tr><th>article</th><th>words</th><th>known</th>{headers}</tr>{table}</table>
</body></html>
"""
