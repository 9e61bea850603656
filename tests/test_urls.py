import datetime as dt
import posixpath

from hypothesis import example, given, strategies as st

from newsarchive import urls


@given(st.text())
def test_slugs_are_always_safe_path_segments(text: str) -> None:
    slug = urls.slugify(text)
    assert urls.is_safe_slug(slug)
    assert "/" not in slug and ".." not in slug and slug not in ("", ".")


def test_slugs_transliterate_any_script() -> None:
    assert urls.slugify("Azərbaycan Respublikası") == "azerbaycan-respublikasi"
    assert urls.slugify("Москва и Баку") == "moskva-i-baku"
    assert urls.slugify("北京") == "beijing"
    assert urls.slugify("../../etc/passwd") == "etc-passwd"
    assert urls.slugify("!!!") == "article"


def test_long_slugs_are_cut_at_a_word() -> None:
    slug = urls.slugify("word " * 40)
    assert len(slug) <= urls.SLUG_MAX_LENGTH and slug.endswith("word")


def test_date_urls() -> None:
    day = dt.date(2022, 12, 2)
    assert urls.day_url(day) == "/2022/12/02/"
    assert urls.month_url(2022, 3) == "/2022/03/"
    assert urls.home_url(1) == "/" and urls.home_url(3) == "/page/3/"
    assert urls.tag_url("Foreign Policy", 2) == "/tags/foreign-policy/page/2/"
    assert urls.output_path("/2022/") == "2022/index.html"
    assert urls.output_path("/404.html") == "404.html"


page_urls = st.lists(st.sampled_from(["2022", "12", "tags", "a-b", "page"]), max_size=4).map(lambda parts: "/" + "".join(p + "/" for p in parts))


@given(page_urls, page_urls)
def test_relative_links_resolve_to_their_target(target: str, current: str) -> None:
    link = urls.relative(target, current)
    assert not link.startswith("/")
    resolved = posixpath.normpath(posixpath.join(current, link))
    assert resolved.rstrip("/") == target.rstrip("/") or (resolved == "/" and target == "/")


# Segments that clean URLs hold, and ones they never do ('', '.', '..', dot-files) that must still
# give the links posixpath.relpath gives.
_segments = st.sampled_from(["2022", "12", "tags", "a-b", "page", "404.html", "style.css", "a.b", ".well-known", "", ".", ".."])
_clean_segments = st.sampled_from(["2022", "12", "tags", "a-b", "page", "404.html", "style.css", "a.b"])


def _url(segments: st.SearchStrategy[str], lead: tuple[str, ...] = ("/",), fragments: tuple[str, ...] = ("", "#top", "#a/b")) -> st.SearchStrategy[str]:
    return st.builds(lambda first, parts, last, fragment: first + "/".join(parts) + last + fragment,
                     st.sampled_from(lead), st.lists(segments, max_size=5), st.sampled_from(["", "/"]),
                     st.sampled_from(fragments))  # fmt: skip


@given(_url(_segments, ("/", "//", "", "#", "https://x.org/"), ("", "#top", "#/../x")), _url(_segments, ("/", "//", "")))
@example("/2022/12", "/2022/12/02/")  # a target naming one of the page's folders without its slash
@example("/2022", "/2022/page.html")
def test_relative_links_equal_the_relpath_ones(target: str, current: str) -> None:
    """The segment-wise `relative` gives what the posixpath.relpath-based one gives, for any pair."""
    current = current.partition("#")[0] or "/"
    assert urls.relative(target, current) == urls._relative_general(target, current)


@given(_url(_clean_segments), _url(_clean_segments))
def test_relative_links_of_clean_urls_equal_the_relpath_ones(target: str, current: str) -> None:
    """The URLs urls.py makes (no '.' or '..' segments) all take the segment-wise path."""
    current = current.partition("#")[0]
    assert "/." not in target + current
    assert urls.relative(target, current) == urls._relative_general(target, current)


@given(_url(_segments, ("/", "//", "")), st.lists(_url(_segments, ("/", "//", "", "#"), ("", "#top", "#/../x")), max_size=8))
def test_links_from_one_page_equal_the_relpath_ones(current: str, targets: list[str]) -> None:
    """One page's link maker keeps giving the right link for each target, asked once or again."""
    current = current.partition("#")[0] or "/"
    link = urls.links_from(current)
    assert [link(target) for target in targets * 2] == [urls._relative_general(target, current) for target in targets * 2]
