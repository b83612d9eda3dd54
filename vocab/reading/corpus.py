"""The tagged corpus: articles split into sentences and tokenized, through the tag cache, in a
process pool when there are many."""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from vocab.reading.articles import Article
from vocab.reading.cache import (Record, SeenSentences, TagCache, TaggedText, read_record, tag_record, tag_sentence,
                                 tag_sentence_tokens)
from vocab.reading.sentences import TaggedSentence, split_text
from vocab.reading.tokens import Token

if TYPE_CHECKING:  # importing multiprocessing costs 20 ms of every start; only a pool needs it
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.connection import Connection

Progress = Callable[[Article], None]
T = TypeVar("T")
R = TypeVar("R")
# Tagging goes to a process pool only when more articles than this need tagging: below it,
# starting workers that each load a tagger costs about what they save (2 cores: even at 20–40
# short articles, 1.4× faster at 100).
POOL_MIN_ARTICLES = 20
# Each worker holds a tagger and its working set (≈ 50 MB); past a few, the parent, which turns
# the records into tokens and collects candidates, is the bottleneck anyway.
MAX_WORKERS = 8
# Tasks per worker. Small tasks keep the cores busy to the end, let the parent start on the
# first articles sooner (0.7 s instead of 1.5 s into 1000 articles with 8) and let Ctrl-C stop
# sooner; a round trip costs about a millisecond.
CHUNKS_PER_WORKER = 32
CHUNKS_AHEAD = 2  # chunks a worker has queued or finished before this process takes their results


@dataclass(frozen=True, slots=True)
class TaggedArticle:
    """An article split into sentences, each with its tokens."""

    article: Article
    sentences: tuple[TaggedSentence, ...]
    running_words: int   # tokens that count towards the text's length (`tokens.is_running_word`)


@dataclass(frozen=True, slots=True)
class SentenceWork(Generic[T]):
    """Work on each distinct sentence, done by the pool's workers beside the tagger as they tag it
    (tagging each sentence once leaves them idle while this process, which holds the corpus,
    works), with the results by sentence text. A sentence tagged in this process or read from
    the cache is not in `done`: the caller does its work itself."""

    work: Callable[[str, tuple[Token, ...]], T]  # module-level, so that a spawned worker finds it by name
    done: dict[str, T] = field(default_factory=dict)


def tag_article(article: Article, cache: TagCache | None = None) -> TaggedArticle:
    """Split `article` into sentences and tokenize each (or read them from `cache`)."""
    return tag_articles([article], cache)[0]


def tag_articles(articles: Sequence[Article], cache: TagCache | None = None, *,
                 progress: Progress | None = None) -> list[TaggedArticle]:
    """Tag `articles`, in order; `progress` is called after each.

    Articles whose text `cache` has seen come from the cache; the rest are tagged (in a process
    pool when there are many) and stored in it. The result is the same either way.
    """
    return list(iter_tagged(articles, cache, progress=progress))


def iter_tagged(articles: Sequence[Article], cache: TagCache | None = None, *,
                progress: Progress | None = None, beside: SentenceWork | None = None) -> Iterator[TaggedArticle]:
    """`tag_articles`, one article at a time as each is ready, so later stages can start on the
    first articles while a pool is still tagging the rest; with `beside`, the pool's workers do
    its work on each sentence they tag."""
    for article, text in zip(articles, _tagged_texts(articles, cache, beside)):
        if progress is not None:
            progress(article)
        yield TaggedArticle(article, text.sentences, text.running_words)


def _tagged_texts(articles: Sequence[Article], cache: TagCache | None,
                  beside: SentenceWork | None = None) -> Iterator[TaggedText]:
    """Each article's tagged text, in order: from `cache`, else freshly tagged (and then
    stored). The articles the cache lacks are split into sentences here, and each distinct
    sentence is tagged once (in a pool when there are many), starting at once: news reprints
    wire paragraphs and quotes, and in 1,000 articles 60,000 sentences have 8,000 texts. Records
    are built and dropped one article at a time, so the whole corpus is never held twice; a
    sentence seen in an earlier article shares its tokens."""
    seen: SeenSentences = {}
    hits = {a.digest for a in articles if cache is not None and cache.has(a.digest)}
    split = _split_texts(a for a in articles if a.digest not in hits)
    # How many articles still to be recorded use each sentence: its tokens are dropped after the last.
    # Counted in first-occurrence order, which is the order they are tagged in.
    uses = Counter(sentence for sentences in split.values() for sentence in dict.fromkeys(sentences))
    remaining = Counter(a.digest for a in articles)
    repeated: dict[str, Record] = {}  # texts given twice (a file copied under two names)
    with _tagging(list(uses), isolate=len(hits) > POOL_MIN_ARTICLES,
                  pooled=len(split) > POOL_MIN_ARTICLES, beside=beside) as fresh:
        tagged: dict[str, bytes] = {}  # sentence text → its tokens (cache.tag_sentence), until its last use
        for article in articles:
            digest = article.digest
            record = repeated.get(digest)
            text = None
            if record is None and digest in hits:
                text = cache.load_tagged(digest, article.name, seen)
                if text is None:  # unreadable: tag it again, and repair the cache
                    record = tag_record(article.text)
                    cache.store(digest, record)
            elif record is None:
                sentences = split[digest]
                for sentence in sentences:
                    while sentence not in tagged:  # fresh sentences come in first-occurrence order
                        new, tokens = next(fresh)
                        tagged[new] = tokens
                record = tuple((sentence, tagged[sentence]) for sentence in sentences)
                for sentence in dict.fromkeys(sentences):
                    uses[sentence] -= 1
                    if not uses[sentence]:
                        del tagged[sentence]
                if cache is not None:
                    cache.store(digest, record)
            remaining[digest] -= 1
            if remaining[digest] and record is not None:
                repeated[digest] = record
            else:
                repeated.pop(digest, None)
            yield text if text is not None else read_record(article.name, record, seen)


def _split_texts(articles: Iterable[Article]) -> dict[str, list[str]]:
    """Each distinct article text's sentences, by digest; a sentence text met before is the same
    string (10,000 articles reprinting 8,000 sentences hold 8,000 strings, not 600,000)."""
    texts: dict[str, str] = {}
    split = {}
    for article in articles:
        if article.digest not in split:
            split[article.digest] = [texts.setdefault(s, s) for s in split_text(article.text)]
    return split


@contextlib.contextmanager
def _tagging(sentences: Sequence[str], *, pooled: bool, isolate: bool = False,
             beside: SentenceWork | None = None) -> Iterator[Iterator[tuple[str, bytes]]]:
    """Each sentence with its tokens (`cache.tag_sentence`), in order: in this process, or if
    `pooled` in a pool of one worker a core, started at once, whose workers also do `beside`'s
    work on each. Leaving the block early (an error, Ctrl-C) cancels the chunks not yet started.

    With `isolate`, even a few sentences go to a worker: the tagger maps UniDic (≈ 60 MB resident
    once it has tagged an article, and never given back), which a run that also holds a big
    cached corpus should not add to its own peak (1000 + 1 articles: 394 → 330 MB)."""
    if not sentences:
        yield iter(())
        return
    workers = min(usable_cores(), MAX_WORKERS) if pooled else 1
    if not (isolate or (pooled and workers > 1)):
        yield ((sentence, tag_sentence(sentence)) for sentence in sentences)
        return
    size = max(1, len(sentences) // (workers * CHUNKS_PER_WORKER))
    chunks = [sentences[i:i + size] for i in range(0, len(sentences), size)]
    work = beside.work if beside is not None else None
    with worker_pool(workers) as pool:
        results = _in_order(pool, functools.partial(_tag_sentences, work), chunks, ahead=CHUNKS_AHEAD * workers)
        yield _received(chunks, results, beside)


def _received(chunks: Sequence[Sequence[str]], results: Iterable[list[tuple[bytes, object]]],
              beside: SentenceWork | None) -> Iterator[tuple[str, bytes]]:
    """Each sentence of the chunks with its tokens, as the workers' results come in; `beside`'s
    results go to its `done`."""
    for chunk, tagged in zip(chunks, results):
        for sentence, (tokens, found) in zip(chunk, tagged):
            if beside is not None:
                beside.done[sentence] = found
            yield sentence, tokens


def _in_order(pool: ProcessPoolExecutor, work: Callable[[T], R], items: Sequence[T], ahead: int) -> Iterator[R]:
    """work(item) for each item, in order, run in `pool` with at most `ahead` submitted and not
    yet taken. Executor.map submits everything at once, and when this process is slower than the
    workers (it builds the tokens and finds the candidates) every finished result waited in its
    memory: 10,000 articles held over 500 MB of records that way."""
    pending = collections.deque(pool.submit(work, item) for item in items[:ahead])
    rest = iter(items[ahead:])
    while pending:
        result = pending.popleft().result()
        following = next(rest, None)
        if following is not None:
            pending.append(pool.submit(work, following))
        yield result


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool of `workers` that die with this process, however it ends (kill -9
    included: see _outlive_no_parent) and ignore Ctrl-C (this process reports it). Leaving the
    block cancels the tasks not yet started."""
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    # The workers' lifeline: this process holds the only writing end.
    lifeline, parent_end = context.Pipe(duplex=False)
    forked_end = parent_end if context.get_start_method() == "fork" else None
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start,
                               initargs=(lifeline, forked_end))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        parent_end.close()  # only now: workers still stopping would take it for the parent's death
        lifeline.close()


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset can allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _tag_sentences(work: Callable[[str, tuple[Token, ...]], object] | None,
                   sentences: Sequence[str]) -> list[tuple[bytes, object]]:
    """A worker's task: each sentence's tokens (`cache.tag_sentence`), with `work`'s result on
    them (None without)."""
    if work is None:
        return [(tag_sentence(sentence), None) for sentence in sentences]
    tagged = []
    for sentence in sentences:
        data, tokens = tag_sentence_tokens(sentence)
        tagged.append((data, work(sentence, tokens)))
    return tagged


def _worker_start(lifeline: Connection, forked_end: Connection | None) -> None:
    # Ctrl-C reaches the whole process group: the parent reports it once; workers stay quiet.
    # A SIGTERM for a worker (the pool's own cleanup sends one) simply ends it, unlike in the
    # parent, which turns it into an orderly stop (vocab.cli).
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if forked_end is not None:
        forked_end.close()  # a forked worker's copy of the parent's end would keep the pipe open
    threading.Thread(target=_outlive_no_parent, args=(lifeline,), name="vocab-lifeline", daemon=True).start()


def _outlive_no_parent(lifeline: Connection) -> None:
    """End this worker as soon as the parent is gone, however it went (kill -9 included).

    A pool's workers wait for work on a queue whose pipe each forked worker also holds open, so
    they never see the parent die: killed with -9, it left them alive for good (≈ 250 MB each).
    The parent holds the only writing end of `lifeline` and never writes: reading it blocks, at no
    cost, until the kernel closes that end with the parent's death, and then returns at once.
    Chosen over Linux's prctl(PR_SET_PDEATHSIG), which needs ctypes, exists on Linux alone and
    fires when the thread that started the worker ends rather than the process; and over polling
    os.getppid(), which wakes up for nothing and can't tell on Windows."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(1)


def _pool_context():  # noqa: ANN202 - multiprocessing's context types are private
    import multiprocessing

    # fork where it is safe and cheap (Linux): workers start at once with vocab already imported,
    # and no script that calls `analyse` needs an `if __name__ == "__main__"` guard. Elsewhere
    # (macOS, Windows) fork is unsafe or missing, so spawn.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def running_words(tagged: Sequence[TaggedArticle]) -> int:
    """Running words in the articles (`tokens.is_running_word`): the text's length for keyness."""
    return sum(t.running_words for t in tagged)
