"""Versions of the installed packages whose output vocab caches (the accents and the speech of
pyopenjtalk-plus), read without importlib.metadata: importing it and asking costs ≈ 70 ms of a
start-up that should take well under a second."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_version(distribution: str, module: str) -> str:
    """The installed version of `distribution`, whose import name is `module` ("none" if it is
    not installed): from the name of its .dist-info folder beside the module, else (an unusual
    install) from importlib.metadata."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "none"
    prefix = f"{distribution.replace('-', '_')}-"
    for info in Path(spec.origin).parent.parent.glob(f"{prefix}*.dist-info"):
        return info.name[len(prefix):-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "none"
