"""The baseline: gloss each candidate with its own `Jamdict.lookup()` call, as jamdict's README does.

`jamdict_lookup` has `vocab.resources.dictionary.lookup`'s signature, so the benchmark can run the whole
pipeline with it (`python bench/baseline.py build …` is `vocab build …` glossing this way) or
time the two side by side on the same queries.

jamdict's defaults also search kanji characters and JMnedict names with wildcards, which costs
≈ 60 ms a word; the baseline turns those off (strict, words only) to compare like with like, and
the benchmark times the defaults on a few words separately.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from vocab.resources import dictionary
from vocab.resources.dictionary import COMMON_TAGS, Entry, Sense
from vocab.resources.kana import hiragana

if TYPE_CHECKING:
    from jamdict import Jamdict

Query = tuple[str, str, "str | None"]


@functools.cache
def jamdict() -> Jamdict:
    """A Jamdict on jamdict-data's database, passed explicitly (it would prefer ~/.jamdict)."""
    import jamdict_data
    from jamdict import Jamdict

    path = jamdict_data.JAMDICT_DB_PATH
    return Jamdict(db_file=path, kd2_file=path, jmnedict_file=path)


def jamdict_lookup(queries: Iterable[Query], *, defaults: bool = False) -> dict[Query, Entry]:
    """One `Jamdict.lookup()` per distinct query; the entry whose reading matches wins, as in
    `vocab.resources.dictionary.lookup`. With `defaults`, jamdict's own (slow) search options."""
    options = {} if defaults else {"strict_lookup": True, "lookup_chars": False, "lookup_ne": False}
    result = {}
    for query in dict.fromkeys(queries):
        written, reading, _ = query
        found = jamdict().lookup(written, **options).entries
        if found:
            best = next((e for e in found if any(hiragana(k.text) == hiragana(reading) for k in e.kana_forms)), found[0])
            entry = _entry(written, reading, best)
            if entry.senses:
                result[query] = entry
    return result


def _entry(written: str, reading: str, found) -> Entry:  # noqa: ANN001 - jamdict's JMDEntry
    kana = [k.text for k in found.kana_forms]
    senses = tuple(Sense(tuple(g.text for g in s.gloss if g.lang in ("", "eng")), tuple(s.pos), tuple(s.misc))
                   for s in found.senses)
    tags = {tag for form in (*found.kanji_forms, *found.kana_forms) for tag in form.pri}
    values = {
        "idseq": int(found.idseq),
        "written": written,
        "reading": next((k for k in kana if hiragana(k) == hiragana(reading)), kana[0] if kana else reading),
        "senses": tuple(s for s in senses if s.glosses),
        "common": bool(tags & COMMON_TAGS),
    }
    # Fields vocab adds later (a news rank, …) are left empty: the baseline is about cost.
    return Entry(**{f.name: values.get(f.name) for f in dataclasses.fields(Entry)})


def main() -> None:
    """`vocab` with per-word jamdict lookups in place of the batched ones."""
    from vocab.cli import main as vocab_main

    dictionary.lookup = jamdict_lookup
    sys.argv[0] = "vocab"
    vocab_main()


if __name__ == "__main__":
    main()
