"""General-Japanese word frequency from wordfreq, on the Zipf scale (0–8; 3 ≈ once per million words).

`wordfreq.zipf_frequency(word, "ja")` re-tokenizes with MeCab, which we do not install; the
frequency table wordfreq ships (`get_frequency_dict("ja")`) needs nothing extra.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

# wordfreq's "not in the list" is Zipf 0, not "rare". Its Japanese list stops near Zipf 1.0, so an
# unlisted word is treated as slightly rarer than the rarest listed one when scoring keyness.
UNLISTED_ZIPF = 0.0
FLOOR_ZIPF = 1.0


@functools.cache
def _table() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("ja")


def zipf(word: str) -> float:
    """Zipf frequency of `word` in general Japanese, 0.0 if wordfreq does not list it."""
    frequency = _table().get(word)
    return round(math.log10(frequency) + 9, 2) if frequency else UNLISTED_ZIPF


def compound_zipf(word: str, parts: Sequence[str]) -> float:
    """Zipf of a compound: its own if listed, else combined from its parts as wordfreq does for
    multi-token text (1/f = Σ 1/fᵢ), which is why a long unlisted term still gets a value."""
    own = zipf(word)
    if own or not parts:
        return own
    zipfs = [zipf(part) for part in parts]
    if not all(zipfs):
        return UNLISTED_ZIPF
    combined = 1 / sum(10 ** -(z - 9) for z in zipfs)
    return round(math.log10(combined) + 9, 2)


def relative_frequency(zipf_value: float) -> float:
    """Zipf → frequency per word of running text (the floor stands in for unlisted words)."""
    return 10 ** (max(zipf_value, FLOOR_ZIPF) - 9)
