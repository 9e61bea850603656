"""The benchmark's corpus (bench/corpus.py) gives the build what a real archive gives it.

Its first version used 60 words in all: every word was in most articles, so no article had a
related list and four sessions of benchmarks measured a site without them.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from newsarchive import related
from newsarchive.model import Article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import corpus  # noqa: E402


def test_most_generated_articles_have_a_full_related_list() -> None:
    stories = list(itertools.islice(corpus.stories(1000), 400))
    articles = [Article(source_path=f"seeds/{s.number}.txt", slug=f"a{s.number}", date=s.date, title=s.title,
                        body_html="".join(f"<p>{p}</p>" for p in s.paragraphs), summary="") for s in stories]  # fmt: skip
    found = related.related_indexes(articles)
    full = sum(len(others) == related.RELATED_COUNT for others in found)
    assert full >= 0.9 * len(articles), f"only {full} of {len(articles)} articles have {related.RELATED_COUNT} related articles"


def test_the_corpus_is_the_same_every_time() -> None:
    first = [(s.date, s.title, s.paragraphs[0]) for s in itertools.islice(corpus.stories(500), 20)]
    again = [(s.date, s.title, s.paragraphs[0]) for s in itertools.islice(corpus.stories(500), 20)]
    assert first == again, "the corpus depends only on its seed"


def test_the_lede_edit_changes_each_format_s_summary_and_is_undone_by_the_next(tmp_path: Path) -> None:
    import run  # bench/run.py

    numbers = range(10, 13)  # story 10 is written as Markdown, 11 and 12 as text
    corpus.write_corpus(100, tmp_path, only=numbers)
    first_paragraphs = run.ledes(100, numbers)
    assert set(first_paragraphs) == set(numbers)
    for name, folder in (("newsarchive", "newsarchive/seeds"), ("hugo", "hugo/content/posts"), ("pelican", "pelican/content")):
        for number in numbers:
            path = next((tmp_path / folder).rglob(f"{number:07d}.*"))
            written = path.read_text(encoding="utf-8")
            run.rewrite_lede(path, first_paragraphs[number])
            edited = path.read_text(encoding="utf-8")
            assert edited == written.replace(first_paragraphs[number], run.LEDE + first_paragraphs[number], 1), name
            run.rewrite_lede(path, first_paragraphs[number])
            assert path.read_text(encoding="utf-8") == written, f"{name}: undone"


def test_the_benchmark_stops_before_its_builds_would_fill_the_disk(tmp_path: Path) -> None:
    """A 10^6 run once filled the disk in its second full build and lost every figure."""
    import shutil

    import pytest

    import run

    run.check_disk(1000, 3, tmp_path)  # 75 MB: this machine has that
    free = shutil.disk_usage(tmp_path).free  # twice as many articles as fit: space freed meanwhile cannot make room
    with pytest.raises(SystemExit, match="need about"):
        run.check_disk(2 * (free // run.DISK_PER_ARTICLE) + 1, 1, tmp_path)
