"""An HTML page of cards rendered with the deck's own templates and stylesheet."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from vocab.output.cards import FIELDS, Card
from vocab.output.deck import template
from vocab.reading.articles import VOCAB_OUTPUT_MARK

# One pattern for both, so a template is read in one pass: a section, or a field.
TEMPLATE_PART = re.compile(r"\{\{([#^])(\w+)\}\}(.*?)\{\{/\2\}\}|\{\{(\w+)\}\}", re.S)


def render_template(text: str, fields: Mapping[str, str]) -> str:
    """Fill an Anki template: {{Field}}, {{#Field}}…{{/Field}} (shown if non-empty) and
    {{^Field}}…{{/Field}} (shown if empty) — the subset our templates use.

    One pass over the template, as Anki does: a field's content is put in and never read again,
    so `{{Word}}` inside a field stays text instead of being filled in turn."""
    def part(match: re.Match[str]) -> str:
        kind, name, body, field = match.groups()
        if field is not None:
            return fields.get(field, "")
        shown = bool(fields.get(name, "").strip()) == (kind == "#")
        return render_template(body, fields) if shown else ""

    return TEMPLATE_PART.sub(part, text)


def render_card(card: Card) -> tuple[str, str]:
    """(front, back) HTML of `card`, as Anki renders the deck's template."""
    fields = dict(zip(FIELDS, card.fields))
    front = render_template(template("front.html"), fields)
    back = render_template(template("back.html"), {**fields, "FrontSide": front})
    return front, back


def preview_page(cards: Sequence[Card], titles: Sequence[str] = ()) -> str:
    """A standalone page: a heading naming the articles (`titles`), then each card's front and
    back side by side, in the deck's style."""
    blocks = []
    for number, card in enumerate(cards, start=1):
        front, back = render_card(card)
        blocks.append(
            f'<section class="preview"><h2>{number}. {html.escape(card.word)}</h2>'
            f'<div class="sides"><div class="card side">{front}</div><div class="card side">{back}</div></div>'
            f'<p class="tags">{html.escape(" ".join(card.tags))}</p></section>'
        )
    sources = "".join(f"<li>{html.escape(title)}</li>" for title in titles)
    heading = (f'<header class="page"><h1>vocab preview: the first {len(cards)} card{"" if len(cards) == 1 else "s"}</h1>'
               "<p>Each card's front (left) and back (right), as Anki shows them.</p>"
               + (f"<details><summary>from {len(titles)} article{'' if len(titles) == 1 else 's'}</summary><ul>{sources}</ul></details>"
                  if titles else "") + "</header>")
    return f"""{VOCAB_OUTPUT_MARK}
<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vocab preview: {len(cards)} cards</title>
<style>
{template("style.css")}
body {{ margin: 0; padding: 1em 1.5em 3em; background: #eaeef2; font-family: system-ui, sans-serif; }}
.page {{ max-width: 64em; margin: 0 auto 1.5em; color: #1f2328; }}
.page h1 {{ font-size: 1.5em; margin: 0.3em 0; }}
.page p, .page details {{ color: #57606a; margin: 0.2em 0; }}
.preview {{ margin: 1em auto; max-width: 64em; }}
.preview h2 {{ font: 600 14px sans-serif; color: #57606a; }}
.sides {{ display: flex; flex-wrap: wrap; gap: 1em; }}
.side {{ flex: 1 1 24em; border-radius: 8px; box-shadow: 0 1px 3px #0003; padding: 0.5em; }}
.tags {{ font: 12px monospace; color: #57606a; }}
</style></head>
<body>
{heading}
{"".join(blocks)}
</body></html>
"""
