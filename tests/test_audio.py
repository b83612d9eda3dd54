"""Speech on the cards (vocab.output.audio): the reading spoken is the card's, the clips reach
real Anki and decode, the cache is reused, --no-audio leaves them out, same input same bytes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import miniaudio
import pytest
from anki.collection import Collection

from anki_helpers import import_apkg, notes_by_word, rendered
from conftest import ARTICLES, TIMESTAMP
from vocab.cli import app
from vocab.learner.selection import Selection
from vocab.output.audio import OUT_RATE, Request, deck_audio, katakana, openjtalk_reading, reads_as
from vocab.pipeline import analyse, write_deck

SOUND = re.compile(r"\[sound:(vocab-[0-9a-f]{24}\.mp3)\]")
ONE_ARTICLE = sorted(ARTICLES.glob("*.txt"))[0]

# Words whose text alone OpenJTalk reads otherwise than the card: each must be spoken as the card
# reads it. The first two OpenJTalk reads right from the text (fed as written, for its accent).
READINGS = [
    ("外相", "がいしょう", True),
    ("中ロ", "ちゅうろ", True),
    ("一日", "ついたち", False),      # OpenJTalk: イチニチ
    ("上手", "うわて", False),        # ジョウズ
    ("生物", "なまもの", False),      # セイブツ
    ("方", "かた", False),            # ホウ
    ("早急", "さっきゅう", False),    # ソウキュウ
    ("十分", "じゅうぶん", False),    # ジュップン
    ("大勢", "たいせい", False),      # オオゼイ
]


@pytest.fixture(autouse=True)
def _own_audio_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh cache for each test (clip counts start at zero), and audio on as for a user."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("VOCAB_NO_AUDIO", raising=False)


@pytest.mark.parametrize(("word", "reading", "as_written"), READINGS)
def test_the_word_is_spoken_with_the_cards_reading(word: str, reading: str, as_written: bool) -> None:
    assert reads_as(word, reading) is as_written  # the table is hostile where it says so
    spoken = Request("word", word, word, reading).spoken()
    assert openjtalk_reading(spoken) == katakana(reading)
    assert spoken == (word if as_written else reading)


@pytest.mark.parametrize(("word", "reading", "as_written"), READINGS)
def test_the_sentence_says_the_word_as_the_card_reads_it(word: str, reading: str, as_written: bool) -> None:
    text = f"昨日、{word}について話した。"
    start = text.index(word)
    spoken = Request("sentence", text, word, reading, start, start + len(word)).spoken()
    assert katakana(reading) in openjtalk_reading(spoken)
    assert spoken.startswith("昨日、") and spoken.endswith("について話した。")


def test_an_inflected_word_leaves_the_sentence_as_written() -> None:
    text = "首脳が握手を交わした。"
    start = text.index("交わし")
    request = Request("sentence", text, "交わす", "かわす", start, start + 3)
    assert request.spoken() == text


@pytest.fixture(scope="module")
def small():
    """Three words of one article, analysed once (with the session's tag cache)."""
    return analyse([ONE_ARTICLE], Selection(limit=3))


@pytest.fixture(scope="module")
def two(small):
    """Two of them."""
    return replace(small, terms=small.terms[:2])


def _decoded(path: Path) -> miniaudio.DecodedSoundFile:
    return miniaudio.mp3_read_file_s16(str(path))  # at its own rate and channels


def test_every_sound_field_plays_in_real_anki(tmp_path: Path, small) -> None:
    deck = tmp_path / "deck.apkg"
    write_deck(small, deck, timestamp=TIMESTAMP)
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(collection, deck)
        notes = notes_by_word(collection)
        media = Path(collection.media.dir())
        assert len(notes) == 3
        for note in notes.values():
            for field in ("WordAudio", "SentenceAudio"):
                name = SOUND.fullmatch(note[field])
                assert name, (note["Word"], field, note[field])
                sound = _decoded(media / name.group(1))
                assert sound.sample_rate == OUT_RATE and sound.nchannels == 1
                assert sound.duration > 0.3
            word, sentence = (_decoded(media / SOUND.fullmatch(note[f]).group(1)).duration
                              for f in ("WordAudio", "SentenceAudio"))
            assert sentence > word  # the sentence holds the word
        _, answer = rendered(notes[next(iter(notes))].cards()[0])
        assert 'HTS Voice "Mei"' in answer and "CC BY 3.0" in answer  # the licence's attribution
    finally:
        collection.close()


def test_a_rebuild_with_a_warm_cache_speaks_nothing_and_gives_the_same_bytes(tmp_path: Path, small) -> None:
    vocabulary = small
    first = deck_audio(vocabulary.terms)
    assert first.synthesised > 0
    assert len(first.media) == first.synthesised  # one clip a distinct text, shared by cards
    again = deck_audio(vocabulary.terms)
    assert again.synthesised == 0 and again.names == first.names
    one, two = tmp_path / "one.apkg", tmp_path / "two.apkg"
    write_deck(vocabulary, one, timestamp=TIMESTAMP)
    write_deck(vocabulary, two, timestamp=TIMESTAMP)
    assert one.read_bytes() == two.read_bytes()


def test_the_clips_are_the_same_bytes_from_an_empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two) -> None:
    vocabulary = two
    first = {name: path.read_bytes() for name, path in deck_audio(vocabulary.terms).media.items()}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))
    second = deck_audio(vocabulary.terms)
    assert second.synthesised == len(first)
    assert {name: path.read_bytes() for name, path in second.media.items()} == first


def test_a_warm_rebuild_does_not_load_the_engine(tmp_path: Path, two) -> None:
    """The warm path reads the index and the clips only: no import of OpenJTalk (0.4 s)."""
    deck_audio(two.terms)
    script = ("import sys\nfrom vocab.learner.selection import Selection\nfrom vocab.pipeline import analyse\n"
              "from vocab.output.audio import deck_audio\n"
              f"audio = deck_audio(analyse([{str(ONE_ARTICLE)!r}], Selection(limit=2)).terms)\n"
              "print(audio.synthesised, 'pyopenjtalk' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"]


@pytest.mark.parametrize("damage", ["index garbage", "index not a dict", "clip deleted"])
def test_a_damaged_cache_is_a_miss_and_is_rebuilt(damage: str, two) -> None:
    terms = two.terms[:1]
    first = deck_audio(terms)
    index = first.folder / "index.json"
    if damage == "index garbage":
        index.write_bytes(b"\xff{not json")
    elif damage == "index not a dict":
        index.write_text("[1, 2]")
    else:
        next(iter(first.media.values())).unlink()
    again = deck_audio(terms)
    assert again.synthesised > 0 and again.names == first.names
    assert all(path.is_file() for path in again.media.values())
    assert deck_audio(terms).synthesised == 0


def test_no_audio_gives_empty_sound_fields_and_no_media(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    deck = tmp_path / "deck.apkg"
    result = CliRunner().invoke(app, ["build", str(ONE_ARTICLE), "--limit", "3", "--no-audio", "-o", str(deck)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(deck) as package:
        assert package.namelist() == ["collection.anki2", "media"]
        assert json.loads(package.read("media")) == {}
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_apkg(collection, deck)
        notes = notes_by_word(collection)
        assert len(notes) == 3
        assert all(note["WordAudio"] == note["SentenceAudio"] == "" for note in notes.values())
        assert not any(Path(collection.media.dir()).iterdir())
    finally:
        collection.close()


def test_build_speaks_by_default_and_stdout_stays_clean(tmp_path: Path) -> None:
    """A real `vocab build` process: sound fields on, and nothing on stdout (pyopenjtalk prints a
    notice about onnxruntime when imported)."""
    deck = tmp_path / "deck.apkg"
    env = {k: v for k, v in os.environ.items() if k != "VOCAB_NO_AUDIO"}
    done = subprocess.run([sys.executable, "-c", "from vocab.cli import main; main()", "build", str(ONE_ARTICLE),
                           "--limit", "2", "-o", str(deck)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    with zipfile.ZipFile(deck) as package:
        manifest = json.loads(package.read("media"))
        assert sorted(package.namelist()) == sorted(["collection.anki2", "media", *manifest])
        assert len(manifest) >= 3 and all(SOUND.fullmatch(f"[sound:{name}]") for name in manifest.values())


def test_a_file_where_the_cache_folder_should_be_is_replaced(two) -> None:
    from vocab.output.audio import cache_folder

    folder = cache_folder()
    folder.rmdir()
    folder.write_bytes(b"not a folder")
    assert deck_audio(two.terms[:1]).synthesised > 0 and folder.is_dir()


def test_an_unwritable_cache_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two) -> None:
    from vocab.errors import VocabError

    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(VocabError, match="--no-audio"):
        deck_audio(two.terms[:1])
