"""Installed package versions, read from .dist-info folders, agree with importlib.metadata."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from vocab.resources.installed import package_version


@pytest.mark.parametrize(("distribution", "module"), [
    ("pyopenjtalk-plus", "pyopenjtalk"), ("wordfreq", "wordfreq"), ("genanki", "genanki"),
    ("fugashi", "fugashi"), ("unidic-lite", "unidic_lite"), ("jamdict-data", "jamdict_data"),
])
def test_the_version_is_importlib_metadata_s(distribution: str, module: str) -> None:
    assert package_version(distribution, module) == version(distribution)


def test_a_package_not_installed_has_no_version() -> None:
    assert package_version("not-a-package-vocab-uses", "not_a_package_vocab_uses") == "none"
