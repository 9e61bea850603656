"""Related articles: TF-IDF similarity over headline and body, at most five, deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import random
import string
from collections import Counter

import pytest

from conftest import text_article
from newsarchive.links import broken_links
from newsarchive import parallel, related, terms
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


def digests(articles: list[Article]) -> list[str]:
    """Each article's digest of its text read, as the loader gives it."""
    return [hashlib.blake2b(terms.text_read(a.title, a.body_html).encode(), digest_size=16).hexdigest() for a in articles]


class Kept:
    """What a build keeps of one computation for the next (layout._Kept, without the files: each
    is pickled and loaded again, as the build cache stores it)."""

    def __init__(self) -> None:
        self.bags: dict[str, terms.Bag] = {}
        self.last: related.Scored | None = None

    def keep_bags(self, digests: list[str], bags: list[terms.Bag]) -> None:
        self.bags = terms.unpack_bags(pickle.loads(pickle.dumps(terms.pack_bags(dict(zip(digests, bags))))))

    def keep(self, scored: related.Scored) -> None:
        self.last = pickle.loads(pickle.dumps(scored))

    def find(self, articles: list[Article], **options) -> list[tuple[int, ...]]:
        """The lists, computed from what was kept; keeps this computation in its place."""
        return related.related_indexes(articles, digests=digests(articles), stored=self.bags, last=self.last,
                                       keep_bags=self.keep_bags, keep=self.keep, **options)  # fmt: skip


def renewed_by(monkeypatch) -> list[list[int]]:
    """Per computation from now on, the articles whose vector was not taken as it was at its place."""
    calls: list[list[int]] = []
    vectors = related._vectors
    monkeypatch.setattr(related, "_vectors", lambda *args: (found := vectors(*args)) and calls.append(found[1]) or found)
    return calls


def edited_copy(articles: list[Article], index: int, added: str) -> list[Article]:
    edited = list(articles)
    edited[index] = art(index, articles[index].title, articles[index].body_html[3:-4] + " " + added)
    return edited


def test_counts_kept_from_an_earlier_count_give_the_same_result_and_only_the_others_are_counted(monkeypatch) -> None:
    articles, _ = corpus()
    kept = Kept()
    first = kept.find(articles)
    assert first == related.related_indexes(articles)
    assert set(kept.bags) == set(digests(articles)) and len(kept.last.vectors) == len(articles)
    edited = list(articles)
    edited[7] = art(7, "Harvest news 7", "wheat grain tonnes " * 20)
    counted: list[int] = []
    count_terms = terms.count_terms
    monkeypatch.setattr(terms, "count_terms", lambda pairs: counted.append(len(pairs)) or count_terms(pairs))
    kept.last = None  # counts alone
    again = kept.find(edited)
    assert counted == [1], "only the edited article is read and counted"
    monkeypatch.setattr(terms, "count_terms", count_terms)
    assert again == related.related_indexes(edited), "the same lists as counting every article"
    assert again != first, "the edit moved article 7 to another topic"


@pytest.mark.parametrize("added", ["zeppelin", "wheat"], ids=["a new word", "a word of another topic"])
def test_vectors_kept_from_an_earlier_weighing_are_reused_only_where_weighing_again_gives_the_same(added: str, monkeypatch) -> None:
    articles, _ = corpus()
    kept = Kept()
    kept.find(articles)
    before = kept.last
    edited = edited_copy(articles, 7, added)
    renewed = renewed_by(monkeypatch)
    assert kept.find(edited) == related.related_indexes(edited), "the same lists as weighing every article again"
    changed = {term for term, df in kept.last.frequency.items() if before.frequency.get(term) != df}
    reused = set(range(len(edited))) - set(renewed[0])
    bags = [kept.bags[digest] for digest in digests(edited)]
    unaffected = {index for index in range(len(edited)) if index != 7 and changed.isdisjoint(bags[index][0])}
    assert reused >= unaffected, "kept wherever no term's document frequency changed"
    fresh = related._vectors(bags, kept.last.frequency)[0]
    assert all(fresh[index] == before.vectors[index] for index in reused), "and only where weighing again gives the same"
    if added == "zeppelin":
        assert len(reused) == len(edited) - 1, "a new word changes no other article's weights"
    else:
        assert len(reused) < len(edited) - 1, "a word among some articles' strongest: those are weighed again"


def test_the_search_for_changed_terms_finds_exactly_the_articles_a_set_finds() -> None:
    from array import array
    term = 0x0102030405060708
    # Two terms whose bytes, side by side, hold the wanted term's eight: not a match.
    straddling = array("q", [int.from_bytes(b"\0\0\0\0" + array("q", [term]).tobytes()[:4], "little", signed=True),
                             int.from_bytes(array("q", [term]).tobytes()[4:] + b"\0\0\0\0", "little", signed=True)])  # fmt: skip
    assert straddling.tobytes().find(array("q", [term]).tobytes()) == 4
    article = lambda terms: array("q", terms)  # noqa: E731
    assert related._holders([article(straddling)], {term, -5}) == set()
    # Nor do the last term of one article and the first of the next.
    assert related._holders([article([0, straddling[0]]), article([straddling[1], 9])], {term, -5}) == set()
    assert related._holders([article([1]), article([*straddling, term]), article([7, -5]), article([])], {term, -5}) == {1, 2}
    rng = random.Random(5)
    vocabulary = [rng.getrandbits(64) - 2**63 for _ in range(300)]
    articles = [article(rng.sample(vocabulary, rng.randint(0, 60))) for _ in range(2 * related._JOINED + 100)]
    for size in (1, 3, related._SEARCHED, related._SEARCHED + 1, 40):
        wanted = set(rng.sample(vocabulary, size))
        assert related._holders(articles, wanted) == {index for index, terms in enumerate(articles) if not wanted.isdisjoint(terms)}


def test_a_word_too_weak_to_be_kept_leaves_the_vectors_of_the_articles_using_it_as_they_were(monkeypatch) -> None:
    # Three topics of twenty words, each used three times: every article keeps TERMS_KEPT of
    # them. "lantern", once in articles 0 to 5, weighs less than any of those.
    topics = [[f"{name}{a}{b}" for a in "pqrst" for b in "xyzw"] for name in ("harbour", "orchard", "foundry")]
    def article(index: int, lantern: bool) -> Article:
        words = [word for word in topics[index % 3] for _ in range(3)] + ["lantern"] * lantern
        return art(index, f"News {index}", " ".join(words))
    articles = [article(index, index < 6) for index in range(30)]
    kept = Kept()
    kept.find(articles)
    before = kept.last
    lantern = terms.term_id("lantern")
    assert all(len(before.vectors[i][0]) == related.TERMS_KEPT and lantern not in before.vectors[i][0] for i in range(6))
    edited = list(articles)
    edited[7] = article(7, True)  # one more article uses it
    renewed = renewed_by(monkeypatch)
    assert kept.find(edited) == related.related_indexes(edited)
    assert kept.last.frequency[lantern] == before.frequency[lantern] + 1
    assert renewed[0] == [7], "no vector but the edited one's weighed again"
    bags = [kept.bags[digest] for digest in digests(edited)]
    assert kept.last.vectors == related._vectors(bags, kept.last.frequency)[0]


def test_only_the_lists_whose_inputs_changed_are_scored_again(monkeypatch) -> None:
    articles, _ = corpus()
    kept = Kept()
    kept.find(articles)
    before = kept.last
    scored: list[int] = []
    scores = related._scores
    monkeypatch.setattr(related, "_scores", lambda state, indexes: scored.extend(indexes) or scores(state, indexes))
    plans = []
    to_score = related._to_score
    monkeypatch.setattr(related, "_to_score", lambda *args: plans.append(plan := to_score(*args)) or plan)
    edited = edited_copy(articles, 7, "zeppelin wheat")
    again = kept.find(edited, jobs=2)
    changed = {index for index, vector in enumerate(kept.last.vectors) if vector != before.vectors[index]}
    now, then = related._postings(kept.last.vectors), related._postings(before.vectors)
    moved = {term for term in set(now) | set(then) if now.get(term) != then.get(term)}
    expected = changed | {index for index, (terms, _) in enumerate(kept.last.vectors) if not moved.isdisjoint(terms)}
    assert 7 in changed and plans[0].again == sorted(expected) and len(expected) < len(articles)
    assert changed <= set(scored) < set(expected), "an article whose vector changed is scored again; of the others, only some"
    assert again == related.related_indexes(edited)
    scored.clear()
    assert kept.find(edited) == again and scored == [], "nothing changed: nothing scored"


def harbour_corpus() -> tuple[list[Article], list[str]]:
    """300 articles, each with three words of its own; the first 120 also use "harbour", from one
    to seven times, so that each keeps it, with weights that differ."""
    rng = random.Random(5)
    words = ["".join(rng.choice("aeiou") + rng.choice("bdgklmnprstvz") for _ in range(3)) for _ in range(420)]
    articles = [art(i, f"Story {words[i]}", " ".join(["harbour"] * (1 + i % 7) * (i < 120) + [words[i], words[i + 1], words[i + 2]] * 2))
                for i in range(300)]  # fmt: skip
    return articles, words


def test_a_common_term_whose_postings_did_not_move_sends_no_list_to_be_scored_again(monkeypatch) -> None:
    # 120 of 300 articles keep "harbour"; the edited one weighs it least, so it is not among the
    # term's POSTINGS_KEPT strongest, before or after the edit.
    articles, words = harbour_corpus()
    kept = Kept()
    kept.find(articles)
    harbour = terms.term_id("harbour")
    assert all(harbour in kept.last.vectors[i][0] for i in range(120))
    weakest = min(range(120), key=lambda i: dict(zip(*kept.last.vectors[i]))[harbour])
    assert weakest not in related._postings(kept.last.vectors)[harbour][0]
    scored: list[int] = []
    scores = related._scores
    monkeypatch.setattr(related, "_scores", lambda state, indexes: scored.extend(indexes) or scores(state, indexes))
    edited = list(articles)
    edited[weakest] = art(weakest, articles[weakest].title, articles[weakest].body_html[3:-4] + f" {words[200]} {words[200]}")
    found = kept.find(edited)
    assert weakest in scored and len(scored) < 20, "not the 120 articles that keep the term"
    assert found == related.related_indexes(edited)


def test_a_common_term_dropped_by_one_of_its_strongest_articles_takes_in_the_next_strongest(monkeypatch) -> None:
    # As above, 120 of 300 articles keep "harbour"; its postings hold the strongest POSTINGS_KEPT.
    # The strongest drops the word and another article takes it up, so that as many articles use
    # it and no other article's weights change: the next strongest, an article no posting named
    # and no edit touched, enters them.
    articles, words = harbour_corpus()
    kept = Kept()
    kept.find(articles)
    harbour = terms.term_id("harbour")
    listed = set(kept.last.postings.get(harbour)[0])
    assert len(listed) == related.POSTINGS_KEPT < sum(harbour in terms for terms, _ in kept.last.vectors)
    strongest = kept.last.postings.get(harbour)[0][0]
    edited = list(articles)
    edited[strongest] = art(strongest, articles[strongest].title, " ".join([words[strongest], words[strongest + 1], words[strongest + 2]] * 2))
    edited[200] = art(200, articles[200].title, articles[200].body_html[3:-4] + " harbour")
    renewed = renewed_by(monkeypatch)
    found = kept.find(edited)
    assert sorted(renewed[0]) == sorted({strongest, 200}), "no other article is weighed again"
    fresh = related._postings(kept.last.vectors)[harbour]
    assert kept.last.postings.get(harbour) == fresh and not set(fresh[0]) <= listed, "an article not named before is"
    assert found == related.related_indexes(edited)


def rich_corpus(rng: random.Random) -> tuple[list[Article], list[str]]:
    """Articles of thirty-odd words each, drawn unevenly from a larger vocabulary: each keeps
    TERMS_KEPT terms, and many of the words it uses weigh about as much as the weakest of them."""
    vocabulary = ["".join(rng.choice("aeiou") + rng.choice("bdgklmnprstvz") for _ in range(3)) for _ in range(150)]
    articles = []
    for index in range(60):
        words = [vocabulary[min(149, int(rng.expovariate(0.05)) + 40 * (index % 3))] for _ in range(rng.randint(30, 70))]
        articles.append(art(index, " ".join(words[:3]).title(), " ".join(words)))
    return articles, vocabulary


@pytest.mark.parametrize("kind", ["topics", "rich"])
def test_any_sequence_of_edits_gives_what_a_computation_from_nothing_gives(kind: str) -> None:
    rng = random.Random(11)
    if kind == "topics":
        articles, _ = corpus()
        words = " ".join(TOPICS.values()).split() + FILLER + ["zeppelin", "quasar", "lantern"]
    else:
        articles, words = rich_corpus(rng)
        assert sum(len(vector) == related.TERMS_KEPT for vector, _ in related._vectors(*terms.term_counts(articles, None)[:2])[0]) > 40
    kept = Kept()
    for step in range(60):
        action = rng.choice(["edit", "edit", "rewrite", "rewrite", "headline", "swap", "add", "remove", "same", "copy"])
        index = rng.randrange(len(articles))
        # A word of no other article: rewriting or removing its article later drops the term.
        unique = "".join(rng.choice(string.ascii_lowercase) for _ in range(9))
        if action == "rewrite":
            articles[index] = art(index, articles[index].title, " ".join([unique, *(rng.choice(words) for _ in range(30))]))
        elif action == "edit":
            articles = edited_copy(articles, index, " ".join(rng.choice(words) for _ in range(rng.randint(1, 12))))
        elif action == "headline":
            articles[index] = art(index, f"{rng.choice(words).title()} {rng.choice(words)}", articles[index].body_html[3:-4])
        elif action == "swap":
            other = rng.randrange(len(articles))
            articles[index], articles[other] = articles[other], articles[index]
        elif action == "add":
            articles.insert(index, art(100 + step, rng.choice(words).title(), " ".join([unique, *(rng.choice(words) for _ in range(40))])))
        elif action == "remove" and len(articles) > 10:
            del articles[index]
        elif action == "copy":  # the same text twice: its candidates' scores tie
            articles[index] = art(index, articles[index - 1].title, articles[index - 1].body_html[3:-4])
        found = kept.find(articles, jobs=rng.choice([1, 2]))
        assert found == related.related_indexes(articles), f"step {step}: {action}"
        vectors = kept.last.vectors
        ranked = related._scores((vectors, related._postings(vectors), related.RELATED_COUNT), range(len(vectors)))
        for index, (listed, scores) in enumerate(ranked):
            width = related.RELATED_COUNT + 1
            kept_scores = kept.last.scores[index * width : index * width + width]
            assert kept_scores[:-1] == pytest.approx(scores[:-1], abs=1e-12), f"step {step}: article {index}'s scores"
            assert kept_scores[-1] >= scores[-1] - 1e-12, f"step {step}: article {index}'s bound on the others' scores"
        bags, frequency = terms.term_counts(articles, None)[0], Counter()
        for ids, _ in bags:
            frequency.update(ids)
        assert dict(kept.last.frequency) == dict(frequency), f"step {step}: document frequencies, as counted from nothing"
        assert kept.last.vectors == related._vectors(bags, frequency)[0], f"step {step}: vectors, as weighed from nothing"
        fresh = related._postings(kept.last.vectors)
        assert all(kept.last.postings.get(term) == fresh.get(term) for term in {*fresh, *kept.last.postings.terms}), f"step {step}: postings"
        assert kept.last.postings.unpacked(fresh) == fresh, f"step {step}: postings, unpacked at once"


def test_term_ids_are_the_same_in_every_process_whatever_python_s_hash_seed() -> None:
    import subprocess
    import sys

    script = "from newsarchive import terms; print(terms.term_id('harbour'), terms.term_id('the'))"
    ids = {subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
           for seed in ("1", "2", "random")}  # fmt: skip
    assert len(ids) == 1 and ids.pop().split() == [str(terms.term_id("harbour")), "0"], "kept counts mean the same words in the next build"


def test_the_term_id_table_stops_growing_at_its_size_and_still_gives_every_id() -> None:
    """Counting processes keep one table of ids from chunk to chunk (terms._IDS); it must not grow
    with an archive's vocabulary, and a word past its size gets the same id, only not kept."""
    table = terms.TermIds(most=2)
    words = ["harbour", "lantern", "the", "harbour", "glacier"]
    assert [table[word] for word in words] == [terms.term_id(word) for word in words]
    assert list(table) == ["harbour", "lantern"]
    assert terms.TermIds(most=0)["harbour"] == terms.term_id("harbour") != 0
    counted = terms.count_terms([("Harbour lantern", "<p>Glacier harbour.</p>")])
    assert terms.count_terms([("Harbour lantern", "<p>Glacier harbour.</p>")]) == counted, "the kept table changes no count"


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
    words = terms.article_words(art(0, "Harvest falls", body))
    assert words["harvest"] == terms.HEADLINE_WEIGHT and words["drought"] == 1
    assert "amp" not in words  # entities are decoded before words are counted
    assert [w for w in words if terms.is_term(w)] == ["harvest", "falls", "drought", "heat", "hit", "farmers", "filler"]
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


def test_a_headline_sent_to_the_counting_workers_as_bytes_counts_as_the_text() -> None:
    """Headlines go to the workers that count words as model.sendable_text gives them (UTF-8 bytes
    when not ASCII, so the build's own strings do not grow): they count as the text itself."""
    from newsarchive.model import sendable_text

    pairs = [("Zürich’s council votes on the tramway", "<p>Zürich’s council met.</p>"), ("Plain headline words", "<p>Body words here.</p>")]
    sent = [(sendable_text(title), body) for title, body in pairs]
    assert isinstance(sent[0][0], bytes)
    assert terms.count_terms(sent) == terms.count_terms(pairs)
