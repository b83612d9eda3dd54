"""Pitch accent of words UniDic has no accent for, compounds above all, from OpenJTalk.

A compound's accent is not its parts' accents side by side: 首脳 (シュノー, 0) + 会談 (カイダン, 0)
is シュノーカ＼イダン (4). OpenJTalk's accent-phrase rules (njd_set_accent_phrase,
njd_set_accent_type) compute it; pyopenjtalk-plus ships OpenJTalk with its dictionary. The word
is given in isolation, as a dictionary cites it: in its sentence the word joins the particles
and words around it into one phrase, and the pattern would change with each sentence. A long
compound OpenJTalk says as two phrases (包括的 | 戦略パートナーシップ) keeps both: each phrase has its
own accent.

pyopenjtalk costs ≈ 0.4 s to import (numpy and the dictionary), more than computing a whole
deck's accents, so results are cached in the user's cache folder, one small JSON file keyed by
word and reading: a rebuild of the same articles never imports it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from vocab.resources.kana import morae

# One accent phrase: (its morae, the mora after which the pitch falls; 0 = no fall, heiban).
Phrase = tuple[int, int]
Accent = tuple[Phrase, ...]
CACHE_NAME = "accent-v1.json"
MAX_CACHE_BYTES = 16 * 1024 * 1024  # a damaged or hostile cache file is never read whole


def accents(words: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Accent]:
    """The accent phrases of each (word, reading), where OpenJTalk says the word with the
    reading's morae (a different reading, e.g. a name read otherwise, gets nothing)."""
    wanted = dict.fromkeys(words)
    cache = _Cache(_cache_path())
    known = cache.read()
    missing = [key for key in wanted if _cache_key(key) not in known]
    if missing:
        computed = {_cache_key(key): list(map(list, _openjtalk_accent(*key))) for key in missing}
        known.update(computed)
        cache.write(known)
    result = {}
    for key in wanted:
        phrases = tuple((int(m), int(a)) for m, a in known.get(_cache_key(key)) or ())
        if phrases:
            result[key] = phrases
    return result


@contextlib.contextmanager
def accents_beside(words: Iterable[tuple[str, str]], *,
                   child: bool = True) -> Iterator[Callable[[], dict[tuple[str, str], Accent]]]:
    """`accents(words)`, worked out beside the caller: if the cache lacks some, a child Python
    (`python -m vocab.resources.accent`) imports pyopenjtalk (≈ 0.4 s) and says them into the
    cache while the caller does other work. The function yielded waits for the child, then
    returns `accents(words)`: read from the cache, or, if the child failed, worked out here.
    Without `child` (the caller has less than the child's start-up to do), all is done here."""
    wanted = list(dict.fromkeys(words))
    known = _Cache(_cache_path()).read() if child else {}
    missing = [key for key in wanted if _cache_key(key) not in known] if child else []
    process = _say_in_child(missing) if missing else None

    def ready() -> dict[tuple[str, str], Accent]:
        if process is not None:
            process.wait()
        return accents(wanted)

    try:
        yield ready
    finally:
        if process is not None and process.poll() is None:
            process.kill()  # the caller failed or was stopped first
            process.wait()


def _say_in_child(words: list[tuple[str, str]]) -> subprocess.Popen | None:
    """A child Python saying `words` into the cache (see _main), None if it can't start."""
    try:
        # -P: the current folder is no place to import vocab from.
        child = subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    try:
        with child.stdin:
            child.stdin.write(json.dumps(words, ensure_ascii=False).encode())
    except OSError:  # it died at once: this process works the accents out itself
        pass
    return child


def _cache_key(key: tuple[str, str]) -> str:
    return f"{key[0]}\t{key[1]}"


def _openjtalk_accent(word: str, reading: str) -> Accent:
    """OpenJTalk's accent phrases of `word` said alone, if OpenJTalk says the reading (外相 read
    そとしょう gets none: OpenJTalk's accent is for がいしょう)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its tokenizer's deprecation notices, not vocab's
        features = _frontend()(word)
    phrases: list[list[int]] = []
    if not same_sound("".join(f["pron"] for f in features), reading):
        return ()
    for feature in features:
        size = int(feature["mora_size"])
        if size == 0:
            continue
        if feature["chain_flag"] == 1 and phrases:
            phrases[-1][0] += size
        else:  # the head of a phrase holds the phrase's accent
            phrases.append([size, int(feature["acc"])])
    if sum(size for size, _ in phrases) != len(morae(reading)):
        return ()
    return tuple((size, accent if accent <= size else 0) for size, accent in phrases)


LONG_VOWEL_KANA = set("アイウエオ")
HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def same_sound(pron: str, reading: str) -> bool:
    """Whether OpenJTalk's pronunciation (katakana, ー for long vowels, ’ for devoicing) says
    `reading` (hiragana or katakana): ホーカツ says ほうかつ, ケーザイ says けいざい."""
    said = morae(pron.replace("’", ""))
    written = morae(reading.translate(HIRAGANA_TO_KATAKANA))
    return len(said) == len(written) and all(
        s == w or (s == "ー" and (w in LONG_VOWEL_KANA or w == "ー")) or (w == "ー" and s in LONG_VOWEL_KANA)
        or (s == "ヲ" and w == "オ") for s, w in zip(said, written))


@functools.cache
def _frontend():
    """pyopenjtalk.run_frontend, imported on first need (it is slow to import and prints a
    notice about an optional model on stdout, which is not vocab's to print).

    Without pyopenjtalk-plus's Sudachi pass, which picks the reading of a homograph in context:
    a word here comes with its reading, and an accent is kept only where OpenJTalk says that
    reading. The pass maps SudachiDict (136 MB resident by 600 words, half a big build's peak)
    and changed none of 616 compounds' accents (bench corpus (a))."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its own dependencies' deprecation notices
        import pyopenjtalk
    return functools.partial(pyopenjtalk.run_frontend, use_sudachi_kanji_yomi=False)


def _cache_path() -> Path:
    from vocab.reading.cache import cache_root

    return cache_root() / CACHE_NAME


class _Cache:
    """word + reading → accent phrases, as one JSON object; unreadable is empty, writes atomic."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, list]:
        """The cached accents; {} if the file is missing, too big, damaged or not ours."""
        try:
            if self.path.stat().st_size > MAX_CACHE_BYTES:
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != _version():
            return {}
        entries = data.get("accents")
        return {k: v for k, v in entries.items() if _valid(v)} if isinstance(entries, dict) else {}

    def write(self, entries: Mapping[str, list]) -> None:
        """Replace the file with `entries`; a cache that can't be written is only slower."""
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".accent-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump({"version": _version(), "accents": dict(entries)}, out, ensure_ascii=False)
                os.replace(tmp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _valid(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(n, int) and 0 <= n < 1000 for n in p)
        for p in value)


@functools.cache
def _version() -> str:
    """What the cached accents depend on: pyopenjtalk's version and this module's code."""
    import hashlib

    from vocab.resources.installed import package_version

    openjtalk = package_version("pyopenjtalk-plus", "pyopenjtalk")
    return f"{openjtalk}-{hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}"


def _main() -> None:
    """`accents_beside`'s child: the (word, reading) pairs on standard input (a JSON list), their
    accents worked out into the cache."""
    accents((word, reading) for word, reading in json.load(sys.stdin))


if __name__ == "__main__":
    _main()
