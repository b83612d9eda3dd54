"""The learner's own Anki: known words read from real `anki` collections (also while a real
Anki process holds one open and writes), i+1 example sentences, and the push through a real
AnkiConnect-protocol server over a real collection."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from anki.collection import Collection

from anki_helpers import import_apkg, notes_by_word
from ankiconnect_server import served
from conftest import ARTICLES, ROOT, TIMESTAMP
from vocab.errors import VocabError
from vocab.learner.anki import (MATURE, NEW, YOUNG, AnkiBusy, anki_words, card_state, parse_field_choices,
                                read_collection, word_field, words_through_ankiconnect)
from vocab.learner.selection import Selection
from vocab.output.ankiconnect import AnkiConnect, push
from vocab.output.deck import DECK_NAME, MODEL_ID, MODEL_NAME
from vocab.pipeline import analyse, cards_of, write_deck

VOCAB = [str(ROOT / ".venv" / "bin" / "vocab")]


def core_note_type(col: Collection, name: str = "Japanese Core", fields=("Expression", "Meaning")) -> dict:
    """A Core-deck-like note type (word in "Expression"), made through Anki's own API."""
    model = col.models.new(name)
    for field in fields:
        col.models.add_field(model, col.models.new_field(field))
    template = col.models.new_template("Card 1")
    template["qfmt"], template["afmt"] = "{{%s}}" % fields[0], "{{FrontSide}}<hr>{{%s}}" % fields[1]
    col.models.add_template(model, template)
    col.models.add(model)
    return col.models.by_name(name)


def add_card(col: Collection, model: dict, first: str, state: tuple[int, int] | None) -> int:
    """A note whose card has Anki's (type, interval); None: a new card. Returns the note id."""
    note = col.new_note(model)
    note.fields[0] = first
    col.add_note(note, col.decks.id("Core"))
    if state is not None:
        card = note.cards()[0]
        card.type, card.ivl = state
        card.queue = 2 if state[0] == 2 else 1
        card.due = 100
        col.update_card(card)
    return note.id


MATURE_CARD, YOUNG_CARD, LEARNING_CARD, RELEARNING_CARD = (2, 30), (2, 5), (1, 0), (3, 40)


def make_collection(path: Path, cards: dict[str, tuple[int, int] | None], **kwargs) -> Path:
    col = Collection(str(path))
    model = core_note_type(col, **kwargs)
    for first, state in cards.items():
        add_card(col, model, first, state)
    col.close()
    return path


# ── Card states and fields ────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("card_type, interval, days, expected", [
    (2, 21, 21, MATURE), (2, 400, 21, MATURE), (2, 20, 21, YOUNG), (2, 15, 10, MATURE),
    (1, 0, 21, YOUNG), (3, 40, 21, YOUNG), (0, 0, 21, NEW), (0, 30, 21, NEW),
])
def test_card_state(card_type: int, interval: int, days: int, expected: int) -> None:
    assert card_state(card_type, interval, days) == expected


@pytest.mark.parametrize("fields, expected", [
    (("Expression", "Meaning"), 0), (("Meaning", "Word"), 1), (("Vocabulary-English", "Vocabulary-Kanji"), 1),
    (("Sentence", "Vocab Furigana"), 1), (("Front", "Back"), 0), (("Back", "Text"), 0), (("意味", "単語"), 1),
])
def test_word_field_guess(fields: tuple[str, ...], expected: int) -> None:
    assert word_field(fields) == expected


@pytest.mark.parametrize("bad", ["Expression", ":Expression", "Core:", ""])
def test_anki_field_needs_note_type_and_field(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_field_choices([bad])


def test_note_type_names_may_hold_colons() -> None:
    assert parse_field_choices(["Japanese: Core 2k:Vocab"]) == {"Japanese: Core 2k": "Vocab"}


def test_words_by_state_with_html_furigana_and_ruby(tmp_path: Path) -> None:
    path = make_collection(tmp_path / "c.anki2", {
        "<b>外相</b>": MATURE_CARD, " 首脳[しゅのう]": MATURE_CARD, "<ruby>協議<rt>きょうぎ</rt></ruby>": YOUNG_CARD,
        "閣僚&nbsp;": LEARNING_CARD, "制裁": RELEARNING_CARD, "歳出": None,
    })
    words = read_collection(path)
    assert words.mature == {"外相", "首脳"}
    assert words.young == {"協議", "閣僚", "制裁"}
    assert words.new == {"歳出"}
    (core,) = words.note_types
    assert (core.name, core.field, core.mature, core.young, core.new) == ("Japanese Core", "Expression", 2, 3, 1)
    assert read_collection(path, mature_days=3).mature == {"外相", "首脳", "協議"}


def test_best_card_of_a_word_wins(tmp_path: Path) -> None:
    path = make_collection(tmp_path / "c.anki2", {"外相": None, "外相 ": MATURE_CARD, "協議": YOUNG_CARD, "協議 ": None})
    words = read_collection(path)
    assert (words.mature, words.young, words.new) == ({"外相"}, {"協議"}, frozenset())


def test_chosen_field_and_wrong_choices(tmp_path: Path) -> None:
    path = tmp_path / "c.anki2"
    col = Collection(str(path))
    model = core_note_type(col, "Sentences", ("Sentence", "Target"))
    note = col.new_note(model)
    note["Sentence"], note["Target"] = "外相が会談した", "会談"
    col.add_note(note, col.decks.id("Default"))
    col.close()
    assert read_collection(path).new == {"外相が会談した"}
    assert read_collection(path, choices={"Sentences": "Target"}).new == {"会談"}
    with pytest.raises(VocabError, match="no field 'Nope'"):
        read_collection(path, choices={"Sentences": "Nope"})
    with pytest.raises(VocabError, match="no note type 'Core'"):
        read_collection(path, choices={"Core": "Word"})


@pytest.mark.parametrize("content", [b"", b"not sqlite at all" * 100])
def test_not_a_collection_is_one_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "collection.anki2"
    path.write_bytes(content)
    with pytest.raises(VocabError, match="collection"):
        read_collection(path)


def test_profile_folder_and_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path / "Anki2"
    for profile in ("User 1", "Zed"):
        (base / profile).mkdir(parents=True)
        make_collection(base / profile / "collection.anki2", {f"{profile}語": MATURE_CARD})
    monkeypatch.setenv("ANKI_BASE", str(base))
    assert anki_words(None).mature == {"User 1語"}
    assert anki_words("Zed").mature == {"Zed語"}
    assert anki_words(str(base / "Zed")).mature == {"Zed語"}
    with pytest.raises(VocabError, match="no such Anki profile"):
        anki_words("Nobody")


# ── Safe while Anki runs ──────────────────────────────────────────────────────────────────

HOLDER = """
import sys, time
from anki.collection import Collection
col = Collection(sys.argv[1])
model = col.models.by_name("Japanese Core")
note = col.new_note(model); note.fields[0] = "開会"; col.add_note(note, col.decks.id("Core"))  # Anki writes at start
print("open", flush=True)
end = time.time() + float(sys.argv[2])
added = 1
while time.time() < end:
    note = col.new_note(model); note.fields[0] = f"語{added}"; col.add_note(note, col.decks.id("Core")); added += 1
    time.sleep(0.005)
col.close()
print(added, flush=True)
"""


def test_collection_held_open_by_anki_is_never_read_around_its_lock(tmp_path: Path) -> None:
    """A real Anki process writing to the collection: vocab neither reads a half-written state
    nor blocks it; once Anki has closed it, vocab reads everything."""
    path = make_collection(tmp_path / "collection.anki2", {"外相": MATURE_CARD})
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), "5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        for _ in range(3):  # each waits LOCK_WAIT (1 s) for the lock: all within the 5 s Anki holds it
            started = time.perf_counter()
            with pytest.raises(AnkiBusy):
                read_collection(path)
            assert time.perf_counter() - started < 3
        added = int(holder.stdout.readline())
        assert holder.wait(timeout=30) == 0  # Anki never met a lock of ours
    finally:
        holder.kill()
    assert added > 0
    words = read_collection(path)
    assert len(words.in_anki) == added + 1 and "外相" in words.mature


def test_open_collection_is_read_through_ankiconnect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_collection(tmp_path / "collection.anki2", {"外相": MATURE_CARD, "協議": YOUNG_CARD, "歳出": None})
    with served(path) as (url, _):  # holds the collection, as a running Anki does
        with pytest.raises(AnkiBusy):
            read_collection(path)
        words = anki_words(str(path), url=url)
    assert (words.mature, words.young, words.new) == ({"外相"}, {"協議"}, {"歳出"})
    assert words == read_collection(path).__class__(words.source, *(getattr(read_collection(path), k)
                                                                     for k in ("mature", "young", "new")),
                                                     words.note_types)


def test_open_collection_without_ankiconnect_is_one_line(tmp_path: Path) -> None:
    path = make_collection(tmp_path / "collection.anki2", {"外相": MATURE_CARD})
    # Anki running, AnkiConnect not installed
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(VocabError, match="AnkiConnect is not reachable.*close Anki"):
            anki_words(str(path), url="http://127.0.0.1:9")
    finally:
        holder.kill()
        holder.wait()


# ── The sample deck: 50 words mature, 20 young ─────────────────────────────────────────────

@pytest.fixture(scope="module")
def learner_collection(tmp_path_factory: pytest.TempPathFactory, sample_vocabulary) -> tuple[Path, list[str], list[str]]:
    words = [t.word for t in sample_vocabulary.terms if t.kind != "name"]
    mature, young = words[:50], words[50:70]
    path = tmp_path_factory.mktemp("anki") / "collection.anki2"
    make_collection(path, {**{f"<b>{w}</b>": MATURE_CARD for w in mature}, **{w: YOUNG_CARD for w in young}})
    return path, mature, young


def test_deck_leaves_out_mature_and_young_words(learner_collection) -> None:
    path, mature, young = learner_collection
    words = read_collection(path)
    assert words.mature == set(mature) and words.young == set(young)
    vocabulary = analyse([ARTICLES], Selection(known=words.in_anki))
    assert not {t.word for t in vocabulary.terms} & (words.in_anki)


def test_cli_build_and_coverage_with_known_from_anki(learner_collection, tmp_path: Path) -> None:
    path, mature, young = learner_collection
    out = tmp_path / "deck.apkg"
    run = subprocess.run([*VOCAB, "build", str(ARTICLES), "-o", str(out), "--known-from-anki", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    col = Collection(str(tmp_path / "check.anki2"))
    import_apkg(col, out)
    assert not set(notes_by_word(col)) & {*mature, *young}
    col.close()
    report = {}
    # Alone, --known-from-anki reads the first profile in Anki's folder.
    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    (profile / "collection.anki2").write_bytes(path.read_bytes())
    for args in ([], ["--known-from-anki"]):
        run = subprocess.run([*VOCAB, "coverage", str(ARTICLES), "-f", "json", *args], capture_output=True, text=True,
                             env={**os.environ, "ANKI_BASE": str(tmp_path / "Anki2")})
        assert run.returncode == 0, run.stderr
        import json
        report[bool(args)] = json.loads(run.stdout)
    assert report[True]["known_words"] == 50
    assert report[True]["overall"]["known"] > report[False]["overall"]["known"]
    unknown_after = {w["word"] for w in report[True]["overall"]["learn_first"]}
    assert not unknown_after & set(mature)


def test_cli_known_from_anki_dry_run_reports_and_saves_nothing(learner_collection, tmp_path: Path) -> None:
    path, _, _ = learner_collection
    run = subprocess.run([*VOCAB, "known", "from-anki", str(path), "--dry-run"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Japanese Core" in run.stdout and "Expression" in run.stdout and "50 known (mature), 20 young" in run.stdout
    listed = subprocess.run([*VOCAB, "known", "list"], capture_output=True, text=True)
    assert listed.stdout == ""
    saved = subprocess.run([*VOCAB, "known", "from-anki", str(path)], capture_output=True, text=True)
    assert saved.returncode == 0, saved.stderr
    assert len(subprocess.run([*VOCAB, "known", "list"], capture_output=True, text=True).stdout.split()) == 50


# ── i+1 example sentences ─────────────────────────────────────────────────────────────────

def test_main_sentence_changes_with_the_known_words(sample_vocabulary) -> None:
    """The main sentence is the one with the fewest other unknown words: knowing every other
    unknown word of a later example's sentence makes that sentence the main one."""
    from vocab.pipeline import unknown_to

    unknown = unknown_to(frozenset({"\0"}))  # nothing known beyond the basics
    for term in sample_vocabulary.terms:
        if len(term.examples) < 2 or term.kind == "name":
            continue
        later = term.examples[1]
        others = {t.base for t in later.tokens if unknown(t)
                  and (t.start + len(t.surface) <= later.start or t.start >= later.end)}
        if others and term.word not in others:
            break
    else:
        pytest.fail("no term with two example sentences")
    chosen = analyse([ARTICLES], Selection(known=frozenset(others), limit=None))
    again = next(t for t in chosen.terms if (t.word, t.reading) == (term.word, term.reading))
    assert again.examples[0].sentence == later.sentence
    assert term.examples[0].sentence != later.sentence


def test_without_known_words_the_deck_is_unchanged(sample_deck: Path, tmp_path: Path) -> None:
    out = tmp_path / "again.apkg"
    write_deck(analyse([ARTICLES]), out, timestamp=TIMESTAMP, audio=False)
    assert out.read_bytes() == sample_deck.read_bytes()


# ── Push through AnkiConnect ──────────────────────────────────────────────────────────────

def card_schedules(col: Collection) -> dict[int, tuple]:
    return {c.id: (c.type, c.queue, c.ivl, c.due, c.reps, c.factor)
            for c in (col.get_card(cid) for cid in col.find_cards(""))}


@pytest.mark.parametrize("earlier", ["apkg", "push"])
def test_push_adds_new_updates_old_and_keeps_reviews(tmp_path: Path, earlier: str) -> None:
    """vocab's notes from four articles (an .apkg import, or a push), some reviewed; then a push
    of five articles adds only the new words, updates the rest, and keeps every review."""
    four = analyse(sorted(ARTICLES.glob("*.txt"))[:4])
    path = tmp_path / "collection.anki2"
    if earlier == "apkg":
        old_deck = tmp_path / "four.apkg"
        write_deck(four, old_deck, timestamp=TIMESTAMP, audio=False)
        col = Collection(str(path))
        import_apkg(col, old_deck)
    else:
        Collection(str(path)).close()
        with served(path) as (url, _):
            push(cards_of(four), AnkiConnect(url), timestamp=TIMESTAMP)
        col = Collection(str(path))
    before = notes_by_word(col)
    other = add_card(col, core_note_type(col), "外相", MATURE_CARD)  # the learner's own note
    for i, cid in enumerate(col.find_cards(f'"note:{MODEL_NAME}"')[:30]):  # review history
        card = col.get_card(cid)
        card.type, card.queue, card.ivl, card.due, card.reps = 2, 2, 5 + 3 * i, 50 + i, 4
        col.update_card(card)
    schedules = card_schedules(col)
    col.close()

    full = cards_of(analyse([ARTICLES]))
    with served(path) as (url, log):
        client = AnkiConnect(url)
        report = push(full, client, timestamp=TIMESTAMP + 60)
        second = push(full, client, timestamp=TIMESTAMP + 120)
        actions = log.read_text().split()
    assert report.added == len({c.word for c in full} - set(before)) > 0
    assert report.updated > 0 and report.added + report.updated + report.unchanged == len(full)
    assert (second.added, second.updated, second.unchanged) == (0, 0, len(full))
    assert "multi" in actions and "addNote" not in actions

    col = Collection(str(path))
    try:
        vocab_notes = [col.get_note(n) for n in col.find_notes(f'"note:{MODEL_NAME}"')]
        assert len(vocab_notes) == len(full)  # nothing duplicated
        after = card_schedules(col)
        assert {cid: after[cid] for cid in schedules} == schedules  # every review intact
        assert col.get_note(other)["Expression"] == "外相"
        model = col.models.by_name(MODEL_NAME)
        assert model["id"] == MODEL_ID and col.decks.by_name(DECK_NAME) is not None
        by_word = {n["Word"]: n for n in vocab_notes}
        assert all(by_word[c.word]["Examples"] == c.field("Examples") for c in full)
        # A later .apkg import finds the pushed notes by GUID: nothing new.
        rebuilt = tmp_path / "five.apkg"
        write_deck(analyse([ARTICLES]), rebuilt, timestamp=TIMESTAMP + 180, audio=False)
        assert len(import_apkg(col, rebuilt).new) == 0
    finally:
        col.close()


def test_push_into_an_empty_collection_creates_note_type_and_deck(tmp_path: Path) -> None:
    path = tmp_path / "collection.anki2"
    Collection(str(path)).close()
    cards = cards_of(analyse(sorted(ARTICLES.glob("*.txt"))[:1]))
    with served(path) as (url, _):
        report = push(cards, AnkiConnect(url), timestamp=TIMESTAMP)
    assert (report.added, report.updated, report.unchanged) == (len(cards), 0, 0)
    col = Collection(str(path))
    try:
        assert col.models.by_name(MODEL_NAME)["id"] == MODEL_ID
        assert len(col.find_notes(f'"deck:{DECK_NAME}"')) == len(cards)
    finally:
        col.close()


@pytest.mark.parametrize("url", ["http://127.0.0.1:9", "http://127.0.0.1:1"])
def test_build_to_anki_without_ankiconnect_is_one_line(tmp_path: Path, url: str) -> None:
    run = subprocess.run([*VOCAB, "build", str(ARTICLES), "--to-anki", "-o", str(tmp_path / "d.apkg")],
                         capture_output=True, text=True, env={**os.environ, "VOCAB_ANKICONNECT_URL": url})
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "AnkiConnect is not reachable" in run.stderr and "add-on" in run.stderr
    assert not (tmp_path / "d.apkg").exists()


def test_i_plus_one_choice_is_linear_in_the_occurrences(sample_vocabulary) -> None:
    """Choosing the main sentence looks at each sentence's words once, however many of its
    words are candidates: twice the occurrences take about twice the time."""
    import dataclasses

    from vocab.pipeline import unknown_to
    from vocab.terms.glossary import NewWords, pick_examples

    base = [o for t in sample_vocabulary.terms for o in t.examples]

    def occurrences(copies: int) -> list:
        return [o._replace(sentence=dataclasses.replace(o.sentence, index=o.sentence.index + 10_000 * i), instances=())
                for i in range(copies) for o in base]

    def best_time(items: list) -> float:
        times = []
        for _ in range(3):
            started = time.process_time()  # this process's CPU time: a busy machine doesn't add to it
            pick_examples(items, "", new_words=NewWords(unknown_to(frozenset({"会談"}))))
            times.append(time.process_time() - started)
        return min(times)

    small, large = occurrences(8), occurrences(16)
    assert best_time(small) > 0.02
    # Twice the occurrences: linear ≈ 2×, quadratic 4×; the bound sits between them.
    assert best_time(large) / best_time(small) < 3


# ── The same, against anki-connect-server (PyPI), where the machine has it ────────────────

ANKI_CONNECT_SERVER = os.environ.get("VOCAB_TEST_ANKICONNECT_SERVER", "")


@pytest.fixture
def anki_connect_server(tmp_path: Path):
    """anki-connect-server (a headless AnkiConnect over the real `anki` library; it needs
    Python ≥ 3.12, so it is installed apart: VOCAB_TEST_ANKICONNECT_SERVER names its
    executable) serving a collection made as `make(path)` makes it."""
    if not ANKI_CONNECT_SERVER or not Path(ANKI_CONNECT_SERVER).exists():
        pytest.skip("anki-connect-server not installed (needs Python ≥ 3.12): set VOCAB_TEST_ANKICONNECT_SERVER")
    import socket

    def start(path: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "ANKICONNECT_PORT": str(port), "ANKICONNECT_COLLECTION_PATH": str(path)}
        process = subprocess.Popen([ANKI_CONNECT_SERVER, "api"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        client = AnkiConnect(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                client.call("version")
                break
            except VocabError:
                time.sleep(0.1)
        started.append(process)
        return client

    started: list[subprocess.Popen] = []
    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def test_anki_connect_server_reads_and_updates(anki_connect_server, tmp_path: Path) -> None:
    path = tmp_path / "collection.anki2"
    col = Collection(str(path))
    four = analyse(sorted(ARTICLES.glob("*.txt"))[:4])
    deck = tmp_path / "four.apkg"
    write_deck(four, deck, timestamp=TIMESTAMP, audio=False)
    import_apkg(col, deck)
    add_card(col, core_note_type(col), "外相", MATURE_CARD)
    col.close()
    client = anki_connect_server(path)
    words = words_through_ankiconnect(client)
    assert "外相" in words.mature and len(words.new) >= len(four.terms) - 1
    # Every note is there already: only updates (anki-connect-server 0.5.0's importPackage is broken).
    cards = cards_of(four)
    report = push(cards, client, timestamp=TIMESTAMP)
    assert report.added == 0 and report.updated + report.unchanged == len(cards)
    assert push(cards, client, timestamp=TIMESTAMP).unchanged == len(cards)
