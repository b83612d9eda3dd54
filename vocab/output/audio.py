"""Speech for the cards, made offline: each word and its example sentence as an MP3 clip.

The engine is OpenJTalk (pyopenjtalk-plus: its wheel ships the dictionary and the HTS voice
"Mei", CC BY 3.0, credited in CREDIT). It runs on the learner's machine, needs no network and
speaks a word in a few tens of milliseconds of CPU time, so a whole deck is spoken in the time
a neural voice would take for a few sentences. Its accent follows OpenJTalk's own rules.

What is spoken is the card's reading: a word is fed as written only when OpenJTalk's frontend
reads it as the card does (外相 → ガイショウ); otherwise (一日 read いちにち for a card that says
ついたち) its reading in hiragana is fed instead, in the word's clip and, where the sentence has
the word as written, in the sentence's clip.

Clips are MP3 (LAME through lameenc, fixed settings, so the same text gives the same bytes):
every Anki client plays MP3, while Ogg/Opus is not played by AnkiMobile. A clip is named by a
hash of its bytes, so a rebuild gives the same names and Anki never holds two copies.

The cache (user cache folder, beside the tag cache) keeps every clip made, under a folder named
for the engine, voice, encoder settings and this module's code: `<content hash>.mp3`, and an
index from each request (kind, text, word, reading) to its clip. A warm rebuild reads the index
and the files only: it neither imports the engine nor speaks. New clips are spoken in a pool of
one worker a core, each written atomically by the worker that made it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vocab.errors import VocabError
from vocab.leftovers import write_atomically
from vocab.resources.kana import hiragana, is_katakana

if TYPE_CHECKING:
    from vocab.terms.glossary import Term

ENGINE = "openjtalk"
ENGINE_PACKAGE = "pyopenjtalk-plus"
ENGINE_MODULE = "pyopenjtalk"
VOICE = "mei_normal"
CREDIT = 'Voice: HTS Voice "Mei" © 2009-2013 Nagoya Institute of Technology (MMDAgent), CC BY 3.0'
# MPEG-2 layer III at 24 kHz: speech has little above 12 kHz, and every client plays it. 40 kbps
# CBR mono keeps consonants clear at 5 KB a second of speech.
OUT_RATE = 24_000
BITRATE = 40
LAME_QUALITY = 5  # LAME's default: 2 ("near best") costs 60 % more and sounds the same at 40 kbps
EDGE_SILENCE_S = 0.12  # kept before and after the speech (OpenJTalk's own is ≈ 0.3 s each side)
FADE_S = 0.005         # no click where the trimmed silence was
FOLDER_PREFIX = "audio-"
INDEX = "index.json"
MEDIA_PREFIX = "vocab-"
Progress = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Request:
    """One clip a card asks for: a word (`text` is the word) or its sentence (`text` is the
    sentence, with the word at `start`:`end`), with the card's reading of the word."""

    kind: str      # "word" or "sentence"
    text: str
    word: str
    reading: str   # hiragana; a katakana word's reading is the word
    start: int = 0
    end: int = 0

    @property
    def key(self) -> str:
        """The request's name in the cache index."""
        parts = (self.kind, self.text, self.word, self.reading, str(self.start), str(self.end))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]

    def spoken(self) -> str:
        """The text fed to the engine (see the module's docstring)."""
        if reads_as(self.word, self.reading):
            return self.text
        if self.kind == "word":
            return hiragana(self.reading)
        if self.text[self.start:self.end] == self.word:
            return self.text[:self.start] + hiragana(self.reading) + self.text[self.end:]
        return self.text  # an inflected form: OpenJTalk reads the verb's forms as UniDic does


def requests_of(term: Term) -> tuple[Request, Request]:
    """The word's and its first example sentence's requests, for the card of `term`."""
    reading = term.word if is_katakana(term.word) else term.reading
    first = term.examples[0]
    return (Request("word", term.word, term.word, reading),
            Request("sentence", first.sentence.text, term.word, reading, first.start, first.end))


def reads_as(text: str, reading: str) -> bool:
    """Whether OpenJTalk's frontend reads `text` as `reading` (kana, either script)."""
    return openjtalk_reading(text) == katakana(reading)


@functools.cache
def engine():  # noqa: ANN201 - the pyopenjtalk module
    """pyopenjtalk, imported without the notice it prints on stdout (its optional "何" reading
    model needs onnxruntime, which vocab does without): stdout is the user's data."""
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        import pyopenjtalk
    return pyopenjtalk


def openjtalk_reading(text: str) -> str:
    """OpenJTalk's reading of `text` in katakana, as written (ガイショウ, not its ガイショー)."""
    pyopenjtalk = engine()
    return "".join(feature["read"] for feature in pyopenjtalk.run_frontend(text) if feature["read"] != "、")


def katakana(text: str) -> str:
    """Hiragana in `text` as katakana."""
    return text.translate(_TO_KATAKANA)


_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


# ── Synthesis and encoding (in the workers) ────────────────────────────────────────────────

def synthesise(text: str) -> bytes:
    """`text` spoken by OpenJTalk and encoded as MP3; b"" if there is nothing to speak."""
    import numpy as np

    pyopenjtalk = engine()
    labels = pyopenjtalk.make_label(pyopenjtalk.run_frontend(text))
    # The leading and trailing pauses are a third of a short word's clip and of its synthesis
    # time: they are left out and a shorter silence added after synthesis, which costs nothing.
    labels = [label for i, label in enumerate(labels) if not (i in (0, len(labels) - 1) and "-sil+" in label)]
    if not labels:
        return b""
    wave, rate = pyopenjtalk.synthesize(labels)
    if len(wave) == 0:
        return b""
    fade = min(int(rate * FADE_S), len(wave) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    pad = np.zeros(int(rate * EDGE_SILENCE_S))
    samples = np.clip(np.concatenate([pad, wave, pad]), -32768, 32767).astype("<i2")
    return encode_mp3(samples.tobytes(), rate)


def encode_mp3(pcm: bytes, rate: int) -> bytes:
    """16-bit mono PCM at `rate` as MP3 at OUT_RATE: fixed settings, so fixed bytes."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(OUT_RATE)
    encoder.set_channels(1)
    encoder.set_bit_rate(BITRATE)
    encoder.set_quality(LAME_QUALITY)
    return bytes(encoder.encode(pcm) + encoder.flush())


def media_name(mp3: bytes) -> str:
    """A clip's file name in the deck and the cache: a hash of its bytes."""
    return f"{MEDIA_PREFIX}{hashlib.blake2b(mp3, digest_size=12).hexdigest()}.mp3"


def _speak_into(folder: str, texts: Sequence[str]) -> list[str]:
    """Speak each text and store its clip in `folder`; the clips' names ("" for silence)."""
    return [_store(Path(folder), synthesise(text)) for text in texts]


def _store(folder: Path, mp3: bytes) -> str:
    """Write `mp3` under its name in `folder`, atomically; its name ("" for no clip)."""
    if not mp3:
        return ""
    name = media_name(mp3)
    path = folder / name
    if not path.is_file():
        write_atomically(path, mp3)
    return name


# ── The cache ──────────────────────────────────────────────────────────────────────────────

@functools.cache
def version_tag() -> str:
    """The cache folder's name: engine, its version, voice, encoder settings and this code."""
    from vocab.resources.installed import package_version

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return f"{FOLDER_PREFIX}{ENGINE}{package_version(ENGINE_PACKAGE, ENGINE_MODULE)}-{VOICE}-{OUT_RATE}-{BITRATE}k-{code}"


def cache_folder() -> Path:
    """Where clips are kept (~/.cache/vocab/audio-…), created if missing."""
    from vocab.reading.cache import cache_root

    folder = cache_root() / version_tag()
    try:
        if folder.exists() and not folder.is_dir():
            folder.unlink()  # a file where the folder should be: the cache is rebuilt
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VocabError(f"{folder}: cannot keep the audio clips here ({exc.strerror}); "
                         "free that folder or build with --no-audio") from None
    return folder


def _clips_in(folder: Path) -> set[str]:
    """The names of the clips in the cache folder."""
    with os.scandir(folder) as entries:
        return {entry.name for entry in entries if entry.name.startswith(MEDIA_PREFIX) and entry.is_file()}


def _read_index(folder: Path) -> dict[str, str]:
    """The cache's request → clip name index; empty if missing or unreadable (a miss)."""
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict):
        return {}
    return {k: v for k, v in index.items() if isinstance(k, str) and isinstance(v, str)}


def _write_index(folder: Path, index: Mapping[str, str]) -> None:
    """Replace the index atomically (two runs at once: the last one's index stands, and the
    other's new clips are only spoken again next time)."""
    write_atomically(folder / INDEX, json.dumps(index, sort_keys=True, separators=(",", ":")).encode())


# ── A deck's audio ─────────────────────────────────────────────────────────────────────────

@dataclass(slots=True)
class DeckAudio:
    """The clips of a deck: each request's clip name ("" for none) and where the clips are."""

    names: dict[Request, str]
    folder: Path
    synthesised: int = 0  # clips spoken in this run (0 when the cache had them all)
    media: dict[str, Path] = field(default_factory=dict)  # name → file, every clip named

    def sounds(self, term: Term) -> tuple[str, str]:
        """The word's and the sentence's [sound:…] field values for the card of `term`."""
        return tuple(sound(self.names.get(request, "")) for request in requests_of(term))  # type: ignore[return-value]


def sound(name: str) -> str:
    """Anki's sound tag for a clip name ("" for none). Names are hex: nothing to escape."""
    return f"[sound:{name}]" if name else ""


def deck_audio(terms: Iterable[Term], progress: Progress | None = None) -> DeckAudio:
    """The clips for the cards of `terms`: from the cache, speaking the missing ones (in a pool
    of one worker a core for many); `progress` is called after each clip spoken."""
    requests = list(dict.fromkeys(r for term in terms for r in requests_of(term)))
    folder = cache_folder()
    index = _read_index(folder)
    present = _clips_in(folder)  # one listing instead of a stat a clip
    names: dict[Request, str] = {}
    missing: list[Request] = []
    for request in requests:
        name = index.get(request.key)
        if name is not None and (name == "" or name in present):
            names[request] = name
        else:
            missing.append(request)
    spoken = 0
    if missing:
        texts = {request: request.spoken() for request in missing}
        distinct = sorted(set(texts.values()))  # one sentence gives examples to many words
        clips = dict(zip(distinct, _speak_all(folder, distinct, progress)))
        spoken = len(distinct)
        for request, text in texts.items():
            names[request] = index[request.key] = clips[text]
        _write_index(folder, index)
    media = {name: folder / name for name in sorted(set(names.values())) if name}
    return DeckAudio(names, folder, spoken, media)


POOL_MIN_TEXTS = 8   # fewer are spoken here: starting workers costs more than they save
CHUNK = 4            # texts a worker takes at a time: small, so the progress bar moves


def _speak_all(folder: Path, texts: Sequence[str], progress: Progress | None) -> list[str]:
    """The clip names of `texts`, in order, spoken here or in a pool of one worker a core."""
    from vocab.reading.corpus import usable_cores, worker_pool

    tick = progress or (lambda: None)
    workers = min(usable_cores(), max(1, len(texts) // CHUNK))
    if len(texts) < POOL_MIN_TEXTS or workers < 2:
        names = []
        for text in texts:
            names.append(_store(folder, synthesise(text)))
            tick()
        return names
    from concurrent.futures import as_completed

    # Longest first: a long sentence started last would leave one core idle at the end.
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    chunks = [order[i:i + CHUNK] for i in range(0, len(order), CHUNK)]
    names = [""] * len(texts)
    with worker_pool(workers) as pool:
        futures = {pool.submit(_speak_into, str(folder), [texts[i] for i in chunk]): chunk for chunk in chunks}
        for future in as_completed(futures):
            for i, name in zip(futures[future], future.result()):
                names[i] = name
                tick()
    return names
