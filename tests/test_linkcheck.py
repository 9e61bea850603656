"""The link checker itself must catch what it is there to catch."""

from pathlib import Path

from newsarchive.links import broken_links, find_broken_links


def test_reports_missing_pages_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a> <a href="b/">gone</a> <a href="a/#here">ok</a> <a href="a/#nope">bad</a>')
    (tmp_path / "a" / "index.html").write_text('<p id="here"></p><a href="../">up</a><a href="https://example.org/x">external</a>')
    assert broken_links(tmp_path) == [
        "index.html -> b/: no such file",
        "index.html -> a/#nope: no element with id 'nope'",
    ]


def test_reports_links_that_escape_the_sub_path(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="/elsewhere/">root</a> <a href="/sub/">home</a>')
    assert broken_links(tmp_path, mount="/sub/") == ["index.html -> /elsewhere/: leaves the site's sub-path /sub/"]


def test_checks_every_kind_of_link_a_page_can_hold(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"png")
    (tmp_path / "index.html").write_text(
        '<img src="a.png" srcset="a.png 1x, b.png 2x"><form action="search/"></form>'
        '<video poster="c.jpg"></video><area href="a.png">'
    )
    assert broken_links(tmp_path) == [
        "index.html -> b.png: no such file",
        "index.html -> search/: no such file",
        "index.html -> c.jpg: no such file",
    ]


def test_broken_links_know_the_page_url(tmp_path: Path) -> None:
    (tmp_path / "2022").mkdir()
    (tmp_path / "2022" / "index.html").write_text('<a href="../gone/">gone</a>')
    [broken] = find_broken_links(tmp_path)
    assert (broken.page, broken.page_url, broken.link, broken.reason) == ("2022/index.html", "/2022/", "../gone/", "no such file")
