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

import hashlib
import heapq
import html
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress
from operator import mul

from newsarchive import memory, parallel
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
    return _words(article.title, article.body_html)


def _words(title: str, body: object) -> Counter[str]:  # body: str, or a stored Body read with str()
    return Counter(_WORD.findall(text_read(title, str(body))))


def is_term(word: str) -> bool:
    """Whether a word may relate articles: letters only, and not a stop word."""
    return word.isalpha() and word not in STOP_WORDS


Bag = tuple[array, array]  # term ids ('q') and their counts ('H')


def _term_id(word: str) -> int:
    """A word's id, 0 for a word that is not a term: a 64-bit digest of it, the same in every
    process and every build (Python's own hash() changes from one run to the next), so that
    workers need not agree on a numbering and the build cache can keep each article's counts
    (see related_indexes). Which words are kept, and their order, never depend on the values.
    (Two of even 10^6 distinct words share a 64-bit digest with odds of about 10^-7; they would
    count as one word.)"""
    if not is_term(word):
        return 0
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little", signed=True) or 1


class _TermIds(dict[str, int]):
    """Word -> _term_id(word), each computed once."""

    def __missing__(self, word: str) -> int:
        self[word] = found = _term_id(word)
        return found


def _count_terms(articles: Sequence[tuple[str, object]]) -> tuple[list[Bag], Counter[int]]:
    """Each (headline, body) pair's terms with their counts, and how many of the pairs use each
    term (in a worker process: the body is read from the store there). Words that cannot be
    terms are dropped here; the rest keep their order of first appearance. The loop over an
    article's words runs in C (Counter, map, compress)."""
    term_id = _TermIds().__getitem__
    bags: list[Bag] = []
    frequency: Counter[int] = Counter()
    for title, body in articles:
        counts = _words(title, body)
        ids = list(map(term_id, counts))
        terms = array("q", compress(ids, ids))
        frequency.update(terms)
        bags.append((terms, array("H", compress(counts.values(), ids))))
    return bags, frequency


def _term_counts(articles: Sequence[Article], workers: parallel.Workers | None,
                 known: Sequence[Bag | None] | None = None) -> tuple[list[Bag], Counter[int]]:  # fmt: skip
    """Per article, its terms and their counts; per term, how many articles use it. Those of
    `known` (per article, its bag or None) are taken as they are; the others are counted by
    chunk, in `workers` when given: this process only adds the chunks' term frequencies up."""
    missing = [index for index, bag in enumerate(known) if bag is None] if known is not None else range(len(articles))
    pairs = [(articles[index].title, articles[index].body_html) for index in missing]
    chunks = workers.map(pairs, other=_count_terms, largest=512) if workers is not None else [(len(pairs), _count_terms(pairs))]
    counted: list[Bag] = []
    frequency: Counter[int] = Counter()
    for _, (chunk_bags, chunk_frequency) in chunks:
        counted += chunk_bags
        frequency.update(chunk_frequency)
    if known is None:
        return counted, frequency
    bags: list[Bag] = list(known)  # type: ignore[arg-type]
    for index, bag in zip(missing, counted):
        bags[index] = bag
    taken = set(missing)
    for index, (terms, _) in enumerate(bags):
        if index not in taken:
            frequency.update(terms)
    return bags, frequency


Vector = tuple[array, array]  # term ids ('q') and their weights ('f'), strongest first


Weighed = tuple[int, dict[int, int]]  # what vectors are weighed with: the number of articles, each term's document frequency


def _vectors(bags: list[Bag], frequency: Counter[int], earlier: Sequence[Vector | None] | None = None,
             weighed: Weighed | None = None) -> list[Vector]:  # fmt: skip
    """Each article's strongest TERMS_KEPT terms with L2-normalised sublinear TF-IDF weights.

    `earlier`: per article, its vector as weighed before from the same counts, with `weighed`. It
    is taken as it is when the number of articles and the document frequency of each of its terms
    are unchanged: weighing it again would give the same numbers."""
    total = len(bags)
    common = max(2, COMMON_SHARE * total)
    idf = {term: math.log(total / df) if 1 < df <= common else 0.0 for term, df in frequency.items()}
    changed: set[int] | None = None
    if earlier is not None and weighed is not None and weighed[0] == total:
        before = weighed[1]
        changed = {term for term, df in frequency.items() if before.get(term) != df}
    vectors = []
    for index, (terms, counts) in enumerate(bags):
        if changed is not None:
            kept = earlier[index]  # type: ignore[index]
            if kept is not None and changed.isdisjoint(terms):
                vectors.append(kept)
                continue
        weights = list(map(mul, map(_TF.__getitem__, counts), map(idf.__getitem__, terms)))
        # sorted is stable: equal weights keep the order of first appearance in the article.
        strongest = [i for i in sorted(range(len(weights)), key=weights.__getitem__, reverse=True)[:TERMS_KEPT] if weights[i] > 0.0]
        norm = math.sqrt(sum(weights[i] ** 2 for i in strongest)) or 1.0
        vectors.append((array("q", [terms[i] for i in strongest]), array("f", [weights[i] / norm for i in strongest])))
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


Keep = Callable[[list[Bag], list[Vector], Weighed], None]


def related_indexes(articles: Sequence[Article], count: int = RELATED_COUNT, jobs: int = 1,
                    workers: parallel.Workers | None = None, known: Sequence[Bag | None] | None = None,
                    earlier: tuple[Sequence[Vector | None], Weighed] | None = None, keep: Keep | None = None) -> list[tuple[int, ...]]:  # fmt: skip
    """For each article, the positions of up to `count` most similar other articles, best first.

    Words are counted in `workers` (processes already running, such as a build's render workers,
    idle until the pages are laid out), scoring runs in `jobs` processes forked for it; the
    result depends on neither. `known`: per article, its terms and their counts as an earlier
    count found them for the same text read (text_read), or None; only the others are counted.
    `earlier`: per article, its vector as weighed before from those counts, and what they were
    weighed with (see _vectors). `keep` is given every article's counts and vector and what they
    were weighed with, to keep for the next time."""
    bags, frequency = _term_counts(articles, workers, known)
    del known
    vectors = _vectors(bags, frequency, *(earlier or (None, None)))
    del earlier
    if keep is not None:
        keep(bags, vectors, (len(bags), frequency))
    del bags, frequency  # before scoring: at 10^5 articles they are over 100 MiB
    postings = _postings(vectors)
    memory.give_back()  # the word counts are gone: before forking, so the scorers do not share their pages
    result: list[tuple[int, ...]] = []
    # One int object per article, shared by every list that names it (the lists come back
    # unpickled, each with its own copies: at 10^5 articles, 16 MiB kept for the whole build).
    numbers = list(range(len(vectors)))
    for _, found in parallel.map_chunks(_scores, (vectors, postings, count), range(len(vectors)), jobs):
        result.extend(tuple(map(numbers.__getitem__, others)) for others in found)
    del vectors, postings
    memory.give_back()
    return result


def related_articles(articles: Sequence[Article], count: int = RELATED_COUNT) -> list[tuple[Article, ...]]:
    """For each article (same order), its related articles, most similar first."""
    return [tuple(articles[i] for i in found) for found in related_indexes(articles, count)]
