"""Related articles: TF-IDF similarity over headline and body, at most five, deterministic."""

from __future__ import annotations

import datetime as dt
import os
import random

import pytest

from conftest import text_article
from newsarchive.links import broken_links
from newsarchive import parallel, related
from newsarchive.model import Article

TOPICS = {
    "gas": "pipeline gas export volume compressor terminal caspian shipment tanker",
    "football": "match striker goal league penalty stadium coach referee",
    "harvest": "wheat harvest farmers grain tonnes drought irrigation cotton",
}
FILLER = "people city government report country week today monday officials government region".split()


def art(index: int, title: str, body: str) -> Article:
    return Article(source_path=f"seeds/{index:03d}.txt", slug=f"a{index}", date=dt.date(2022, 1, 1) + dt.timedelta(days=index),
                   title=title, body_html=f"<p>{body}</p>", summary="")  # fmt: skip


def corpus() -> tuple[list[Article], list[str]]:
    rng = random.Random(3)
    articles, labels = [], []
    for index in range(60):
        topic = list(TOPICS)[index % 3]
        words = TOPICS[topic].split()
        body = " ".join(rng.choice(words) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(80))
        articles.append(art(index, f"{rng.choice(words).title()} news {index}", body))
        labels.append(topic)
    return articles, labels


def test_related_articles_share_the_topic_and_never_include_the_article_itself() -> None:
    articles, labels = corpus()
    found = related.related_indexes(articles)
    assert len(found) == len(articles)
    for index, others in enumerate(found):
        assert len(others) == related.RELATED_COUNT
        assert index not in others and len(set(others)) == len(others)
        assert all(labels[other] == labels[index] for other in others), (index, others)


def test_same_articles_same_result() -> None:
    articles, _ = corpus()
    assert related.related_indexes(articles) == related.related_indexes(list(articles))


def test_the_result_does_not_depend_on_the_number_of_processes() -> None:
    articles, _ = corpus()  # 60 articles: four chunks of work, so two processes share them
    assert related.related_indexes(articles, jobs=2) == related.related_indexes(articles, jobs=1)


def test_words_counted_in_workers_give_the_same_result() -> None:
    # Chunks of three articles: each chunk's words get their own ids, which are mapped to the
    # build's; the lists must be those counted in one piece.
    articles, _ = corpus()
    with parallel.Workers(_unused, None, jobs=2, largest=3) as workers:
        in_workers = related.related_indexes(articles, jobs=2, workers=workers)
    assert in_workers == related.related_indexes(articles, jobs=1)


def _unused(state: None, chunk: list) -> list:
    raise AssertionError("the workers' own function is not what counts words")


def test_counts_kept_from_an_earlier_count_give_the_same_result_and_only_the_others_are_counted(monkeypatch) -> None:
    articles, _ = corpus()
    kept: list[tuple] = []
    first = related.related_indexes(articles, keep=lambda *found: kept.append(found))
    bags, vectors, weighed = kept.pop()
    assert len(bags) == len(vectors) == weighed[0] == len(articles)
    edited = list(articles)
    edited[7] = art(7, "Harvest news 7", "wheat grain tonnes " * 20)
    counted: list[int] = []
    count_terms = related._count_terms
    monkeypatch.setattr(related, "_count_terms", lambda pairs: counted.append(len(pairs)) or count_terms(pairs))
    known = [None if index == 7 else bag for index, bag in enumerate(bags)]
    again = related.related_indexes(edited, known=known)
    assert counted == [1], "only the edited article is read and counted"
    monkeypatch.setattr(related, "_count_terms", count_terms)
    assert again == related.related_indexes(edited), "the same lists as counting every article"
    assert again != first, "the edit moved article 7 to another topic"


@pytest.mark.parametrize("added", ["zeppelin", "wheat"], ids=["a new word", "a word of another topic"])
def test_vectors_kept_from_an_earlier_weighing_are_reused_only_where_no_word_s_use_changed(added: str) -> None:
    articles, _ = corpus()
    kept: list[tuple] = []
    related.related_indexes(articles, keep=lambda *found: kept.append(found))
    bags, vectors, weighed = kept.pop()
    edited = list(articles)
    edited[7] = art(7, articles[7].title, articles[7].body_html[3:-4] + " " + added)
    earlier = ([None if index == 7 else vector for index, vector in enumerate(vectors)], weighed)
    known = [None if index == 7 else bag for index, bag in enumerate(bags)]
    again = related.related_indexes(edited, known=known, earlier=earlier, keep=lambda *found: kept.append(found))
    assert again == related.related_indexes(edited), "the same lists as weighing every article again"
    new_bags, new_vectors, new_weighed = kept.pop()
    changed = {term for term, df in new_weighed[1].items() if weighed[1].get(term) != df}
    reused = {index for index, vector in enumerate(new_vectors) if vector is vectors[index]}
    unaffected = {index for index in range(len(edited)) if index != 7 and changed.isdisjoint(new_bags[index][0])}
    assert reused == unaffected, "kept exactly where no term's document frequency changed"
    assert (len(reused) == len(edited) - 1) == (added == "zeppelin"), "a new word changes no other article's weights"


def test_term_ids_are_the_same_in_every_process_whatever_python_s_hash_seed() -> None:
    import subprocess
    import sys

    script = "from newsarchive import related; print(related._term_id('harbour'), related._term_id('the'))"
    ids = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
           for seed in ("1", "2", "random")}  # fmt: skip
    assert len(ids) == 1 and ids.pop().split() == [str(related._term_id("harbour")), "0"], "kept counts mean the same words in the next build"


def test_nothing_in_common_means_nothing_related() -> None:
    articles = [art(0, "Alpha", "zebra giraffe"), art(1, "Beta", "volcano glacier"), art(2, "Gamma", "violin trumpet")]
    assert related.related_indexes(articles) == [(), (), ()]
    assert related.related_indexes([]) == []


def test_best_match_first() -> None:
    articles = [art(0, "Caspian pipeline", "pipeline gas caspian tanker"), art(1, "Other", "pipeline gas caspian tanker"),
                art(2, "Third", "pipeline weather"), art(3, "Fourth", "weather rain"), art(4, "Fifth", "volcano"),
                art(5, "Sixth", "glacier")]  # fmt: skip
    assert related.related_indexes(articles)[0] == (1, 2)


def test_words_come_from_headline_and_the_start_of_the_body() -> None:
    body = "<p>The drought &amp; heat hit 2022 wheat_fields farmers.</p>" + "<p>" + "filler " * 400 + "tailword</p>"
    words = related.article_words(art(0, "Harvest falls", body))
    assert words["harvest"] == related.HEADLINE_WEIGHT and words["drought"] == 1
    assert "amp" not in words  # entities are decoded before words are counted
    assert [w for w in words if related.is_term(w)] == ["harvest", "falls", "drought", "heat", "hit", "farmers", "filler"]
    assert "tailword" not in words  # past CHARS_READ


def test_article_page_lists_related_articles(site) -> None:
    site.add("a.txt", text_article("2022-03-01", "Caspian pipeline ships record gas", "The Caspian pipeline shipped record gas volumes to the terminal."))
    site.add("b.txt", text_article("2022-03-02", "Gas terminal expands", "The terminal on the Caspian takes more pipeline gas."))
    site.add("c.txt", text_article("2022-03-03", "Striker scores twice", "The striker scored twice in the league match."))
    site.build()
    page = site.page("/2022/03/01/caspian-pipeline-ships-record-gas/")
    assert '<h2 id="related-heading">Related articles</h2>' in page
    assert '<a href="../../02/gas-terminal-expands/">Gas terminal expands</a>' in page
    assert "Striker scores twice</a> <span" not in page
    assert "Related articles" not in site.page("/2022/03/03/striker-scores-twice/")
    assert broken_links(site.dist) == []
