"""Every input a learner has gives the same vocabulary: the same article as UTF-8, Shift-JIS,
EUC-JP, UTF-16, ISO-2022-JP, Markdown, a saved web page and standard input; folders read
recursively in a stable order. And every export reads back: CSV/TSV with the csv module and
Anki's own text importer, JSON and Markdown.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARTICLES
from vocab.cli import app
from vocab.reading.articles import VOCAB_OUTPUT_MARK, markdown_text, read_articles
from vocab.resources.kana import JAPANESE

runner = CliRunner()
ARTICLE = next(ARTICLES.glob("000_*.txt"))   # every character of it exists in Shift-JIS and EUC-JP
TEXT = ARTICLE.read_text(encoding="utf-8")
PARAGRAPHS = [line for line in TEXT.splitlines() if line.strip()]


def vocabulary(*args: str, stdin: bytes | None = None) -> list[str]:
    """The words `vocab extract --format json` prints, in order."""
    result = runner.invoke(app, ["extract", *args, "--format", "json"], input=stdin)
    assert result.exit_code == 0, result.output
    return [term["word"] for term in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The vocabulary of the UTF-8 file, the reference for every other form of it."""
    # An explicit empty list: module fixtures start before the per-test data folder is set.
    nothing = tmp_path_factory.mktemp("known") / "none.txt"
    nothing.write_text("", encoding="utf-8")
    words = vocabulary(str(ARTICLE), "--known", str(nothing))
    assert len(words) > 50
    return words


ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "shift_jis", "euc_jp", "utf-16", "utf-16-le", "utf-16-be",
             "iso2022_jp"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_gives_the_same_vocabulary(tmp_path: Path, expected: list[str], encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert vocabulary(str(path)) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "cp932", "utf-16"])
def test_stdin(expected: list[str], encoding: str) -> None:
    assert vocabulary("-", stdin=TEXT.encode(encoding)) == expected


# ── Markdown ─────────────────────────────────────────────────────────────────────────────────

def _soft_wrapped(paragraph: str) -> str:
    """The paragraph wrapped once between two Japanese characters, as an editor would."""
    middle = len(paragraph) // 2
    cut = next(i for i in range(middle, len(paragraph)) if JAPANESE.match(paragraph[i - 1]) and JAPANESE.match(paragraph[i]))
    return f"{paragraph[:cut]}\n{paragraph[cut:]}"


def markdown_article() -> str:
    """The article as a blogger would post it: front matter, heading, emphasis, a quote, a link,
    a list, an image, a code block, a comment, a footnote, soft-wrapped paragraphs."""
    title, *body = PARAGRAPHS
    blocks = ["---\ntitle: 中露首脳会談\ndate: 2026-02-04\n---", f"# {title} #", "<!-- 下書き -->"]
    for i, paragraph in enumerate(body):
        if i % 4 == 0:
            blocks.append(_soft_wrapped(paragraph) if len(paragraph) > 20 else paragraph)
        elif i % 4 == 1:
            blocks.append(f"**{paragraph[:4]}**{paragraph[4:]}")
        elif i % 4 == 2:
            blocks.append(f"> {paragraph}")
        else:
            blocks.append(f"- {paragraph}")
    blocks += ["![写真：ビデオ会議の様子](https://example.jp/photo.jpg)", "```\nconsole.log('記事');\n```",
               "[^1]: 出典：テレスル", "* [関連記事を読む](https://example.jp/related)"]
    return "\n\n".join(blocks) + "\n"


def test_markdown_gives_the_same_vocabulary(tmp_path: Path, expected: list[str]) -> None:
    path = tmp_path / "article.md"
    path.write_text(markdown_article(), encoding="utf-8")
    assert vocabulary(str(path)) == expected


MARKDOWN = [
    ("# 見出し #", "見出し"),
    ("## 見出し", "見出し"),
    ("**強調**と*斜体*と~~取消~~と`コード`", "強調と斜体と取消とコード"),
    ("***両方***と__下線__", "両方と下線"),
    ("[リンク](https://example.jp \"題\")と[参照][1]", "リンクと参照"),
    ("![画像](a.png)本文", "本文"),
    ("<https://example.jp>と<span class=\"x\">タグ</span>", "とタグ"),
    ("脚注[^1]つき", "脚注つき"),
    (r"エスケープ\*星\*", "エスケープ*星*"),
    ("snake_case_name と A_B", "snake_case_name と A_B"),   # intraword _ is not emphasis
    ("> 引用の\n> 続き", "引用の続き"),
    ("本文。\n> 引用", "本文。\n引用"),                        # a quote starts a new block
    ("- 項目一\n* 項目二\n1. 番号\n- [x] 済み", "項目一\n項目二\n番号\n済み"),
    ("| 表 | 列 |\n|---|---|\n| 値一 | 値二 |", "表 列\n値一 値二"),
    ("一行目が\nここで続く", "一行目がここで続く"),                # soft break: nothing between kanji
    ("APEC\nフォーラム", "APEC フォーラム"),
    ("改行  \n強制", "改行\n強制"),                             # hard break
    ("---\ntitle: x\n---\n本文", "本文"),
    ("```python\nprint('コード')\n```\n本文", "本文"),
    ("<!-- メモ -->本文", "本文"),
    ("[1]: https://example.jp\n本文", "本文"),
    ("見出し\n===\n本文", "見出し\n本文"),
]


@pytest.mark.parametrize(("markdown", "expected_text"), MARKDOWN)
def test_markdown_text(markdown: str, expected_text: str) -> None:
    assert markdown_text(markdown) == expected_text


# ── Web pages ────────────────────────────────────────────────────────────────────────────────

def saved_page(charset: str = "UTF-8") -> str:
    """The article as a browser saves a news page: navigation, header, menus, scripts, share
    buttons, related links and a footer around the <article>."""
    body = "\n".join(f"    <p>{html.escape(p)}</p>" for p in PARAGRAPHS[1:])
    return f"""<!DOCTYPE html>
<!-- saved from url=(0042)https://example.jp/news/2026/02/04/000.html -->
<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(PARAGRAPHS[0])} | テレスル日本語版</title>
<script>var 記事 = "広告"; window.dataLayer = window.dataLayer || [];</script>
<style>.menu li::after {{ content: "・"; }}</style>
</head>
<body>
<header class="site-header"><a href="/">テレスル日本語版</a><p>世界のニュースを日本語で</p></header>
<nav class="global-nav"><ul class="menu"><li><a href="/politics">政治</a></li><li><a href="/economy">経済</a></li>
<li><a href="/world">国際</a></li><li><a href="/sports">スポーツ</a></li></ul></nav>
<div class="breadcrumb"><a href="/">ホーム</a> &gt; <a href="/world">国際</a> &gt; 記事</div>
<main>
  <article>
    <h1>{html.escape(PARAGRAPHS[0])}</h1>
{body}
    <div class="share-buttons"><button>シェアする</button><a href="#">ツイートする</a></div>
  </article>
  <aside class="related"><h2>関連記事</h2><ul><li><a href="/a">米国がキューバに新たな制裁を発表</a></li>
  <li><a href="/b">中国外相が訪露へ</a></li></ul></aside>
</main>
<footer><p>Copyright &copy; 2026 テレスル 無断転載を禁じます。</p><ul><li>利用規約</li><li>プライバシーポリシー</li></ul></footer>
<script src="/js/app.js"></script><script>document.querySelectorAll('.ad').forEach(e => e.remove());</script>
</body></html>
"""


@pytest.mark.parametrize(("charset", "encoding"), [("UTF-8", "utf-8"), ("Shift_JIS", "cp932"), ("EUC-JP", "euc_jp")])
def test_saved_web_page(tmp_path: Path, expected: list[str], charset: str, encoding: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(saved_page(charset).encode(encoding))
    assert vocabulary(str(path)) == expected


def test_web_page_on_stdin(expected: list[str]) -> None:
    assert vocabulary("-", stdin=saved_page("Shift_JIS").encode("cp932")) == expected


SHORT_PAGES = [
    ("EUC-JP", "euc_jp", "外相会談"),
    ("Shift_JIS", "cp932", "外相会談①"),   # browsers read Shift_JIS as Windows-31J, with ①
    ("x-sjis", "cp932", "外相会談"),
]


@pytest.mark.parametrize(("charset", "encoding", "text"), SHORT_PAGES)
def test_short_page_trusts_its_meta_charset(tmp_path: Path, charset: str, encoding: str, text: str) -> None:
    # Too few bytes for detection to tell Japanese from Chinese or Korean: the <meta> decides.
    page = f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'
    path = tmp_path / "short.html"
    path.write_bytes(page.encode(encoding))
    assert read_articles([path]).articles[0].text == text


# ── Folders ──────────────────────────────────────────────────────────────────────────────────

def test_folders_are_read_recursively_in_a_stable_order(tmp_path: Path) -> None:
    files = {"z.txt": "最後の記事。", "a/b/2.md": "# 二番目の記事", "a/1.html": "<p>最初の記事。</p>",
             "a/B.txt": "大文字の記事。", "a/notes.json": "{}", "a/photo.jpg": ""}
    for name, content in reversed(files.items()):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    names = [a.name for a in read_articles([tmp_path]).articles]
    assert names == ["a/1.html", "a/B.txt", "a/b/2.md", "z.txt"]   # by relative path, code points


def test_the_same_article_twice_counts_twice(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "two.html").write_text(saved_page(), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "json", "--limit", "1"])
    assert json.loads(result.stdout)[0]["sources"] == ["one.txt", "two.html"]


# ── Exports ──────────────────────────────────────────────────────────────────────────────────

def parse_table(text: str, delimiter: str) -> list[dict[str, str]]:
    """Read our CSV/TSV with the csv module: `#` lines are Anki's file headers, `#columns:` names
    the columns."""
    lines = text.splitlines()
    columns = next(line for line in lines if line.startswith("#columns:"))[len("#columns:"):]
    names = next(csv.reader([columns], delimiter=delimiter))
    body = "\n".join(line for line in lines if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), fieldnames=names, delimiter=delimiter))


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`vocab extract --format F` of the sample articles, for every format."""
    nothing = tmp_path_factory.mktemp("known") / "none.txt"
    nothing.write_text("", encoding="utf-8")
    texts = {}
    for fmt in ("json", "csv", "tsv", "md"):
        result = runner.invoke(app, ["extract", str(ARTICLES), "--format", fmt, "--known", str(nothing)])
        assert result.exit_code == 0, result.output
        texts[fmt] = result.stdout
    return texts


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_parse_back(exports: dict[str, str], fmt: str, delimiter: str) -> None:
    from vocab.output.export import TABLE_COLUMNS, spreadsheet_safe

    terms = json.loads(exports["json"])
    rows = parse_table(exports[fmt], delimiter)
    assert list(rows[0]) == list(TABLE_COLUMNS)
    assert [(r["word"], r["reading"], r["count"]) for r in rows] == [(t["word"], t["reading"], str(t["count"]))
                                                                      for t in terms]
    # A sentence that opens like a formula ("- SCOを軸と…", a list item) has a leading apostrophe.
    assert all(r["sentence"] == spreadsheet_safe(t["examples"][0]["sentence"]) for r, t in zip(rows, terms))


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", 4), ("tsv", 0)])   # Anki's Delimiter: COMMA, TAB
def test_anki_text_importer_takes_csv_and_tsv_as_they_are(exports: dict[str, str], tmp_path: Path,
                                                          fmt: str, delimiter: int) -> None:
    from anki.collection import Collection, ImportCsvRequest

    from vocab.output.export import TABLE_COLUMNS

    path = tmp_path / f"vocab.{fmt}"
    path.write_text(exports[fmt], encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        models = col.models
        notetype = models.new("vocab export")
        for name in TABLE_COLUMNS:
            models.add_field(notetype, models.new_field(name))
        template = models.new_template("Recognise")
        template["qfmt"], template["afmt"] = "{{word}}", "{{meaning}}"
        models.add_template(notetype, template)
        models.add(notetype)
        # What File > Import shows, read from the file's own headers: no setting changed by hand.
        metadata = col.get_csv_metadata(path=str(path), delimiter=None)
        assert metadata.delimiter == delimiter
        assert list(metadata.column_labels) == list(TABLE_COLUMNS)
        assert not metadata.is_html
        metadata.global_notetype.id = models.by_name("vocab export")["id"]
        del metadata.global_notetype.field_columns[:]
        metadata.global_notetype.field_columns.extend(range(1, len(TABLE_COLUMNS) + 1))
        log = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
        terms = json.loads(exports["json"])
        assert len(log.new) == len(col.find_notes("")) == len(terms)
        first = col.get_note(col.find_notes(f"word:{terms[0]['word']}")[0])
        assert (first["reading"], first["sentence"]) == (terms[0]["reading"], terms[0]["examples"][0]["sentence"])
    finally:
        col.close()


def test_csv_export_is_a_known_words_file(exports: dict[str, str], tmp_path: Path) -> None:
    from vocab.learner.known import read_known

    path = tmp_path / "vocab.csv"
    path.write_text(exports["csv"], encoding="utf-8")
    assert read_known(path) == list(dict.fromkeys(t["word"] for t in json.loads(exports["json"])))


def test_markdown_export(exports: dict[str, str]) -> None:
    terms = json.loads(exports["json"])
    mark, *lines = exports["md"].splitlines()
    assert mark == VOCAB_OUTPUT_MARK  # so a rebuild does not read the list back as an article
    assert lines[0].startswith("| # | word |") and len(lines) == len(terms) + 2
    assert all(line.split(" | ")[1] == t["word"] for line, t in zip(lines[2:], terms))


def test_build_writes_every_format_beside_the_deck_quietly(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    args = ["--quiet", "build", str(ARTICLE), "-o", str(out)]
    result = runner.invoke(app, [*args, *(a for fmt in ("csv", "tsv", "json", "md") for a in ("--format", fmt))])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg", "deck.csv", "deck.json", "deck.md", "deck.tsv"]
    words = [t["word"] for t in json.loads((tmp_path / "deck.json").read_text(encoding="utf-8"))]
    assert [r["word"] for r in parse_table((tmp_path / "deck.csv").read_text(encoding="utf-8"), ",")] == words


def test_quiet_extract_to_a_file_prints_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--quiet", "extract", str(ARTICLE), "-f", "csv", "-o", str(tmp_path / "v.csv")])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "v.csv").read_text(encoding="utf-8").startswith("#separator:Comma\n")
