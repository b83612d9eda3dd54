"""How an article is named to a learner: its title, else its file name; never a hash."""

from __future__ import annotations

import re

CUT = "…"
SENTENCE_ENDS = ("…", "。")  # a "title" ending so is the article's first sentence, not a headline
# A file name that is only a content hash (with a number before it): 000_17ad8956b995fb24.txt.
HASH_NAME = re.compile(r"^(?:\d+[_-])?[0-9a-f]{12,}$", re.I)


def article_label(name: str, title: str) -> str:
    """The article's headline; for an article without one (its "title" is its first sentence,
    ending in 。 or cut with …), its file name, unless that is only a hash: then that sentence."""
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    if is_headline(title):
        return title
    if stem and not HASH_NAME.match(stem) and stem != "-":
        return stem
    return title or stem


def is_headline(title: str) -> bool:
    """Whether `title` is a headline rather than a first sentence cut short."""
    return bool(title) and not title.endswith(SENTENCE_ENDS)
