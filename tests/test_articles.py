"""Reading articles: finding files, decoding bytes, HTML main text, cleaning web noise."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import ARTICLES
from vocab.reading.articles import (
    MAX_ARTICLE_BYTES, NEVER_SYMBOL, _is_symbol, article_files, article_from_text, clean_text, decode,
    html_main_text, read_article, read_articles,
)
from vocab.errors import InputError, VocabError

SAMPLE = sorted(ARTICLES.glob("*.txt"))[0].read_text(encoding="utf-8")
SENTENCE = "両指導者は、米国の圧力の下でも、両国との関係維持を再確認した。"

# ── decode: any common Japanese encoding in, text out ───────────────────────────────────────

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "shift_jis", "cp932", "euc_jp", "iso2022_jp"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", [SAMPLE, SENTENCE], ids=["article", "sentence"])
def test_decode_round_trips(encoding: str, text: str) -> None:
    assert decode(text.encode(encoding), "a.txt") == text


BAD_BYTES = [
    (b"", "empty file: add the article text or leave the file out"),
    (b"\n \t\r\n", "empty file: add the article text or leave the file out"),
    (b"\x89PNG\r\n\x1a\n" + bytes(16), "binary file (image or archive), not text: pass .txt, .md or .html"),
    (b"PK\x03\x04" + bytes(16), "binary file (image or archive), not text: pass .txt, .md or .html"),
    (b"%PDF-1.7\n", "binary file (image or archive), not text: pass .txt, .md or .html"),
    (b"\x00\xff" * 8, "binary file, not text: pass .txt, .md or .html"),
    (bytes(range(0x80, 0x100)), "cannot tell the text encoding: save the file as UTF-8"),
    # issue 8: charset-normalizer read these as UTF-16-BE 肁\ufeff邑慢揀, which has kanji.
    (b"\x80\x81\xfe\xff\x90\x91abc\xc0", "cannot tell the text encoding: save the file as UTF-8"),
    # Two kanji and no kana: as likely Chinese (GB18030, Big5) as Japanese, so not guessed.
    ("外相".encode("shift_jis"), "cannot tell the text encoding: save the file as UTF-8"),
    ("外相".encode("euc_jp"), "cannot tell the text encoding: save the file as UTF-8"),
]


@pytest.mark.parametrize(("data", "problem"), BAD_BYTES)
def test_decode_rejects(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as error:
        decode(data, "dir/a.txt")
    assert (error.value.path, error.value.problem) == ("dir/a.txt", problem)
    assert str(error.value) == f"dir/a.txt: {problem}"


def test_decode_replaces_bad_bytes_after_a_bom() -> None:
    # A BOM is a promise; a few broken bytes after it are dropped later by clean_text.
    assert decode(b"\xef\xbb\xbf" + "外相".encode() + b"\xff", "a.txt") == "外相\ufffd"


# ── HTML: the article, not the page ────────────────────────────────────────────────────────

PAGE = """<!doctype html><html><head><title>ニュース</title><script>var x = "広告";</script></head>
<body><nav><a>ホーム</a><a>政治</a></nav>
<div class="share">シェアする</div>
<article><h1>外相が会談</h1><p>両外相は<b>協力</b>で合意した。<br>会談は一時間続いた。</p>
<aside>関連記事</aside></article>
<footer>著作権</footer></body></html>"""


def test_html_main_text_keeps_the_article_only() -> None:
    assert html_main_text(PAGE) == "外相が会談\n両外相は協力で合意した。\n会談は一時間続いた。"


def test_html_without_article_element_keeps_the_body() -> None:
    page = "<html><body><div id='menu'>メニュー</div><p>外相が会談した。</p><p>Hello</p></body></html>"
    assert html_main_text(page) == "外相が会談した。\nHello"


@pytest.mark.parametrize("page", ["<p>外相<", "<div><p>外相が</div>会談", "<<>>&&;外相", "<script>外相"])
def test_broken_html_is_read_as_far_as_it_goes(page: str) -> None:
    assert isinstance(html_main_text(page), str)


# ── clean_text: web noise out, Japanese lines in ───────────────────────────────────────────

CLEANING = [
    ("外相が会談した。", "外相が会談した。"),
    ("Breaking news\n外相が会談した。", "外相が会談した。"),                  # English-only line
    ("外相が会談した。https://example.com/a?b=1", "外相が会談した。"),         # URL
    ("📘外相が✅会談した。", "外相が 会談した。"),                              # pictographs
    ("外相が\x00会談\x1bした。\x07", "外相が会談した。"),                       # control characters: dropped, words stay whole
    ("テレスル 2026年2月4日\n外相が会談した。", "外相が会談した。"),           # outlet and date
    ("【翻訳チェック 鈴木頌】\n外相が会談した。", "外相が会談した。"),        # credit
    ("続きを読む\nシェアする\n外相が会談した。", "外相が会談した。"),          # furniture
    ("  外相が   会談した。  \n\n\n", "外相が 会談した。"),                   # spacing
    ("外相が会談した。\u2028首相も出席した。", "外相が会談した。\n首相も出席した。"),
    ("ｶﾞｲｼｮｳ", "ｶﾞｲｼｮｳ"),  # half-width katakana is Japanese
]


@pytest.mark.parametrize(("raw", "clean"), CLEANING)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_the_characters_never_tested_for_symbols_are_no_symbols() -> None:
    """Cleaning tests only the characters NEVER_SYMBOL leaves: none it skips, in all of Unicode,
    would be blanked or dropped (a line break stays a line break)."""
    skipped = (chr(c) for c in range(0x110000) if NEVER_SYMBOL.fullmatch(chr(c)))
    assert [ch for ch in skipped if _is_symbol(ch) and ch != "\n"] == []




def test_article_from_text() -> None:
    article = article_from_text("a.txt", "Menu\n外相が会談\n\n両外相は合意した。")
    assert (article.name, article.title, article.text) == ("a.txt", "外相が会談", "外相が会談\n両外相は合意した。")
    assert article.digest == hashlib.sha256(article.text.encode()).hexdigest()


@pytest.mark.parametrize("text", ["", "Only English.", "📘 ✅\n\x00", "https://example.jp/外相"])
def test_article_without_japanese(text: str) -> None:
    with pytest.raises(InputError, match=r"^a\.txt: no Japanese text found: vocab reads Japanese articles$"):
        article_from_text("a.txt", text)


# ── Finding and reading files ──────────────────────────────────────────────────────────────

def test_article_files_are_found_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "sub/c.html", "sub/z.HTM", "notes.py", "photo.png", "sub/data.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("外相")
    found = [p.relative_to(tmp_path).as_posix() for p in article_files(tmp_path)]
    assert found == ["a.md", "b.txt", "sub/c.html", "sub/z.HTM"]


def test_a_file_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    path = tmp_path / "article.dat"
    path.write_text("外相が会談した。", encoding="utf-8")
    assert article_files(path) == [path]
    assert read_article(path).text == "外相が会談した。"


def test_html_is_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(PAGE, encoding="utf-8")
    assert read_article(path).title == "外相が会談"


def test_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with path.open("wb") as file:
        file.write("外相".encode())
        file.truncate(MAX_ARTICLE_BYTES + 1)  # sparse: nothing to read, only the size matters
    with pytest.raises(InputError, match=r"file too large \(5 MB, limit 5 MB\): split it into articles$"):
        read_article(path)


def test_errors_name_the_path_not_the_label(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.txt"
    path.parent.mkdir()
    path.write_text("English only.")
    with pytest.raises(InputError) as error:
        read_article(path, "sub/a.txt")
    assert error.value.path == str(path)


def test_read_articles_skips_bad_files_and_keeps_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("English only.")
    read = read_articles([tmp_path])
    assert [a.name for a in read.articles] == ["a.txt"]
    assert [str(e) for e in read.skipped] == [
        f"{tmp_path / 'b.txt'}: empty file: add the article text or leave the file out",
        f"{tmp_path / 'c.txt'}: no Japanese text found: vocab reads Japanese articles",
    ]


def test_read_articles_raises_the_first_problem_when_nothing_is_left(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("English only.")
    with pytest.raises(InputError, match="b.txt: empty file"):
        read_articles([tmp_path])


def test_read_articles_from_standard_input() -> None:
    read = read_articles(["-"], stdin=SENTENCE.encode("shift_jis"))
    assert [(a.name, a.text) for a in read.articles] == [("<stdin>", SENTENCE)]


@pytest.mark.parametrize(("paths", "message"), [
    (["missing"], "missing: no such file or folder: check the path"),
    ([], "no articles given: pass files or folders (or - for standard input)"),
])
def test_read_articles_without_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        paths: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(VocabError) as error:
        read_articles(paths)
    assert str(error.value) == message
