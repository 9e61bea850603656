"""Front matter of every supported syntax, where an article's date and title come from, and the
template tags of other generators (formats/ fields, yaml_front, toml_front, pelican_front, post, foreign_tags)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.config import Config
from newsarchive.errors import SourceError
from newsarchive.formats import foreign_tags, html, markdown, yaml_front
from newsarchive.formats.foreign_tags import strip_markdown

UTC = Config()

# (as written, the article's day on a UTC site, the moment in UTC or None for a date-only value)
DATE_FORMS = [
    ("2021-03-04", "2021-03-04", None),
    ("2021-03-04 9:05:00 +0100", "2021-03-04", "2021-03-04T08:05:00+00:00"),
    ("2021-03-04 09:05:00 -0500", "2021-03-04", "2021-03-04T14:05:00+00:00"),
    ("2021-03-04 23:30:00 -0500", "2021-03-05", "2021-03-05T04:30:00+00:00"),
    ("2021-03-04 10:20", "2021-03-04", "2021-03-04T10:20:00+00:00"),
    ("2021-03-04T10:00:00Z", "2021-03-04", "2021-03-04T10:00:00+00:00"),
    ("2021-03-04T10:00:00.123Z", "2021-03-04", "2021-03-04T10:00:00.123000+00:00"),
    ("2021-03-04T10:00:00+04:00", "2021-03-04", "2021-03-04T06:00:00+00:00"),
    ("2021-03-04T01:00:00.5+04:00", "2021-03-03", "2021-03-03T21:00:00.500000+00:00"),
]


def _article(text: str, name: str = "post.md", config: Config = UTC):
    parse = html.parse if name.endswith(".html") else markdown.parse_mdx if name.endswith(".mdx") else markdown.parse
    return parse(text, f"seeds/{name}", config, name)


def _moment(parsed) -> tuple[str, str | None]:
    a = parsed.article
    return a.date.isoformat(), a.published.isoformat() if a.published else None


@pytest.mark.parametrize("written, day, moment", DATE_FORMS)
@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_yaml_dates_quoted_or_bare(written: str, day: str, moment: str | None, quote: str) -> None:
    parsed = _article(f"---\ntitle: T\ndate: {quote}{written}{quote}\n---\nBody.\n")
    assert _moment(parsed) == (day, moment)


@pytest.mark.parametrize("written, day, moment", DATE_FORMS)
def test_toml_dates_as_strings(written: str, day: str, moment: str | None) -> None:
    assert _moment(_article(f'+++\ntitle = "T"\ndate = "{written}"\n+++\nBody.\n')) == (day, moment)


@pytest.mark.parametrize(
    "bare, day, moment",
    [
        ("2021-03-04", "2021-03-04", None),
        ("2021-03-04T10:00:00Z", "2021-03-04", "2021-03-04T10:00:00+00:00"),
        ("2021-03-04T10:00:00.250-02:00", "2021-03-04", "2021-03-04T12:00:00.250000+00:00"),
        ("2021-03-04 10:00:00", "2021-03-04", "2021-03-04T10:00:00+00:00"),
    ],
)
def test_toml_native_dates(bare: str, day: str, moment: str | None) -> None:
    assert _moment(_article(f'+++\ntitle = "T"\ndate = {bare}\n+++\nBody.\n')) == (day, moment)


@pytest.mark.parametrize("written, day, moment", DATE_FORMS)
def test_pelican_dates(written: str, day: str, moment: str | None) -> None:
    assert _moment(_article(f"Title: T\nDate: {written}\n\nBody.\n")) == (day, moment)


def test_a_naive_time_is_read_in_the_site_zone() -> None:
    baku = Config(timezone="Asia/Baku")
    parsed = _article("---\ntitle: T\ndate: 2021-03-04 23:30\n---\nBody.\n", config=baku)
    assert parsed.article.published == dt.datetime(2021, 3, 4, 23, 30, tzinfo=baku.tzinfo)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("---\ntitle: T\n\ndate: 2021-13-04\n---\nB\n", 4, "bad date '2021-13-04': impossible date 2021-13-04"),
        ("---\ntitle: T\ndate: 04/03/2021\n---\nB\n", 3, "bad date '04/03/2021': expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS ±HHMM or an ISO 8601 date-time"),
        ("---\ntitle: T\ndate: 2021-03-04 25:00:00 +0100\n---\nB\n", 3, "bad date '2021-03-04 25:00:00 +0100': impossible time 25:00:00"),
        ("---\ntitle: T\npubDate: yesterday\n---\nB\n", 3, "bad pubDate 'yesterday': expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS ±HHMM or an ISO 8601 date-time"),
        ('+++\ntitle = "T"\n\n\ndate = "2021-02-30"\n+++\nB\n', 5, "bad date '2021-02-30': impossible date 2021-02-30"),
        ('+++\ntitle = "T"\ndate = 10:00:00\n+++\nB\n', 3, "date must be a date such as 2022-12-12, not time"),
        ("Title: T\nTags: a\nDate: 3 March 2010\n\nB\n", 3, "bad date '3 March 2010': expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS ±HHMM or an ISO 8601 date-time"),
        ("---\ntitle: T\ndate: 2021-03-04\nupdated: soon\n---\nB\n", 4, "bad updated 'soon': expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS ±HHMM or an ISO 8601 date-time"),
    ],
)
def test_a_date_that_does_not_parse_is_an_error_at_its_line_never_a_fallback(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        _article(text, name="2021-03-04-post.md")  # the file name's date must not be used instead
    assert (raised.value.problem.line, raised.value.problem.message) == (line, message)


def test_date_order_front_matter_then_file_name_then_path_then_folders() -> None:
    def day(text: str, name: str) -> str:
        return _article(text, name).article.date.isoformat()

    assert day("---\ndate: 2020-01-02\n---\n# T\n", "2019-05-06-x.md") == "2020-01-02"
    assert day("---\npubDate: 2020-01-03\n---\n# T\n", "x.md") == "2020-01-03"
    assert day("---\npublished: 2020-01-04\n---\n# T\n", "x.md") == "2020-01-04"
    assert day("---\nlayout: post\n---\n# T\n", "2019-05-06-x.md") == "2019-05-06"
    assert day("---\npermalink: /2018/07/08/x/\n---\n# T\n", "2017/01/02/x.md") == "2018-07-08"
    assert day("+++\npath = \"news/2018/07/09/x\"\n+++\n# T\n", "x.md") == "2018-07-09"
    assert day("# T\n", "2017/01/02/x.md") == "2017-01-02"
    assert day("# T\n", "2016-03-04-slug/index.md") == "2016-03-04"
    with pytest.raises(SourceError) as raised:
        _article("---\ntitle: T\n---\nB\n", "news/x.md")
    assert str(raised.value).startswith("seeds/news/x.md: no date: ")


def test_file_name_and_front_matter_disagree_front_matter_wins_and_says_so() -> None:
    parsed = _article("---\ntitle: T\n\ndate: 2021-03-05\n---\nB\n", "2021-03-04-t.md")
    assert parsed.article.date == dt.date(2021, 3, 5)
    assert [str(w) for w in parsed.warnings] == [
        "seeds/2021-03-04-t.md:4: warning: date 2021-03-05 differs from the file name's 2021-03-04; the front matter's date is used"
    ]
    same_day_elsewhere = _article("---\ntitle: T\ndate: 2021-03-04 23:30:00 -0500\n---\nB\n", "2021-03-04-t.md")
    assert same_day_elsewhere.warnings == ()  # written on the 4th, filed on the 5th in UTC: no disagreement


def test_blank_lines_before_the_front_matter_are_fine() -> None:
    assert _article("\n\n  \n---\ntitle: T\ndate: 2021-03-04\n---\nB\n").article.title == "T"
    assert _article('\n\n+++\ntitle = "T"\ndate = 2021-03-04\n+++\nB\n').article.title == "T"


@pytest.mark.parametrize(
    "text, message",
    [
        ("---\ntitle: T\ndate: 2021-03-04\nB\n", "YAML front matter is not closed by a '---' line"),
        ('+++\ntitle = "T"\n', "TOML front matter is not closed by a '+++' line"),
    ],
)
def test_unclosed_front_matter(text: str, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        _article(text)
    assert (raised.value.problem.line, raised.value.problem.message) == (1, message)


def test_toml_syntax_error_names_its_line() -> None:
    with pytest.raises(SourceError) as raised:
        _article('+++\ntitle = "T"\ndate = 2021-03-04\ntags = ["a",\n+++\nB\n')
    assert (raised.value.problem.line, raised.value.problem.message) == (4, "invalid TOML front matter: Invalid value")
    with pytest.raises(SourceError) as raised:
        _article('+++\ntitle = "T"\ndate 2021-03-04\n+++\nB\n')
    assert (raised.value.problem.line, raised.value.problem.message) == (3, "invalid TOML front matter: Expected '=' after a key in a key/value pair")


def test_titles_front_matter_then_first_heading_then_file_name() -> None:
    front = _article("---\ntitle: From front matter\ndate: 2021-03-04\n---\n# A heading\n\nB\n").article
    assert (front.title, "A heading" in front.body_html) == ("From front matter", True)
    heading = _article("---\ndate: 2021-03-04\n---\n\nMayor *speaks*\n=============\n\nB\n").article
    assert (heading.title, heading.body_html) == ("Mayor speaks", "<p>B</p>")  # the heading is not shown twice
    later = _article("---\ndate: 2021-03-04\n---\nIntro.\n\n## Later heading\n").article
    assert (later.title, "Later heading" in later.body_html) == ("Later heading", True)
    in_html = _article("---\ndate: 2021-03-04\n---\n<h2>From &amp; HTML</h2><p>B</p>", "x.html").article
    assert in_html.title == "From & HTML"
    parsed = _article("---\ndate: 2021-03-04\n---\nJust text.\n", "2021-03-04-quiet_news-day.md")
    assert parsed.article.title == "quiet news day"
    assert [w.message for w in parsed.warnings] == ["no title in the front matter and no heading; the file name is used: 'quiet news day'"]


def test_page_bundles_take_the_folder_name_as_slug() -> None:
    assert _article("---\ntitle: Long title\ndate: 2021-03-04\n---\nB\n", "posts/short-name/index.md").article.slug == "short-name"
    assert _article('+++\ntitle = "T"\n+++\nB\n', "2021-07-02_storm/index.md").article.slug == "storm"
    assert _article("---\ntitle: T\ndate: 2021-03-04\n---\nB\n", "posts/hello/index.fr.md").article.slug == "hello"
    assert _article("---\ntitle: T\ndate: 2021-03-04\nslug: own\n---\nB\n", "posts/x/index.md").article.slug == "own"
    assert _article("---\ntitle: Not a bundle\ndate: 2021-03-04\n---\nB\n", "index.md").article.slug == "not-a-bundle"


@pytest.mark.parametrize(
    "text, name",
    [
        ("---\ntitle: T\ndate: 2021-03-04\ndraft: true\n---\nB\n", "x.md"),
        ("---\ntitle: T\ndate: 2021-03-04\npublished: false\n---\nB\n", "x.md"),
        ('+++\ntitle = "T"\ndate = 2021-03-04\ndraft = true\n+++\nB\n', "x.md"),
        ("Title: T\nDate: 2021-03-04\nStatus: draft\n\nB\n", "x.md"),
        ("---\ntitle: T\n---\nB\n", "_drafts/2021-03-04-x.md"),
    ],
)
def test_drafts_of_every_generator(text: str, name: str) -> None:
    assert _article(text, name).article.draft is True


def test_status_is_pelican_s_only() -> None:
    wordpress_export = _article("---\ntitle: T\ndate: 2021-03-04\nstatus: publish\npublished: true\n---\nB\n")
    assert (wordpress_export.article.draft, wordpress_export.warnings) == (False, ())
    hidden = _article("Title: T\nDate: 2021-03-04\nStatus: hidden\n\nB\n")
    assert hidden.article.draft is False
    assert [str(w) for w in hidden.warnings] == ["seeds/post.md:3: warning: status 'hidden' has no equivalent here; the article is published and listed"]


def test_duplicate_keys_and_unknown_fields_are_warnings() -> None:
    parsed = _article("---\ntitle: One\ndate: 2021-03-04\ntitle: Two\nweather: sunny\nlayout: post\nextra:\n  mood: calm\n---\nB\n")
    assert parsed.article.title == "Two"
    assert dict(parsed.article.extra) == {"weather": "sunny", "layout": "post", "mood": "calm"}
    assert [str(w) for w in parsed.warnings] == [
        "seeds/post.md:4: warning: duplicate front matter key 'title' (first on line 2); the last one is used",
        "seeds/post.md:5: warning: unknown front matter field(s) 'weather': kept for templates as extra (put custom fields under 'extra:' to silence this)",
    ]


_VALID_YAML = [
    "title: One\ndate: 2021-03-04\ntitle: Two\n",
    'title: "Zürich 经济 \\u00e9"\ndate: 2021-03-04T09:30:00+04:00\ntags: [a, "b c", 3, true, null]\n',
    "base: &b {x: 1, y: [1, 2]}\nother: *b\nnested:\n  - a: 1\n    a: 2\n  - ~\nlong: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
    "# only a comment\n",
    "",
    "- a list\n- not a mapping\n",
    "number: 0x1F\nfloat: 1e3\nyes: yes\nstamp: 2001-12-14 21:59:43.10 -5\n",
]


@pytest.mark.parametrize("source", _VALID_YAML)
def test_libyaml_reads_valid_front_matter_as_the_pure_loader_does(source: str) -> None:
    assert yaml_front._FastLoader is not None, "PyYAML without libyaml: front matter is read ten times slower"
    fast, pure = yaml_front._load_fast(source), yaml_front._load(source, "x.md", 2)
    assert fast is not None
    assert (fast[1], fast[2]) == (pure[1], pure[2])  # values, keys written twice with their lines
    key_lines = [[(k.value, k.start_mark.line) for k, _ in loaded[0].value] if isinstance(loaded[0], yaml.MappingNode) else None for loaded in (fast, pure)]
    assert key_lines[0] == key_lines[1]


@pytest.mark.parametrize("source", ["a: [1, 2\n", "a: b: c\n", "a: 1\n---\nb: 2\n", "a: \"\\x\"\n", "a:\n\t- b\n"])
def test_what_libyaml_refuses_is_left_to_the_pure_loader(source: str) -> None:
    assert yaml_front._load_fast(source) is None
    with pytest.raises(SourceError):
        yaml_front._load(source, "x.md", 2)


def test_fields_under_each_generators_name() -> None:
    toml = _article(
        '+++\ntitle = "T"\ndate = 2021-03-04\nauthors = ["Ann", "Bob"]\ndescription = "Short."\n'
        'updated = 2021-03-05\n[taxonomies]\ntags = ["a", "b"]\n+++\nLong body.\n'
    ).article
    assert (toml.author, toml.summary, toml.tags, toml.updated.date()) == ("Ann, Bob", "Short.", ("a", "b"), dt.date(2021, 3, 5))
    jekyll = _article("---\ntitle: T\ndate: 2021-03-04\nauthor:\n  name: Cy\nexcerpt: Ex.\nlast_modified_at: 2021-03-06\n---\nB\n").article
    assert (jekyll.author, jekyll.summary, jekyll.updated.date()) == ("Cy", "Ex.", dt.date(2021, 3, 6))
    pelican = _article("Title: T\nDate: 2021-03-04\nAuthors: Di; Ed\nSummary: Sum\n    continued.\nModified: 2021-03-07\n\nB\n").article
    assert (pelican.author, pelican.summary, pelican.updated.date()) == ("Di, Ed", "Sum continued.", dt.date(2021, 3, 7))


def test_a_first_paragraph_that_looks_like_metadata_stays_text() -> None:
    parsed = _article("Note: the polls close at 8.\n\nBring a card.\n", "2021-03-04-notes.md")
    assert parsed.article.body_html == "<p>Note: the polls close at 8.</p>\n<p>Bring a card.</p>"
    run_on = _article("Title: not metadata\nbecause this line is prose.\n", "2021-03-04-x.md")
    assert "Title: not metadata" in run_on.article.body_html


# --- Other generators' template tags ------------------------------------------------------------


@pytest.mark.parametrize(
    "source, result",
    [
        ("A {{ page.title }} B", "A  B"),
        ("A {% include x.html %} B", "A  B"),
        ("{% if a %}kept{% endif %}", "kept"),
        ("{% comment %}gone\nalso gone{% endcomment %}after", "\nafter"),
        ("{# nunjucks #}after", "after"),
        ("{% raw %}{{ shown }}{% endraw %}", "{{ shown }}"),
        ("{{< note >}}kept{{< /note >}}", "kept"),
        ("{{% notice %}}kept{{% /notice %}}", "kept"),
        ("{{< figure src=\"a.jpg\" />}}", ""),
        ("{{</* figure */>}}", "{{< figure >}}"),
        ("{{%/* notice */%}}", "{{% notice %}}"),
        ("[the story]({% post_url 2021-01-01-x %})", "the story"),
        ("A `{{ code }}` B {{ x }}", "A `{{ code }}` B "),
        ("<pre>{{ x }}</pre> {{ y }}", "<pre>{{ x }}</pre> "),
        ("A {{ lone brace\n\nnext }} B", "A {{ lone brace\n\nnext }} B"),
        ("Plain {braces} and 50% and {#id} stay", "Plain {braces} and 50% and {#id} stay"),
    ],
)
def test_tags_are_removed_keeping_inner_text(source: str, result: str) -> None:
    assert strip_markdown(source).text == result


# Markdown's and the tags' own characters, so that tags and near misses ('{ {', '%}') are drawn often.
_NEAR_TAGS = st.text(alphabet="{}%#<>/*-`~ \n\tab1[]()", max_size=80)


@settings(max_examples=500, deadline=None)
@given(_NEAR_TAGS)
def test_the_shortcut_for_text_without_tags_agrees_with_the_full_search(text: str) -> None:
    """strip_markdown and strip_html return text without a tag opening at once, unsearched."""
    assert strip_markdown(text) == foreign_tags._strip_segments(text, mdx=False)
    counter = foreign_tags._Counter()
    full = foreign_tags._strip_prose(text, 1, False, counter)
    assert foreign_tags.strip_html(text) == foreign_tags.Stripped(full, counter.count, counter.first_line, counter.first_tag)


def test_code_blocks_are_left_as_written() -> None:
    source = "```\n{{ a }}\n{% b %}\n```\n\n~~~~\n{{< c >}}\n~~~~\n\n    {{ indented }}\n\nText {{ x }}.\n"
    stripped = strip_markdown(source)
    assert stripped.text == source.replace("Text {{ x }}.", "Text .")
    assert (stripped.count, stripped.first_line) == (1, 12)


def test_raw_markers_and_hugo_escapes_are_undone_inside_code() -> None:
    source = '```liquid\n{% raw %}\n{{ page.title }}\n{% endraw %}\n{{</* ref "x" */>}}\n```\n'
    assert strip_markdown(source).text == '```liquid\n{{ page.title }}\n{{< ref "x" >}}\n```\n'


def test_highlight_tags_become_fenced_code() -> None:
    source = 'A\n\n{% highlight ruby linenos %}\nx = "{{ y }}"\n\n    z\n{% endhighlight %}\n\n{{< highlight go "linenos=table" >}}\nfmt.Println()\n{{< /highlight >}}\n'
    assert strip_markdown(source).text == 'A\n\n```ruby\nx = "{{ y }}"\n\n    z\n```\n\n```go\nfmt.Println()\n```\n'


def test_list_continuations_are_not_code() -> None:
    source = "- item\n\n    more of the item {{ x }}\n"
    assert strip_markdown(source).text == "- item\n\n    more of the item \n"


def test_mdx_imports_exports_and_components() -> None:
    source = (
        "import A from './a'\nimport {\n  B,\n} from 'b'\nexport const meta = {\n  x: 1,\n}\n\n"
        "In {year}. {/* note */}\n\n<Note kind=\"tip\">\nInner *text*.\n</Note>\n\n<Chart data={[1, 2]} />\n<>frag</>\n\n"
        "```jsx\nimport X from 'x'\n<Chart />\n```\n"
    )
    stripped = strip_markdown(source, mdx=True)
    assert stripped.text == (
        "\n\n\n\n\n\n\n\nIn . \n\n\nInner *text*.\n\n\n\nfrag\n\n```jsx\nimport X from 'x'\n<Chart />\n```\n"
    )
    assert (stripped.count, stripped.first_line) == (10, 1)
    assert strip_markdown("import this as prose\n<Chart />\n").text == "import this as prose\n<Chart />\n"  # only .mdx


def test_line_count_is_kept_so_later_lines_stay_right() -> None:
    source = "a\n{% comment %}\nx\n{% endcomment %}\n{{< note >}}\nb\n{{< /note >}}\n{{ z }}\n"
    stripped = strip_markdown(source)
    assert stripped.text.count("\n") == source.count("\n")
    assert (stripped.count, stripped.first_line, stripped.first_tag) == (4, 2, "{% comment %}")


def test_one_warning_per_file_at_the_first_tag() -> None:
    parsed = _article("---\ntitle: T\ndate: 2021-03-04\n---\nClean line.\n\nA {{ x }} and {% y %}\n\n{{< z >}}\n")
    assert [str(w) for w in parsed.warnings] == [
        "seeds/post.md:7: warning: 3 template tag(s) of another generator removed, not run; any text they wrapped is kept (first: '{{ x }}')"
    ]
    assert _article("---\ntitle: T\ndate: 2021-03-04\n---\nNo tags at all.\n").warnings == ()


def test_html_posts_are_sanitized_and_keep_pre_blocks() -> None:
    article = _article(
        '---\ntitle: T\ndate: 2021-03-04\n---\n<p onclick="x()">Hi {{ name }}</p><script>alert(1)</script>'
        "<pre>{{ kept }}</pre><iframe src=\"https://e.org\"></iframe>",
        "x.html",
    ).article
    assert article.body_html == "<p>Hi </p><pre>{{ kept }}</pre>"
    assert article.word_count == 4  # Hi {{ kept }}


def test_a_literal_old_address_becomes_a_redirect_and_a_pattern_does_not() -> None:
    def old(front: str, name: str = "x.md") -> tuple[tuple[str, ...], list[str]]:
        parsed = _article(f"---\ntitle: Budget\ndate: 2021-03-04\n{front}\n---\nB\n", name)
        return parsed.article.redirect_from, [w.message for w in parsed.warnings]

    assert old("permalink: /news/budget/") == (("/news/budget/",), [])
    assert old("url: /old/budget.html\nredirect_from: /news/budget/") == (("/news/budget/", "/old/budget.html"), [])
    assert old("path: news/budget") == (("/news/budget/",), [])
    assert old("permalink: /news/:year/:title/") == ((), [])
    assert old('permalink: "/blog/{{ page.fileSlug }}/"') == ((), [])
    assert old("permalink: false") == ((), [])
    assert old("permalink: /2021/03/04/budget/") == ((), [])  # already the article's URL here
    assert old("permalink: /feed.xml") == ((), ["permalink '/feed.xml' ends in '.xml': only a folder or an .html page can redirect on a static host; no redirect is made"])


def test_mdx_keeps_html_and_never_eats_past_a_blank_line() -> None:
    source = "import duties rose\n\nText <b>bold</b> <Chip /> stays.\n"
    assert strip_markdown(source, mdx=True).text == "\n\nText <b>bold</b>  stays.\n"
