"""Read articles: find the files, decode their bytes, pull the text out of HTML, drop web noise.

Everything here works on text only; tokenizing comes later (`vocab.reading.tokens`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from vocab.errors import InputError, VocabError
from vocab.resources.kana import has_japanese

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# A saved page may open with an XML declaration or a comment (IE's "<!-- saved from url=… -->").
HTML_START = re.compile(r"\ufeff?\s*+(?:<\?xml[^>]*+>\s*+)?(?:<!--(?:[^-]++|-(?!->))*+-->\s*+)*+<(?:!doctype\s+html|html[\s>])", re.I | re.S)
STDIN = "-"
# The first line of vocab's own Markdown and HTML outputs (an exported term list, the preview
# page): a folder that holds them beside the articles must not read them back as articles.
# An HTML comment, so it shows in neither a rendered list nor the page.
VOCAB_OUTPUT_MARK = "<!-- written by vocab: a term list or preview, not an article -->"
# A news article is tens of kilobytes; anything this big is a dump, not an article, and would
# take minutes to tag. Say so instead of hanging.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024

# A domain is found in one left-to-right pass over each run of [\w.-] (the lookbehind lets it
# start only where a run starts, the lazy scan stops at the first top-level domain, the rest of
# the run is taken possessively): "\b[\w.-]+\.com" retried the whole run from every label, which
# made 64 KB of "a." take 40 s.
URL = re.compile(r"(?:https?://|www\.)\S+"
                 r"|(?<![\w.-])[\w.-]*?\.(?:com|org|net|jp|cn|ru|uk|io|info)\b[\w.-]*+(?:/[!-~]*+)?", re.ASCII)
# A reading in brackets after kanji (国土強靱(きょうじん)化, 対峙(たいじ)): furigana in plain text,
# which would otherwise be read as a word of its own.
INLINE_READING = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])[(（][\u3041-\u309f]+[)）]")
DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
# A press-release dateline before the text: "北京、2026年2月7日 /PRNewswire/ -- 中国の…".
DATELINE = re.compile(r"^.{0,40}?(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2}).{0,40}?\s--\s*")
LENTICULAR_LINE = re.compile(r"^【[^】]*】$")  # 【翻訳チェック 鈴木頌】: a credit, not text
# Words that mark a short line as site furniture (menus, share buttons, "read more" links).
BOILERPLATE = (
    "記事全文", "クリック", "さらに読む", "続きを読む", "出典", "画像元", "関連記事", "ランキング",
    "ログイン", "会員登録", "シェア", "ツイート", "メニュー", "ホーム", "広告", "無断転載", "著作権",
    "この記事", "ロゴ", "Copyright", "PR TIMES", "プライバシー", "利用規約", "お問い合わせ",
)
# Words that mark a line as site furniture wherever it stands and however long it is: skip links,
# breadcrumbs' labels, help and contact notes, headline blocks, photo credits.
FURNITURE_ANYWHERE = (
    "本文へ", "ここから本文", "ナビゲーション", "記事一覧", "ヘルプセンター", "お問い合わせ", "注目記事", "最新ニュース",
    "関連ニュース", "写真特集", "人気記事", "アクセスランキング", "画像:", "写真:", "PLACEHOLDER",
    "外部リンク先", "ニュースレター", "会員限定", "有料会員", "続きを読む", "記事全文",
)
FURNITURE_WORD = re.compile("|".join(map(re.escape, FURNITURE_ANYWHERE)))  # one scan, not one per word
BREADCRUMB_MARKS = ">＞›»|"
BREADCRUMB = re.compile(rf"\S\s*[{BREADCRUMB_MARKS}]\s*\S.*[{BREADCRUMB_MARKS}]")  # トップ > 政治 > 紙面から > 記事
# A body paragraph has a sentence end or this much text (a headline, menu or caption has neither).
MIN_PROSE_CHARS = 40
MIN_HEADLINE_CHARS = 4  # longer than a label (写真, 政治)
MAX_LINES_TO_HEADLINE = 2
MAX_FURNITURE_CHARS = 40
MAX_BYLINE_CHARS = 30
MAX_TITLE_CHARS = 48
KANA = re.compile(r"[\u3041-\u309f\u30a1-\u30fa\uff66-\uff9d]")
JAPANESE_TEXT = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]")
MIN_JAPANESE_SHARE = 0.9
# charset-normalizer's names for the encodings Japanese text is saved in (it also proposes
# big5, gb18030 or cp949 for short Shift-JIS or EUC-JP files, which would garble them).
JAPANESE_ENCODINGS = ("cp932", "shift_jis", "euc_j", "iso2022_jp", "utf_16", "utf_32")
BINARY_MAGIC = (b"\x89PNG", b"PK\x03\x04", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"BZh", b"\x7fELF")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Browsers read a page labelled Shift_JIS as Windows-31J (the WHATWG Encoding Standard), which
# has the NEC and IBM extensions (①, ～) that Python's strict shift_jis rejects.
WEB_CHARSETS = {label: "cp932" for label in ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji",
                                             "ms932", "windows-31j", "csshiftjis")}
WEB_CHARSETS.update({"x-euc-jp": "euc_jp", "cseucpkdfmtjapanese": "euc_jp"})
ISO2022_JP_SHIFT = b"\x1b$B"  # ESC $ B: switch to JIS X 0208
# Longest first: UTF-32-LE's BOM begins with UTF-16-LE's.
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# A few NULs in UTF-8 text are stray bytes (a bad copy, an editor's slip): dropped. More than
# this share is UTF-16 without a BOM, or binary.
MAX_STRAY_NUL_SHARE = 0.001
MIN_STRAY_NULS = 4


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, cleaned and ready to split into sentences."""

    name: str    # file name relative to the folder it came from, or "<stdin>": identity and tags
    title: str   # first line of the cleaned text: what a learner recognises on a card
    text: str    # cleaned text, one paragraph a line
    digest: str  # sha256 of `text`: the cache key for everything derived from it


def article_files(path: Path) -> list[Path]:
    """The article files under `path` (itself, or a folder read recursively), in a stable order."""
    if not path.exists():
        raise InputError(str(path), "no such file or folder: check the path")
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(str(path), "not a file or folder (a device or pipe?): pass article files, or - for standard input")
    try:
        # rglob silently skips a folder it cannot list, which would read as "no article files".
        with os.scandir(path):
            pass
    except PermissionError:
        raise InputError(str(path), "permission denied: make the folder readable") from None
    files = sorted(
        (p for p in path.rglob("*")
         if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and not is_vocab_output(p)),
        key=lambda p: p.relative_to(path).as_posix(),
    )
    if not files:
        raise InputError(str(path), f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder: "
                                    "add some or pass another folder")
    return files


def is_vocab_output(path: Path) -> bool:
    """True if `path` is a file vocab wrote (it opens with VOCAB_OUTPUT_MARK), not an article."""
    mark = VOCAB_OUTPUT_MARK.encode()
    try:
        with path.open("rb") as file:
            head = file.read(len(mark) + len(b"\xef\xbb\xbf"))
    except OSError:
        return False  # reading it will say what is wrong
    return head.removeprefix(b"\xef\xbb\xbf").startswith(mark)


def decode(data: bytes, name: str) -> str:
    """Decode an article's bytes: BOM, then UTF-8, then a detected legacy encoding (Shift-JIS…)."""
    if not data.strip():
        raise InputError(name, "empty file: add the article text or leave the file out")
    if data.startswith(BINARY_MAGIC):
        raise InputError(name, "binary file (image or archive), not text: pass .txt, .md or .html")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _text_after_bom(data[len(bom):], encoding, name)
    declared = _declared_text(data)
    if declared is not None:
        return declared
    if ISO2022_JP_SHIFT in data:
        # ISO-2022-JP is 7-bit, so it also "decodes" as UTF-8, into escape codes and ASCII.
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("iso2022_jp")
    try:
        text = data.decode("utf-8")
        if _has_only_stray_nuls(text):  # else UTF-16 without a BOM, or binary
            return text.replace("\x00", "")
    except UnicodeDecodeError:
        pass
    text = _detected_text(data)
    if text is None:
        if b"\x00" in data:
            raise InputError(name, "binary file, not text: pass .txt, .md or .html")
        raise InputError(name, "cannot tell the text encoding: save the file as UTF-8")
    return text


def _has_only_stray_nuls(text: str) -> bool:
    """True if `text` (decoded as UTF-8) has no NULs, or a few stray ones in Japanese text.
    UTF-16 without a BOM has many, or decodes to ASCII only ("あいう" is "B0D0F0\\x00")."""
    nuls = text.count("\x00")
    return not nuls or (nuls <= max(MIN_STRAY_NULS, MAX_STRAY_NUL_SHARE * len(text)) and has_japanese(text))


def _text_after_bom(data: bytes, encoding: str, name: str) -> str:
    """The text after a byte-order mark, in the encoding it names. UTF-8 keeps its old leniency
    (a bad byte becomes U+FFFD); UTF-16/32 must decode cleanly and read as Japanese if it has
    CJK at all, since random bytes decode to CJK there (garbage must not pass as an article)."""
    if encoding == "utf-8":
        return data.decode(encoding, errors="replace").replace("\x00", "")
    label = encoding[:6].upper()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(name, f"starts with a {label} byte-order mark but is not {label} text: "
                               "save the file as UTF-8") from None
    if "\x00" in text or (has_japanese(text) and not _reads_as_japanese(text)):
        raise InputError(name, f"starts with a {label} byte-order mark but does not read as {label} "
                               "Japanese text: save the file as UTF-8")
    return text


def _declared_text(data: bytes) -> str | None:
    """An HTML page decoded with the charset its <meta> tag declares, if that decodes cleanly.
    The declaration is what the browser used; detection guesses wrong on short pages (外相会談
    in EUC-JP alone is too few bytes to tell)."""
    match = META_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    try:
        text = data.decode(WEB_CHARSETS.get(label, label))
    except (LookupError, UnicodeDecodeError):
        return None
    return text if has_japanese(text) else None  # a page mislabelled latin-1 is detected instead


def _detected_text(data: bytes) -> str | None:
    """The first decoding charset-normalizer proposes, among encodings Japanese is written in,
    that reads as Japanese text; None if there is none."""
    from charset_normalizer import from_bytes  # only files that are not UTF-8 pay for the import

    for match in from_bytes(data):
        text = str(match)
        if match.encoding.startswith(JAPANESE_ENCODINGS) and _reads_as_japanese(text):
            return text
    return None


def _reads_as_japanese(text: str) -> bool:
    # Random bytes decode to some CJK in many encodings (b"\x80\x81\xfe\xff\x90\x91abc\xc0"
    # is 肁邑慢揀 in UTF-16-BE). Real Japanese prose has kana, and almost all its non-ASCII
    # characters are Japanese script or full-width punctuation.
    foreign = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    japanese = sum(1 for ch in foreign if JAPANESE_TEXT.match(ch))
    return KANA.search(text) is not None and japanese >= MIN_JAPANESE_SHARE * len(foreign)


def html_main_text(html: str) -> str:
    """The readable text of an HTML page: the <article>/<main> element if there is one, without
    scripts, navigation, headers, footers and asides; one block element a line."""
    parser = _MainTextParser()
    for kind, tag, payload in html_events(html):
        if kind == "start":
            parser.handle_starttag(tag, payload)
        elif kind == "end":
            parser.handle_endtag(tag)
        else:
            parser.handle_data(payload)
    return parser.main_text()


def article_html_text(html: str) -> str:
    """The article's main text of an HTML page (saved or fetched), one paragraph a line.

    trafilatura finds the body among a news site's menus, related-article lists, rankings and
    footers better than `html_main_text` (on 26 saved pages of six Japanese news sites: 90.0 %
    of body sentences kept against 87.3 %, 1.9 % of clutter lines kept against 7.5 %); our own
    parser stays as the fallback for a page where it finds no Japanese text."""
    from trafilatura import extract  # imported on the first HTML page only: it takes ~0.5 s

    try:
        text = extract(html, include_comments=False, include_tables=True, deduplicate=False,
                       config=_trafilatura_config()) or ""
    except (ValueError, TypeError, RecursionError, MemoryError):  # lxml's limits on a hostile page
        text = ""
    return text if has_japanese(text) else html_main_text(html)


@functools.lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    """trafilatura's settings, with its minimum sizes lowered: they are counted in characters of
    European text, and a short Japanese article (300 characters is a full news item) fell back
    to a baseline that splits sentences at every <b> and <a>."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "10")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal.alarm: vocab may run in a thread
    return config


# A linear HTML tokenizer. The standard library's html.parser rescans the rest of the page at
# every "<" it cannot close (quadratic: 64 KB of "<a " took 43 s) and raises on "<![". Every
# pattern below is possessive and consumes what it scans, so each character is read once; a tag
# left open at the end of the file runs to the end, as in HTML5.
HTML_TOKEN = re.compile(
    r"(?P<text>[^<]++)"
    r"|(?P<comment><!--)"
    r"|</(?P<end>[A-Za-z][^\s/>]*+)[^>]*+>?"
    r"|<(?P<start>[A-Za-z][^\s/>]*+)(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"?|'[^']*+'?)*+)>?"
    r"|(?P<bogus><[!?/][^>]*+>?)"
    r"|(?P<lt><)"
)
HTML_ATTRIBUTE = re.compile(r"""([^\s=/>"']++)(?:\s*+=\s*+(?:"([^"]*+)"?|'([^']*+)'?|([^\s>]*+)))?""")
# Elements whose content is text up to their own end tag, never markup (HTML5 raw text and
# RCDATA elements).
RAW_TEXT_ELEMENTS = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"}
HtmlEvent = tuple[str, str, Any]


def html_events(html: str) -> Iterator[HtmlEvent]:
    """("start", tag, attrs) / ("end", tag, None) / ("data", "", text) events of `html`, in
    linear time, tag names lower-cased and character references decoded."""
    pos, size = 0, len(html)
    while pos < size:
        match = HTML_TOKEN.match(html, pos)
        assert match is not None  # the last alternative matches any "<"
        pos = match.end()
        if match.group("text") is not None or match.group("lt") is not None:
            yield "data", "", unescape(match.group())
        elif match.group("comment") is not None:
            close = html.find("-->", pos)
            pos = size if close < 0 else close + 3
        elif match.group("end") is not None:
            yield "end", match.group("end").lower(), None
        elif match.group("start") is not None:
            tag = match.group("start").lower()
            yield "start", tag, _html_attributes(match.group("attrs"))
            if tag in RAW_TEXT_ELEMENTS:
                close = re.compile(rf"</{tag}[\s/>]", re.I).search(html, pos)
                content = html[pos:close.start() if close else size]
                if content:
                    yield "data", "", content if tag in ("script", "style") else unescape(content)
                pos = close.start() if close else size
        # bogus: doctype, <![CDATA[…]]>, <?xml…?>, </>: nothing to read


def _html_attributes(text: str) -> list[tuple[str, str]]:
    return [(m.group(1).lower(), unescape(next((g for g in m.groups()[1:] if g is not None), "")))
            for m in HTML_ATTRIBUTE.finditer(text)]


class _MainTextParser:
    SKIPPED = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
               "select", "svg", "template", "iframe", "menu", "head"}
    # What may stand in <head>; anything else ends it, since </head> (and <body>) are optional.
    HEAD_CONTENT = {"title", "meta", "link", "style", "script", "base", "noscript", "template", "head"}
    MAIN = {"article", "main"}
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
              "section", "article", "main", "title", "dd", "dt", "figcaption", "pre", "td", "th"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col",
            "embed", "track", "param", "keygen"}
    FURNITURE = re.compile(r"\b(?:nav|menu|footer|header|sidebar|share|breadcrumb|related|ad|ads|banner|cookie)\b")

    def __init__(self) -> None:
        self._skip: list[str] = []       # open elements whose text we drop
        self._skip_counts: Counter[str] = Counter()  # the same, counted: an O(1) "is it open?"
        self._main_depth = 0             # >0 while inside <article>/<main>
        self._all: list[str] = []        # text outside skipped elements
        self._main: list[str] = []       # text inside the first <article>/<main>
        self._main_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        if self._in_head_only() and tag not in self.HEAD_CONTENT:
            self._end_skip()
        if tag in self.VOID:
            if tag == "br" and not self._skip:
                self._text("\n")
            return
        if self._skip:
            self._push_skip(tag)
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role")).lower()
        if tag in self.SKIPPED or (tag != "body" and self.FURNITURE.search(marks)):
            self._push_skip(tag)
            return
        if tag in self.MAIN and not self._main_done:
            self._main_depth += 1
        if tag in self.BLOCKS:
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            # Pop back to the matching start tag; HTML in the wild leaves tags unclosed.
            if self._skip_counts[tag]:
                while self._pop_skip() != tag:
                    pass
            return
        if tag in self.BLOCKS:
            self._text("\n")
        if tag in self.MAIN and self._main_depth:
            self._main_depth -= 1
            if not self._main_depth:
                self._main_done = True

    def handle_data(self, data: str) -> None:
        if self._in_head_only() and data.strip():
            self._end_skip()  # text cannot stand in <head>: the body has begun
        if not self._skip:
            self._text(data)

    def _in_head_only(self) -> bool:
        return len(self._skip) == 1 and self._skip[0] == "head"

    def _push_skip(self, tag: str) -> None:
        self._skip.append(tag)
        self._skip_counts[tag] += 1

    def _pop_skip(self) -> str:
        tag = self._skip.pop()
        self._skip_counts[tag] -= 1
        return tag

    def _end_skip(self) -> None:
        self._skip.clear()
        self._skip_counts.clear()

    def _text(self, text: str) -> None:
        self._all.append(text)
        if self._main_depth:
            self._main.append(text)

    def main_text(self) -> str:
        chosen = self._main if has_japanese("".join(self._main)) else self._all
        lines = (" ".join(line.split()) for line in "".join(chosen).splitlines())
        return "\n".join(line for line in lines if line)


# Markdown: only what changes the prose. Block syntax is stripped line by line; inline syntax
# keeps the text it marks up (link text, emphasised words) and drops the rest (URLs, images).
MD_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.S)
MD_FENCE = re.compile(r"^ {0,3}(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.S | re.M)
MD_COMMENT_OPEN, MD_COMMENT_CLOSE = "<!--", "-->"
MD_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]++\]:(?=\s)[ \t]*+\n?[ \t]*+\S.*$", re.M)   # [1]: https://… and [^1]: …
MD_RULE = re.compile(r"^ {0,3}(?:=++|-++|(?:[-*_] *+){3,}+)\s*+$")          # <hr>, setext underlines
MD_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
MD_BLOCK = re.compile(r"^ {0,3}(?:#{1,6}(?:\s+|$)|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,9}[.)]\s+)")
MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
MD_CLOSING_HASHES = re.compile(r"(?<!\s)\s++#++\s*+$")
MD_BACKTICKS_SPLIT = re.compile(r"(`++)")
# Bracket and parenthesis scans stop at the next opening one, so no text is scanned twice.
MD_IMAGE = re.compile(r"!\[[^\][]*+\](?:\([^()]*+\)|\[[^\][]*+\])")
MD_LINK = re.compile(r"\[([^\][]*+)\](?:\([^()]*+\)|\[[^\][]*+\])")
MD_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*+>", re.I)
MD_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
MD_FOOTNOTE = re.compile(r"\[\^[^\][]++\]")
MD_EMPHASIS_SPLIT = re.compile(r"(\*++|~~++|_++)")
MD_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
MD_HARD_BREAK_ENDS = ("  ", "\\")
JAPANESE_OR_PUNCTUATION = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f]")


def markdown_text(markdown: str) -> str:
    """The prose of a Markdown document, one paragraph, heading or list item a line: front
    matter, code blocks, comments, link targets, images, and the marks of headings, quotes,
    lists, tables and emphasis removed. Lines wrapped inside a paragraph are joined (with no
    space between Japanese characters, since Markdown renders a soft break as nothing there)."""
    text = MD_FRONT_MATTER.sub("", markdown.replace("\r\n", "\n"))
    text = MD_LINK_DEFINITION.sub("", _without_comments(MD_FENCE.sub("", text)))
    paragraphs: list[_Paragraph] = []
    joinable = False  # may the next line continue the last one (same paragraph)?
    was_quoted = False
    for raw in text.split("\n"):
        if not raw.strip() or MD_RULE.match(raw):
            joinable = False
            continue
        quote = MD_QUOTE.match(raw)
        unquoted = raw[quote.end():] if quote else raw
        block = MD_BLOCK.match(unquoted)
        is_table = unquoted.lstrip().startswith("|")
        line = _markdown_inline(unquoted[block.end():] if block else unquoted)
        if MD_HEADING.match(unquoted):
            line = MD_CLOSING_HASHES.sub("", line)
        if is_table:
            line = " ".join(cell.strip() for cell in line.split("|") if cell.strip(" -:"))  # |---|:--:|
        starts_quote, was_quoted = quote is not None and not was_quoted, quote is not None
        if joinable and not block and not is_table and not starts_quote and paragraphs:
            paragraphs[-1].join(line.strip())
        else:
            paragraphs.append(_Paragraph(line.strip()))
        joinable = not (MD_HEADING.match(unquoted) or is_table or raw.endswith(MD_HARD_BREAK_ENDS))
    return "\n".join(text for text in (p.text() for p in paragraphs) if text)


class _Paragraph:
    """A paragraph's lines, joined once at the end: joining each line onto the text so far
    copied it every time (quadratic in a long paragraph of short lines)."""

    def __init__(self, first: str) -> None:
        self._pieces = [first]
        self._last = first[-1:]  # the last character of the text so far

    def join(self, line: str) -> None:
        """Continue the paragraph with `line`: no space between Japanese characters (Markdown
        renders a soft break as nothing there), else one space."""
        japanese_seam = (self._last and line and JAPANESE_OR_PUNCTUATION.match(self._last)
                         and JAPANESE_OR_PUNCTUATION.match(line[0]))
        if not japanese_seam:
            self._pieces.append(" ")
            self._last = " "
        self._pieces.append(line)
        self._last = line[-1:] or self._last

    def text(self) -> str:
        """The joined paragraph."""
        return "".join(self._pieces)


def _without_comments(text: str) -> str:
    # str.find, not a lazy ".*?" that rescanned the rest of the text from every unclosed "<!--".
    pieces, pos = [], 0
    while (start := text.find(MD_COMMENT_OPEN, pos)) >= 0:
        end = text.find(MD_COMMENT_CLOSE, start + len(MD_COMMENT_OPEN))
        if end < 0:
            break  # an unclosed comment is text
        pieces.append(text[pos:start])
        pos = end + len(MD_COMMENT_CLOSE)
    pieces.append(text[pos:])
    return "".join(pieces)


def _markdown_inline(line: str) -> str:
    # Escaped characters (\*) are literal: hide them from the patterns, restore them at the end.
    hidden = MD_ESCAPE.sub(lambda m: chr(0xF0000 + ord(m.group(1))), line)
    hidden = _without_code_marks(hidden)
    hidden = MD_LINK.sub(r"\1", MD_IMAGE.sub("", hidden))
    hidden = MD_FOOTNOTE.sub("", MD_TAG.sub("", MD_AUTOLINK.sub("", hidden)))
    hidden = _without_emphasis(hidden)
    return "".join(chr(ord(ch) - 0xF0000) if ord(ch) >= 0xF0000 else ch for ch in hidden)


def _without_code_marks(line: str) -> str:
    """`line` with its code spans' backticks removed: a run of backticks opens a span closed by
    the next run of the same length (CommonMark). Each run's partner is found in one backward
    pass, where a regex retried every later run from every opening one."""
    parts = MD_BACKTICKS_SPLIT.split(line)  # text, run, text, run, …, text: no Match objects
    if len(parts) < 5:
        return line
    partner: dict[int, int] = {}
    next_of_length: dict[int, int] = {}
    for i in range(len(parts) - 2, 0, -2):
        if len(parts[i]) in next_of_length:
            partner[i] = next_of_length[len(parts[i])]
        next_of_length[len(parts[i])] = i
    pieces, i = [parts[0]], 1
    while i < len(parts):
        j = partner.get(i)
        content = "".join(parts[i + 1:j]).strip() if j is not None else ""
        if not content:
            pieces += [parts[i], parts[i + 1]]
            i += 2
            continue
        pieces += [content, parts[j + 1]]
        i = j + 2
    return "".join(pieces)


def _without_emphasis(line: str) -> str:
    """`line` without the emphasis and strikethrough marks (*, **, ***, _, __, ~~) that pair up;
    unpaired ones stay. A run opens if a non-space follows it and closes if a non-space precedes
    it (underscores also not inside a word); a closer pairs with the nearest open run of its
    character, as in CommonMark. One pass with a stack per character: linear, where a lazy
    "(\\*)(.+?)\\1" rescanned the rest of the line from every lone asterisk (10 s for 64 KB)."""
    parts = MD_EMPHASIS_SPLIT.split(line)  # text, run, text, …: no Match objects to collect
    if len(parts) < 5:
        return line
    left = {i: len(parts[i]) for i in range(1, len(parts), 2)}  # marks of each run not (yet) paired
    open_runs: dict[str, list[int]] = {"*": [], "_": [], "~": []}
    for i in range(1, len(parts), 2):
        char = parts[i][0]
        before = parts[i - 1][-1:] or (parts[i - 2][-1:] if i > 1 else "") or " "
        after = parts[i + 1][:1] or (parts[i + 2][:1] if i + 2 < len(parts) else "") or " "
        can_open, can_close = not after.isspace(), not before.isspace()
        if char == "_":
            can_open = can_open and not MD_WORD_CHAR.match(before)
            can_close = can_close and not MD_WORD_CHAR.match(after)
        stack = open_runs[char]
        while can_close and stack and left[i]:
            opener = stack[-1]
            paired = min(left[i], left[opener])
            left[i] -= paired
            left[opener] -= paired
            if not left[opener]:
                stack.pop()
        if can_open and left[i]:
            stack.append(i)
    return "".join(part[:left[i]] if i % 2 else part for i, part in enumerate(parts))


def clean_text(text: str) -> str:
    """Drop web noise: URLs, pictographs, lines with no Japanese (menus, English captions),
    bylines, credits and site furniture, and whatever stands outside the article's body (see
    `article_body`). Japanese lines keep their inline English."""
    text = _without_symbols(unicodedata.normalize("NFC", text))
    kept = []
    for raw in text.splitlines():
        line = " ".join(_without_links_and_readings(raw).split())
        if line and not _is_noise_line(line):
            kept.append(line)
    return "\n".join(article_body(kept))


def _without_links_and_readings(line: str) -> str:
    """The line without URLs, a press-release dateline and inline readings. Each expression runs
    only on lines with the character it needs: most lines have none, and scanning every line with
    all three took a third of reading a big corpus."""
    if "." in line or "://" in line:
        line = URL.sub(" ", line)
    if "--" in line:
        line = DATELINE.sub("", line)
    if "(" in line or "（" in line:
        line = INLINE_READING.sub("", line)
    return line


def article_body(lines: Sequence[str]) -> list[str]:
    """The article among a page's lines: from the headline just before the first paragraph of
    prose to the last paragraph of prose. What a saved or copied page has before it (site name,
    menus, breadcrumbs) and after it (related headlines, rankings, notes) is dropped; headings
    and short lines between paragraphs stay. Text without prose paragraphs is kept whole."""
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    if not prose:
        return list(lines)
    first, last = prose[0], prose[-1]
    # The headline: the nearest line before that reads as one (not a one-word label: 写真, 政治).
    first = next((i for i in range(first - 1, max(-1, first - 1 - MAX_LINES_TO_HEADLINE), -1)
                  if len(lines[i]) >= MIN_HEADLINE_CHARS), first)
    # A list that continues the last sentence (▽半導体のほか、) is the article's too.
    while last + 1 < len(lines) and lines[last + 1].endswith(("、", "，")):
        last += 1
    return list(lines[first:last + 1])


def _is_prose(line: str) -> bool:
    # Headlines, menus and related-article lists have no full stop; a long line is prose anyway.
    return "。" in line or len(line) >= MIN_PROSE_CHARS


def _without_symbols(text: str) -> str:
    """`text` with its symbols blanked and its control characters dropped (a stray one inside a
    word, 政\x01治, is noise). Each distinct character is tested once (testing every character
    took most of reading a big corpus), and those found are replaced by one regular expression:
    str.translate with a table looks every character up (a quarter of reading 1,000 articles)."""
    rare = set("".join(NEVER_SYMBOL.split(text)))  # the characters worth testing: a few dozen an article
    symbols = [ch for ch in rare if _is_symbol(ch) and len(f"a{ch}a".splitlines()) == 1]  # lines stay
    if not symbols:
        return text
    controls = [ch for ch in symbols if _is_control(ch)]
    if controls:
        text = re.sub(_char_class(controls), "", text)
    blanked = [ch for ch in symbols if not _is_control(ch)]
    return re.sub(_char_class(blanked), " ", text) if blanked else text


# Characters that are no symbol (kana, kanji, ASCII letters and digits, the commonest punctuation):
# skipping them spares making a string of every character of the text to test it.
NEVER_SYMBOL = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u4e00-\u9fff0-9A-Za-z\n 、。「」（）・]+")


def _char_class(chars: Sequence[str]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]"


@functools.lru_cache(maxsize=None)
def _is_symbol(ch: str) -> bool:
    # Emoji and pictographs (📘, ✅, ⇒) decorate web copy and would reach the tagger as nouns.
    # Control characters (other than tab) are never text.
    return unicodedata.category(ch) in ("So", "Cc", "Co", "Cs") or ch == "\ufffd"


def _is_control(ch: str) -> bool:
    return ch != "\t" and unicodedata.category(ch) == "Cc"


def _is_noise_line(line: str) -> bool:
    if not has_japanese(line) or LENTICULAR_LINE.match(line):
        return True
    if FURNITURE_WORD.search(line) or (_has_breadcrumb_mark(line) and BREADCRUMB.search(line)):
        return True
    if len(line) <= MAX_BYLINE_CHARS and DATE.search(line) and "。" not in line:
        return True  # "テレスル 2026年2月4日": outlet and date
    return len(line) <= MAX_FURNITURE_CHARS and any(word in line for word in BOILERPLATE)


def _has_breadcrumb_mark(line: str) -> bool:
    # Substring tests find the marks in a tenth of the time a search for a breadcrumb takes.
    return any(mark in line for mark in BREADCRUMB_MARKS)


def article_title(text: str) -> str:
    """The first line, cut at its first sentence end and at MAX_TITLE_CHARS."""
    first = text.split("\n", 1)[0]
    end = first.find("。")
    first = first[: end + 1] if 0 <= end < len(first) - 1 else first
    return first if len(first) <= MAX_TITLE_CHARS else first[: MAX_TITLE_CHARS - 1] + "…"


def article_from_text(name: str, raw_text: str, *, is_html: bool = False, is_markdown: bool = False,
                      title: str = "") -> Article:
    """Clean `raw_text` (plain text, or HTML / Markdown when told) into an Article; raise
    InputError if no Japanese text is left. `title` (a web page's own) replaces the first line."""
    if is_html:
        raw_text = article_html_text(raw_text)
    elif is_markdown:
        raw_text = markdown_text(raw_text)
    text = clean_text(raw_text)
    if not text:
        raise InputError(name, "no Japanese text found: vocab reads Japanese articles")
    title = " ".join(title.split())
    return Article(name=name, title=title if title and len(title) <= MAX_TITLE_CHARS else article_title(title or text),
                   text=text, digest=hashlib.sha256(text.encode()).hexdigest())


def read_article(path: Path, name: str | None = None) -> Article:
    """Read one article file (text, Markdown or HTML, any common Japanese encoding)."""
    label = name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(str(path), f"file too large ({size / 2**20:.0f} MB, limit "
                                        f"{MAX_ARTICLE_BYTES // 2**20} MB): split it into articles")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(str(path), "permission denied: make the file readable") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        text = decode(data, str(path))
        is_html = path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text)
        return article_from_text(label, text, is_html=is_html,
                                 is_markdown=not is_html and path.suffix.lower() in MARKDOWN_SUFFIXES)
    except InputError as exc:
        raise InputError(str(path), exc.problem) from None


def _fetcher(stack: contextlib.ExitStack) -> Any:
    """The one web Fetcher of a read_articles call (per-host delays hold across its URLs)."""
    from vocab.reading.web import Fetcher

    fetcher = getattr(stack, "vocab_fetcher", None)
    if fetcher is None:
        fetcher = stack.vocab_fetcher = Fetcher()  # type: ignore[attr-defined]
        stack.callback(fetcher.close)
    return fetcher


def _looks_like_html(text: str) -> bool:
    """True if `text` starts like an HTML page (decoded first, so UTF-16 pages count too)."""
    return HTML_START.match(text[:4096]) is not None


is_html_text = _looks_like_html


def decode_web(data: bytes, name: str, charset: str | None) -> str:
    """Decode a fetched page: with the charset the server declared if it decodes cleanly as
    Japanese (Shift_JIS read as browsers read it), else as a file is decoded (`decode`)."""
    if charset and not data.startswith(tuple(bom for bom, _ in BOMS)):
        with contextlib.suppress(LookupError, UnicodeDecodeError):
            text = data.decode(WEB_CHARSETS.get(charset, charset))
            if has_japanese(text):
                return text
    return decode(data, name)


# A page's own title and date, from the metadata news sites give for link previews and search.
META_TAGS = ("og:title", "twitter:title", "article:published_time", "datepublished", "pubdate",
             "date", "dc.date", "dcterms.date")


def page_facts(html: str) -> dict[str, str]:
    """The title and publication date a page declares (og:title or <title>; the
    article:published_time meta or the first <time datetime>), where it has them."""
    meta: dict[str, str] = {}
    title_parts: list[str] = []
    in_title = False
    for kind, tag, payload in html_events(html[:256 * 1024]):  # the facts are in the head
        if kind == "start" and tag == "meta":
            attrs = dict(payload)
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if key in META_TAGS and attrs.get("content") and key not in meta:
                meta[key] = attrs["content"].strip()
        elif kind == "start" and tag == "time" and "time" not in meta and dict(payload).get("datetime"):
            meta["time"] = dict(payload)["datetime"].strip()
        elif kind == "start" and tag == "title":
            in_title = not title_parts
        elif kind == "end" and tag == "title":
            in_title = False
        elif kind == "data" and in_title:
            title_parts.append(payload)
    title = meta.get("og:title") or meta.get("twitter:title") or "".join(title_parts)
    date = next((meta[k] for k in ("article:published_time", "datepublished", "pubdate", "dc.date",
                                    "dcterms.date", "date", "time") if meta.get(k)), "")
    return {"title": " ".join(title.split()), "date": date}


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The articles that could be read, and the inputs that were skipped (with why)."""

    articles: list[Article]
    skipped: list[InputError]


def read_articles(paths: Sequence[str | Path], stdin: bytes | None = None) -> ReadResult:
    """Read every article under `paths` ("-" reads `stdin`, or the process's standard input).

    An http(s) URL is fetched (or read from the store of fetched pages: `vocab.reading.web`).
    A missing path raises at once. Unreadable files inside the inputs, and pages that cannot be
    fetched, are skipped and reported, unless nothing readable is left, in which case the first
    problem is raised.
    """
    articles: list[Article] = []
    skipped: list[InputError] = []
    with contextlib.ExitStack() as stack:
        for entry in paths:
            for load in _article_loaders(str(entry), stdin, stack):
                try:
                    articles.append(load())
                except InputError as exc:
                    skipped.append(exc)
    if not articles:
        if skipped:
            raise skipped[0]
        raise VocabError("no articles given: pass files or folders (or - for standard input)")
    return ReadResult(articles=articles, skipped=skipped)


def _article_loaders(entry: str, stdin: bytes | None, stack: contextlib.ExitStack) -> Iterable[Callable[[], Article]]:
    """One loader per article under `entry`, so a bad file fails alone, when it is read."""
    from vocab.reading import web  # light: requests is imported only when a page is fetched

    if web.is_web_address(entry):
        yield lambda: web.fetch_article(entry, _fetcher(stack))
        return
    if entry == STDIN:
        def load_stdin() -> Article:
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            text = decode(data, "<stdin>")
            return article_from_text("<stdin>", text, is_html=_looks_like_html(text))
        yield load_stdin
        return
    root = Path(entry)
    for file in article_files(root):
        name = file.relative_to(root).as_posix() if file != root else file.name
        yield lambda file=file, name=name: read_article(file, name)
