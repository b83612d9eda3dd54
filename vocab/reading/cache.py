"""The tag cache: each article's sentences and tokens, keyed by the digest of its text.

Tagging is most of the work on a big corpus, and an article's tokens depend only on its text and
on the tagging code and dictionary. So re-running after adding one article re-tags that article
only. One file per article, in the user's cache folder (platformdirs; `XDG_CACHE_HOME` moves it),
under a folder named for everything that changes the tokens: vocab's version, UniDic's version,
the Python version (marshal's format) and a hash of the code that splits and tags.

A record is plain data: each sentence's text with its tokens, the sentence's own marshal bytes
(its words, as Token's fields but the offset, each followed by its offset). Stored with `marshal`,
it loads several times faster than pickle, can't run code, and keeps strings interned, so the
same word in a thousand articles is one string in memory. A sentence's tokens stay bytes until a
reader needs them: news reprints wire paragraphs and quotes, and a sentence read before (in this
run) costs a dictionary lookup instead of rebuilding its tokens. Files are written atomically;
one that can't be read (truncated, corrupt, from another version) is a miss, and rewritten after
tagging.

marshal trusts its input: a length in damaged bytes is allocated as it stands (5 bytes that say
"a tuple of 2³¹ items" cost 16 GB). So each file opens with a header, the payload's length and
CRC-32, checked against the file's size and its bytes before marshal sees them: a damaged file is
a miss for the price of a checksum (≈ 5 % of loading it). Whatever stands where the cache's
folders or files should be (a file for a folder, a folder for a file) is removed and rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path
from typing import NamedTuple

from vocab import __version__
from vocab.leftovers import remove_leftovers
from vocab.reading.sentences import Sentence, TaggedSentence, split_text
from vocab.reading.tokens import Token, is_running_form, words_at

FOLDER_PREFIX = "tagged-"
SUFFIX = ".marshal"
# A record file: magic, payload length, CRC-32 of the payload; then the payload (marshal data).
HEADER = struct.Struct("<4sQI")
MAGIC = b"vtag"
POS = Token._fields.index("pos")  # in a word row
WORD_FIELDS = len(Token._fields) - 1  # a word row: Token's fields but the offset

# An article's sentences: (text, its tokens as marshal bytes of (word row, offset, word row, …)).
Record = tuple[tuple[str, bytes], ...]


def cache_root() -> Path:
    """The user's cache folder for vocab (~/.cache/vocab on Linux)."""
    from platformdirs import user_cache_path

    return user_cache_path("vocab", appauthor=False)


@functools.cache
def version_tag() -> str:
    """The name of the cache folder for this vocab, UniDic, Python and tagging code."""
    import unidic_lite

    from vocab.reading import sentences, tokens

    # The version stays 0.1.0 across edits to an editable install; hashing the code that makes
    # the records (this module's record layout, the splitter, the tagger) keeps a change from
    # reading old tokens.
    code = hashlib.sha256()
    for module in (sys.modules[__name__], sentences, tokens):
        code.update(Path(module.__file__).read_bytes())
    code.update(f"{sys.version_info[:2]} {marshal.version}".encode())
    return f"{FOLDER_PREFIX}{__version__}-unidic{unidic_lite.VERSION}-{code.hexdigest()[:12]}"


def tag_record(text: str) -> Record:
    """An article text's sentences, each with its tokens (`tag_sentence`): what the cache stores."""
    return tuple((sentence, tag_sentence(sentence)) for sentence in split_text(text))


def tag_sentence(sentence: str) -> bytes:
    """The sentence's tokens as marshal bytes of one flat tuple (word row, offset, word row, …).
    Word rows are the tagger's own shared tuples (tokens.words_at): a word twice in a sentence
    is written once."""
    return _dumped(words_at(sentence))


def tag_sentence_tokens(sentence: str) -> tuple[bytes, tuple[Token, ...]]:
    """`tag_sentence`, and the tokens themselves (what `read_tokens` would make of the bytes)."""
    pairs = words_at(sentence)
    return _dumped(pairs), tuple([_make_token(row + (start,)) for row, start in pairs])


def _dumped(pairs: list[tuple[tuple, int]]) -> bytes:
    return marshal.dumps(tuple(value for pair in pairs for value in pair))


class TaggedText(NamedTuple):
    """An article's tagged sentences, and how many running words they hold (`is_running_word`)."""

    sentences: tuple[TaggedSentence, ...]
    running_words: int


# Sentence text → its tokens and running words: the same text always tags the same way.
SeenSentences = dict[str, tuple[tuple[Token, ...], int]]


def read_record(source: str, record: Record, seen: SeenSentences | None = None) -> TaggedText:
    """The tagged sentences of the article named `source` from its record. A sentence text in
    `seen` (a wire story reprinted, a quote repeated) reuses the tokens made for it before, so
    memory and time grow with the distinct sentences, not with repeats; new ones are added."""
    seen = {} if seen is None else seen
    tagged, total = [], 0
    for index, (text, tokens) in enumerate(record):
        known = seen.get(text)
        if known is None:
            known = seen[text] = read_tokens(tokens)
        tagged.append(TaggedSentence(Sentence(source, index, text), known[0]))
        total += known[1]
    return TaggedText(tuple(tagged), total)


# tuple.__new__ straight from C: Token's own __new__ (and _make) run Python code per token.
_make_token = functools.partial(tuple.__new__, Token)


def read_tokens(data: bytes) -> tuple[tuple[Token, ...], int]:
    """A sentence's tokens from their marshal bytes (`tag_sentence`), and its running words."""
    flat = marshal.loads(data)
    rows = flat[::2]
    if rows and len(rows[0]) != WORD_FIELDS:
        raise ValueError("a record of another layout")
    return (tuple([_make_token(row + (start,)) for row, start in zip(rows, flat[1::2])]),
            sum([is_running_form(row[0], row[POS]) for row in rows]))


class TagCache:
    """Records of tagged articles under `root` (default: the user's cache folder)."""

    def __init__(self, root: Path | None = None) -> None:
        self.folder = (root if root is not None else cache_root()) / version_tag()
        self._prepared = False

    def path(self, digest: str) -> Path:
        """Where the record for the article text with sha256 `digest` lives."""
        return self.folder / f"{digest}{SUFFIX}"

    def has(self, digest: str) -> bool:
        """True if a record for `digest` is stored (it may still turn out unreadable)."""
        return self.path(digest).is_file()

    def load(self, digest: str) -> Record | None:
        """The record stored for `digest`, None if there is none or it can't be read."""
        payload = _checked_payload(self.path(digest))
        if payload is None:
            return None
        try:
            stored = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        # The digest is stored inside too: a file renamed or overwritten by mistake is a miss.
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest
                and isinstance(stored[1], tuple)):
            return None
        return stored[1]

    def load_tagged(self, digest: str, source: str, seen: SeenSentences | None = None) -> TaggedText | None:
        """The tagged text stored for `digest`, as the article `source`'s (see `read_record`);
        None if there is no readable record (one of the right bytes but the wrong shape included)."""
        record = self.load(digest)
        if record is None:
            return None
        try:
            return read_record(source, record, seen)
        except (TypeError, ValueError, IndexError, EOFError):
            return None

    def store(self, digest: str, record: Record) -> None:
        """Save `record` for `digest` atomically. The cache only saves time, so a failure to
        write (read-only or full disk) is ignored: the next run tags the article again."""
        try:
            self.prepare()
            self.folder.mkdir(parents=True, exist_ok=True)
            payload = marshal.dumps((digest, record))
            fd, name = tempfile.mkstemp(dir=self.folder, prefix=f".{digest[:16]}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)))
                    file.write(payload)
                replace_entry(Path(name), self.path(digest))
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
        except (OSError, ValueError):
            pass

    def prepare(self) -> None:
        """Make ready for writing, once: old versions pruned, the folders made (over whatever
        file stands in their place) and leftovers of killed runs removed. Done before the first
        write, and by a run before its tagging workers start (they inherit it ready: never two
        processes cleaning). Not on opening: listing a big cache folder costs ≈ 2 ms per 1000
        records, and a run that only reads has nothing to clean (an article whose write was
        killed is tagged and stored again). A cache that can't be made ready is not used: it
        only saves time."""
        if self._prepared:
            return
        self._prepared = True
        with contextlib.suppress(OSError):
            self._prune_old_versions()
            make_cache_folder(self.folder, self.folder.parent)
            remove_leftovers(self.folder)

    def _prune_old_versions(self) -> None:
        # Records made by another version are never read again: remove them, so upgrades don't
        # pile up copies of the corpus.
        if self.folder.exists() or not self.folder.parent.is_dir():
            return
        for old in self.folder.parent.glob(f"{FOLDER_PREFIX}*"):
            if old.is_dir() and old != self.folder:
                shutil.rmtree(old, ignore_errors=True)


def _checked_payload(path: Path) -> bytes | None:
    """The payload of the record file at `path`; None if there is none or its header, length or
    checksum is wrong. The length is checked against the file's size before the payload is read,
    and the checksum before marshal sees it, so no damaged length is ever allocated."""
    try:
        with open(path, "rb") as file:
            header = file.read(HEADER.size)
            if len(header) != HEADER.size:
                return None
            magic, length, checksum = HEADER.unpack(header)
            if magic != MAGIC or length != os.fstat(file.fileno()).st_size - HEADER.size:
                return None
            payload = file.read(length)
    except OSError:  # missing, unreadable, or a folder where the file should be
        return None
    if len(payload) != length or zlib.crc32(payload) != checksum:
        return None
    return payload


def make_cache_folder(folder: Path, root: Path) -> None:
    """Create `folder` and its parents. `root` (vocab's cache folder) and `folder` (at or just
    under it) belong to vocab, so a file standing where either should be is damage: removed."""
    for path in (root, folder):
        if path.exists() and not path.is_dir():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def replace_entry(source: Path, target: Path) -> None:
    """Rename `source` to `target` over whatever is there; a folder where the cache's file
    should be (a damaged cache) is removed first rather than blocking the entry for good."""
    try:
        os.replace(source, target)
    except (IsADirectoryError, PermissionError):  # rename onto a folder: EISDIR (Windows: EACCES)
        if not (target.is_dir() and not target.is_symlink()):
            raise
        shutil.rmtree(target)
        os.replace(source, target)
