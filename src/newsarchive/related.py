"""Related articles by text similarity: TF-IDF over headline and body, computed at build time.

A compact sparse-vector implementation, sized for archives of 10^5 articles in pure Python:

1. Each article becomes a bag of words: the headline counted twice and the body's first
   `CHARS_READ` characters. News stories say what they are about first, and reading a
   bounded start keeps time and memory linear in the number of articles, not their length.
2. Weights are sublinear TF-IDF; only each article's `TERMS_KEPT` strongest terms are
   kept, L2-normalised. Terms used by one article only cannot relate it to anything and
   are dropped; so are terms in more than `COMMON_SHARE` of all articles.
3. An inverted index maps each term to the articles that kept it, strongest first, cut at
   `POSTINGS_KEPT`; an article's candidates are the articles sharing one of its terms, scored
   by the dot product of the kept weights (cosine similarity of the truncated vectors).

Ties keep a fixed order (first appearance of a word in an article; candidates in the order the
index yields them), so the result is deterministic: the same articles give the same lists.
"""

from __future__ import annotations

import heapq
import html
import itertools
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from operator import mul

from newsarchive import parallel
from newsarchive.model import Article

RELATED_COUNT = 5
CHARS_READ = 1000  # of the body: about 160 English words, the lede and what follows it
TERMS_KEPT = 16
POSTINGS_KEPT = 48
COMMON_SHARE = 0.5  # a word in more than half the articles tells them apart from little
HEADLINE_WEIGHT = 2

_TAG = re.compile(r"<[^>]*>")
# Words of three characters or more; those holding digits or '_' are dropped after counting
# (cheaper than a letters-only pattern, which is a third slower on every word).
_WORD = re.compile(r"\w{3,}")

STOP_WORDS = frozenset(
    """about above after again against all also among and any are around because been before being
    below between both but can could did does doing down during each even ever every few for from
    further had has have having her here hers herself him himself his how however into its itself
    just last least less made make many may more most much must near never new not now off once
    one only other our ours out over own per said same says see she should since some still such
    than that the their theirs them themselves then there these they this those though three through
    thus till too two under until upon very via was way well were what when where whether which while
    who whom whose why will with within without would year years yet you your yours""".split()
)
HEADLINE_CHARS_READ = 300
# Sublinear term frequency by count. A word has at least 3 letters and a separator, so no count
# can exceed (2 × 300 + 1000) / 4 = 400: the table is long enough.
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, HEADLINE_WEIGHT * HEADLINE_CHARS_READ + CHARS_READ)]


def text_read(title: str, body_html: str) -> str:
    """All the text similarity is computed from: the headline (twice) and the start of the body.

    Two articles with the same text read relate to others the same way, so the build keeps a
    digest of it per article and reuses the last build's lists when no digest changed.
    """
    body = html.unescape(_TAG.sub(" ", body_html)).strip()
    if len(body) > CHARS_READ:
        cut = body.rfind(" ", 0, CHARS_READ + 1)
        body = body[: cut if cut > 0 else CHARS_READ]
    return ((title[:HEADLINE_CHARS_READ] + "\n") * HEADLINE_WEIGHT + body).lower()


def article_words(article: Article) -> Counter[str]:
    """How often each word occurs in the headline (counted twice) and the start of the body."""
    return Counter(_WORD.findall(text_read(article.title, str(article.body_html))))


def is_term(word: str) -> bool:
    """Whether a word may relate articles: letters only, and not a stop word."""
    return word.isalpha() and word not in STOP_WORDS


Bag = tuple[array, array]  # word ids ('I') and their counts ('H'): 6 bytes a word


def _term_counts(articles: Sequence[Article]) -> tuple[list[Bag], list[int], list[bool]]:
    """Per article, its word ids and counts; per word id, how many articles use it and whether it is a term.

    The loop over an article's words runs in C (Counter, map, a defaultdict handing out ids in
    order of first use); which words are terms is decided once per distinct word at the end.
    """
    vocabulary: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    word_id = vocabulary.__getitem__
    bags: list[Bag] = []
    frequency: Counter[int] = Counter()
    for article in articles:
        counts = article_words(article)
        terms = array("I", map(word_id, counts))
        frequency.update(terms)
        bags.append((terms, array("H", counts.values())))
    usable = [is_term(word) for word in vocabulary]  # the dict keeps ids in insertion order 0, 1, ...
    return bags, [frequency[term] for term in range(len(usable))], usable


Vector = tuple[array, array]  # term ids ('I') and their weights ('f'), strongest first


def _vectors(bags: list[Bag], frequency: list[int], usable: list[bool]) -> list[Vector]:
    """Each article's strongest TERMS_KEPT terms with L2-normalised sublinear TF-IDF weights."""
    total = len(bags)
    common = max(2, COMMON_SHARE * total)
    idf = [math.log(total / df) if ok and 1 < df <= common else 0.0 for df, ok in zip(frequency, usable)]
    vectors = []
    for terms, counts in bags:
        weights = list(map(mul, map(_TF.__getitem__, counts), map(idf.__getitem__, terms)))
        # sorted is stable: equal weights keep the order of first appearance in the article.
        strongest = [i for i in sorted(range(len(weights)), key=weights.__getitem__, reverse=True)[:TERMS_KEPT] if weights[i] > 0.0]
        norm = math.sqrt(sum(weights[i] ** 2 for i in strongest)) or 1.0
        vectors.append((array("I", [terms[i] for i in strongest]), array("f", [weights[i] / norm for i in strongest])))
    return vectors


def _postings(vectors: list[Vector]) -> dict[int, Vector]:
    """Term id -> (article indexes, weights), strongest first, at most POSTINGS_KEPT each."""
    postings: dict[int, Vector] = {}
    for index, (terms, weights) in enumerate(vectors):
        for term, weight in zip(terms, weights):
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = (array("I"), array("f"))
            entry[0].append(index)
            entry[1].append(weight)
    for term, (docs, weights) in postings.items():
        if len(docs) > POSTINGS_KEPT:
            keep = sorted(range(len(docs)), key=lambda i: (-weights[i], docs[i]))[:POSTINGS_KEPT]
            postings[term] = (array("I", [docs[i] for i in keep]), array("f", [weights[i] for i in keep]))
    return postings


def _scores(state: tuple[list[Vector], dict[int, Vector], int], indexes: Sequence[int]) -> list[tuple[int, ...]]:
    """The best `count` candidates for each article of `indexes` (in a worker process)."""
    vectors, postings, count = state
    result: list[tuple[int, ...]] = []
    for index in indexes:
        terms, weights = vectors[index]
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in zip(terms, weights):
            docs, other_weights = postings[term]
            for other, other_weight in zip(docs, other_weights):
                scores[other] = get(other, 0.0) + weight * other_weight
        scores.pop(index, None)
        # Stable: equal scores keep the order candidates were found in, which is fixed.
        result.append(tuple(heapq.nlargest(count, scores, key=scores.__getitem__)))
    return result


def related_indexes(articles: Sequence[Article], count: int = RELATED_COUNT, jobs: int = 1) -> list[tuple[int, ...]]:
    """For each article, the positions of up to `count` most similar other articles, best first.
    Scoring, most of the work, runs in `jobs` processes; the result does not depend on `jobs`."""
    vectors = _vectors(*_term_counts(articles))
    postings = _postings(vectors)
    result: list[tuple[int, ...]] = []
    for _, found in parallel.map_chunks(_scores, (vectors, postings, count), range(len(vectors)), jobs):
        result.extend(found)
    return result


def related_articles(articles: Sequence[Article], count: int = RELATED_COUNT) -> list[tuple[Article, ...]]:
    """For each article (same order), its related articles, most similar first."""
    return [tuple(articles[i] for i in found) for found in related_indexes(articles, count)]
