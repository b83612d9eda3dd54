"""Shared fixtures: the real tagger, the real JMdict database, the shipped sample articles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "articles"
# Pinned so two builds in one test run are byte-identical; real runs use the current time.
TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the learner's real known-words list (platformdirs) out of the tests."""
    home = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(TIMESTAMP))
    # Speaking the sample deck takes a minute of CPU: `vocab build` in tests runs without audio
    # (as --no-audio), except in test_audio.py, which speaks small decks.
    monkeypatch.setenv("VOCAB_NO_AUDIO", "1")


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the learner's cache folder (tagged articles, frequency table) out of the tests. One
    for the whole session, so only the first test that reads an article pays for tagging it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture(scope="session")
def sample_vocabulary():
    """The default-filtered vocabulary of the five sample articles."""
    from vocab.pipeline import analyse

    return analyse([ARTICLES])


@pytest.fixture(scope="session")
def sample_deck(tmp_path_factory: pytest.TempPathFactory, sample_vocabulary) -> Path:
    """The sample articles' deck, built once with the pinned timestamp."""
    from vocab.pipeline import write_deck

    out = tmp_path_factory.mktemp("deck") / "vocab.apkg"
    write_deck(sample_vocabulary, out, timestamp=TIMESTAMP, audio=False)
    return out


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(TIMESTAMP))
