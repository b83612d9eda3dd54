"""The exceptions the CLI reports to the user: each names the file (or the component) and the fix.
Anything else that escapes the library is a bug."""

from __future__ import annotations

import errno

OS_ERROR_HINTS = {
    errno.EACCES: "check its permissions", errno.EPERM: "check its permissions",
    errno.ENOENT: "check the path", errno.ENOTDIR: "check the path", errno.EISDIR: "give a file, not a folder",
    errno.ENOSPC: "free some disk space", errno.EROFS: "choose a writable place",
}


class VocabError(Exception):
    """A problem the user can act on; the message names the file and what to do."""


class InputError(VocabError):
    """An input file or folder that cannot be read as an article."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ResourceError(VocabError):
    """A dictionary or the tagger that vocab installs with itself cannot be opened."""

    def __init__(self, resource: str, problem: object) -> None:
        super().__init__(f"{resource} cannot be opened ({problem}); reinstall vocab's dependencies "
                         "(`make setup`, or `pip install --force-reinstall` of the package)")


def file_error(path: object, exc: OSError) -> VocabError:
    """'<file>: permission denied: check its permissions' for an OSError met on `path`."""
    problem = (exc.strerror or type(exc).__name__).lower()
    hint = OS_ERROR_HINTS.get(exc.errno or 0)
    return VocabError(f"{path}: {problem}" + (f": {hint}" if hint else ""))
