"""The one exception type the CLI reports to the user."""


class VocabError(Exception):
    """A problem the user can act on; the message names the file and what to do."""


class InputError(VocabError):
    """An input file or folder that cannot be read as an article."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
