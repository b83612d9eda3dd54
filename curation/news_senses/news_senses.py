"""Build vocab/data/news_senses.tsv: the sense and gloss political news means, for every JMdict
entry that JMdict marks as common in newspapers (news1/news2) and that has a choice to make.

JMdict orders senses and glosses by general use: 会談 leads with "conversation", 機関 with
"engine", 浮き彫り with "relief" (sculpture). Which of them a news text means is a judgement
the data does not carry, so teachers make it once per entry, by the procedure in README.md:

    python curation/news_senses/news_senses.py worklist   # write the worklist chunks
    (teachers answer each chunk, README.md)                # decisions/*.tsv
    python curation/news_senses/news_senses.py build      # check and write vocab/data/news_senses.tsv
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORKLIST = HERE / "worklist"
DECISIONS = HERE / "decisions"
OUTPUT = ROOT / "vocab" / "data" / "news_senses.tsv"
NEWS_TAGS = ("news1", "news2")
CHUNK = 300
MAX_SENSES = 6      # the lead is never further down; long tails of senses only cost reading
MAX_GLOSSES = 5
POS_ABBREVIATIONS = {  # JMdict's part-of-speech texts, shortened for the worklist
    "noun (common) (futsuumeishi)": "n", "noun or participle which takes the aux. verb suru": "vs",
    "adjectival nouns or quasi-adjectives (keiyodoshi)": "adj-na", "adverb (fukushi)": "adv",
    "nouns which may take the genitive case particle 'no'": "adj-no", "suffix": "suf", "prefix": "pref",
    "adjective (keiyoushi)": "adj-i", "transitive verb": "vt", "intransitive verb": "vi",
    "Ichidan verb": "v1", "counter": "ctr", "expressions (phrases, clauses, etc.)": "exp",
}


def _database() -> sqlite3.Connection:
    import jamdict_data

    return sqlite3.connect(Path(jamdict_data.JAMDICT_DB_PATH).as_uri() + "?mode=ro", uri=True)


def news_entries(db: sqlite3.Connection) -> list[tuple[int, int]]:
    """(newspaper band, idseq) of every entry with a news1/news2 headword, best band first."""
    band: dict[int, int] = {}
    for head, prio in (("Kanji", "KJP"), ("Kana", "KNP")):
        ids: dict[int, set[str]] = defaultdict(set)
        for idseq, tag in db.execute(f"SELECT h.idseq, p.text FROM {prio} p JOIN {head} h ON h.ID = p.kid"):
            ids[idseq].add(tag)
        for idseq, tags in ids.items():
            if tags & set(NEWS_TAGS):
                nf = min((int(t[2:]) for t in tags if t.startswith("nf") and t[2:].isdigit()), default=99)
                band[idseq] = min(band.get(idseq, 99), nf)
    return sorted((nf, idseq) for idseq, nf in band.items())


def senses(db: sqlite3.Connection, idseq: int) -> list[tuple[int, list[str], list[str]]]:
    """(sense id, glosses, notes) in JMdict order; notes are POS, misc, field, dialect, info."""
    result = []
    last_pos: list[str] = []
    for (sid,) in db.execute("SELECT ID FROM Sense WHERE idseq = ? ORDER BY ID", (idseq,)).fetchall():
        glosses = [g for (g,) in db.execute("SELECT text FROM SenseGloss WHERE sid = ? AND lang = 'eng' ORDER BY rowid", (sid,))]
        pos = [POS_ABBREVIATIONS.get(p, p.split(" (")[0]) for (p,) in db.execute("SELECT text FROM pos WHERE sid = ?", (sid,))]
        last_pos = pos or last_pos
        notes = list(last_pos)
        for table in ("misc", "field", "dialect", "SenseInfo"):
            notes += [t for (t,) in db.execute(f"SELECT text FROM {table} WHERE sid = ?", (sid,))]
        if glosses:
            result.append((sid, glosses, notes))
    return result


def headwords(db: sqlite3.Connection, idseq: int) -> str:
    kanji = [t for (t,) in db.execute("SELECT text FROM Kanji WHERE idseq = ? ORDER BY ID", (idseq,))][:3]
    kana = [t for (t,) in db.execute("SELECT text FROM Kana WHERE idseq = ? ORDER BY ID", (idseq,))][:2]
    return f"{'・'.join(kanji)}【{'・'.join(kana)}】" if kanji else '・'.join(kana)


def worklist() -> None:
    """Write worklist/NNN.txt: every news entry with more than one gloss, CHUNK entries a file."""
    db = _database()
    WORKLIST.mkdir(exist_ok=True)
    lines = []
    for nf, idseq in news_entries(db):
        entry_senses = senses(db, idseq)[:MAX_SENSES]
        if sum(len(g) for _, g, _ in entry_senses) < 2:
            continue  # one gloss: nothing to choose
        text = [f"{idseq}\t{headwords(db, idseq)}"]
        for number, (_, glosses, notes) in enumerate(entry_senses, 1):
            shown = "; ".join(f"{i}) {g[:70]}" for i, g in enumerate(glosses[:MAX_GLOSSES], 1))
            text.append(f"\t{number}. [{', '.join(notes)}] {shown}")
        lines.append("\n".join(text))
    for i in range(0, len(lines), CHUNK):
        (WORKLIST / f"{i // CHUNK + 1:03}.txt").write_text("\n".join(lines[i:i + CHUNK]) + "\n", encoding="utf-8")
    print(f"{len(lines)} entries in {(len(lines) + CHUNK - 1) // CHUNK} chunks in {WORKLIST}")


def build() -> None:
    """Check every decision against the database and write vocab/data/news_senses.tsv."""
    db = _database()
    chosen: dict[int, tuple[int, int, str]] = {}
    problems = 0
    for path in sorted(DECISIONS.glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                idseq_text, choice = line.split("\t")[:2]
                sense_no, gloss_no = (int(x) for x in choice.strip().split("."))
                idseq = int(idseq_text)
                entry_senses = senses(db, idseq)
                gloss = entry_senses[sense_no - 1][1][gloss_no - 1]
            except (ValueError, IndexError):
                print(f"{path.name}:{number}: not a valid decision: {line!r}", file=sys.stderr)
                problems += 1
                continue
            if (sense_no, gloss_no) != (1, 1):
                chosen[idseq] = (sense_no, gloss_no, gloss)
    OUTPUT.parent.mkdir(exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8") as f:
        f.write("# The gloss political news means, for JMdict news1/news2 entries whose first gloss is not it.\n"
                "# Built by curation/news_senses/news_senses.py from teachers' decisions (README.md there).\n"
                "# JMdict (EDRDG, CC BY-SA 4.0). Columns: idseq, sense (1-based), gloss (1-based), gloss text.\n")
        for idseq, (sense_no, gloss_no, gloss) in sorted(chosen.items()):
            f.write(f"{idseq}\t{sense_no}\t{gloss_no}\t{gloss}\n")
    print(f"{len(chosen)} entries to {OUTPUT} ({problems} problems)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("worklist", "build"))
    {"worklist": worklist, "build": build}[parser.parse_args().step]()
