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
from vocab.articles import JAPANESE, markdown_text, read_articles
from vocab.cli import app

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
