"""Related articles by text similarity: TF-IDF over headline and body, computed at build time.

A compact sparse-vector implementation, sized for archives of 10^5 articles in pure Python:

1. Each article becomes a bag of words (terms.py): the headline counted twice and the body's first
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

A rebuild starts from the last computation (`Scored`, kept in the build cache) and redoes only
what an edit can have changed: the counts of the texts that changed, the vectors whose weights
move, the postings of the terms those vectors keep, the lists that read them. What it reuses is
exactly what it would compute again, so the lists are those of a computation from nothing.
"""

from __future__ import annotations

import heapq
import math
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import mul

from newsarchive import memory, packed, parallel
from newsarchive.model import Article
from newsarchive.terms import CHARS_READ, HEADLINE_CHARS_READ, HEADLINE_WEIGHT, Bag, term_counts

RELATED_COUNT = 5
TERMS_KEPT = 16
POSTINGS_KEPT = 48
COMMON_SHARE = 0.5  # a word in more than half the articles tells them apart from little
SCORED_HERE = 2000  # at most this many lists to find again are scored without forking (about 40 µs each)

# Sublinear term frequency by count. A word has at least 3 letters and a separator, so no count
# can exceed (2 × 300 + 1000) / 4 = 400: the table is long enough.
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, HEADLINE_WEIGHT * HEADLINE_CHARS_READ + CHARS_READ)]


Vector = tuple[array, array]  # term ids ('q') and their weights ('f'), strongest first


@dataclass(frozen=True, slots=True)
class Scored:
    """One computation's lists, with what the next can start from (the build cache keeps it): per
    article, in the order given, the digest of its text read (see terms.text_read) and its vector
    (packed: 10^4 vectors pickle as three buffers, not 2 x 10^4 small arrays); how many articles
    use each term; the postings the lists were scored with; per article, `count` + 1 numbers in
    `scores`: its list's scores (0.0 past a short list's end) and a bound on any other
    candidate's (see _Ranked)."""

    count: int
    digests: list[str]
    frequency: dict[int, int]
    vectors: packed.Pairs
    postings: Postings
    found: list[tuple[int, ...]]
    scores: array


def _document_frequency(bags: list[Bag], counted: list[int], counted_frequency: Counter[int], digests: Sequence[str] | None,
                        last: Scored | None, stored: Mapping[str, Bag]) -> tuple[Counter[int], set[int] | None]:  # fmt: skip
    """How many articles use each term, and the terms whose count may differ from the last
    computation's (None: any).

    From the last computation's counts, when it can be: minus the bags of the texts gone since
    (`stored` keeps them, by digest), plus those of the texts come. Else the counted articles'
    sums plus every other article's terms (at 10^4 articles, adding all of them up takes most of
    a tenth of a second)."""
    if digests is not None and last is not None and "" not in digests and "" not in last.digests:
        # A digest in the same place before and now cancels out: only the other places are compared.
        shared = min(len(last.digests), len(digests))
        places = [index for index, (then, now) in enumerate(zip(last.digests, digests)) if then != now]
        places_now = [*places, *range(shared, len(digests))]
        before = Counter([*(last.digests[index] for index in places), *last.digests[shared:]])
        now = Counter(digests[index] for index in places_now)
        gone, come = before - now, now - before
        if all(digest in stored for digest in gone):
            frequency = Counter(last.frequency)
            bag_of = {digests[index]: bags[index] for index in places_now}
            recounted: set[int] = set()
            for digest, times in gone.items():
                recounted.update(stored[digest][0])
                for _ in range(times):
                    frequency.subtract(stored[digest][0])
            # Only a gone text's terms can have dropped to no article (every count was at least 1).
            for term in [term for term in recounted if frequency[term] <= 0]:
                del frequency[term]
            for digest, times in come.items():
                recounted.update(bag_of[digest][0])
                for _ in range(times):
                    frequency.update(bag_of[digest][0])
            return frequency, recounted
    frequency = Counter(counted_frequency)
    taken = set(counted)
    for index, (terms, _) in enumerate(bags):
        if index not in taken:
            frequency.update(terms)
    return frequency, None


def _reweighed(frequency: Mapping[int, int], before: Mapping[int, int], total: int, among: set[int] | None) -> set[int]:
    """The terms whose inverse document frequency is not what it was when the document frequencies
    were `before`, for as many (`total`) articles; only those `among` can be, when given. (A word
    of one article weighs 0 before and after: a lede edit's new word changes no weight.)"""
    common = _common(total)
    return {term for term in (frequency if among is None else among)
            if (df := frequency.get(term, 0)) and df != (then := before.get(term, 0)) and (1 < df <= common or 1 < then <= common)}  # fmt: skip


def _common(total: int) -> float:
    """The most articles a term may be used by and still weigh more than 0 (see _Idf)."""
    return max(2, COMMON_SHARE * total)


def _vectors(bags: list[Bag], frequency: Counter[int], earlier: packed.Pairs | None = None,
             places: Sequence[int | None] | None = None, changed: set[int] | None = None) -> tuple[packed.Pairs, list[int]]:  # fmt: skip
    """Each article's strongest TERMS_KEPT terms with L2-normalised sublinear TF-IDF weights, and
    the articles whose vector is not `earlier`'s at the same place (all of them, without it).

    `earlier`: the vectors as weighed before, for as many articles, when every term but those
    `changed` weighed as now (see _reweighed); `places`: per article, the number of its vector
    there, weighed from the same counts (None: none). It is taken as it is when weighing it again
    would give the same numbers: when the document frequency of each of its terms is unchanged,
    or of none but terms that stay too weak to be kept (_still_kept)."""
    idf = _Idf(frequency, len(bags))
    if earlier is None or places is None:
        changed = None
    weighed: dict[int, Vector] = {}
    if changed is None:
        for index, (terms, counts) in enumerate(bags):
            weighed[index] = _weighed(terms, counts, idf)
        return packed.Pairs.of(weighed.values(), "qf"), list(weighed)
    # Only an article new here, or using a changed term, can weigh differently (in index order:
    # the vectors replace theirs in that order).
    new_here = [index for index, place in enumerate(places) if place is None]  # type: ignore[arg-type]
    for index in sorted(_holders([terms for terms, _ in bags], changed).union(new_here)):
        terms, counts = bags[index]
        place = places[index]  # type: ignore[index]
        if place is None or not _still_kept(earlier[place], terms, counts, changed, idf):  # type: ignore[index]
            weighed[index] = _weighed(terms, counts, idf)
    moved = [index for index, place in enumerate(places) if place != index and index not in weighed]  # type: ignore[arg-type]
    if not moved:  # (an edit) the vectors weighed again replace theirs, the others stay in place
        return earlier.spliced(list(weighed), packed.Pairs.of(weighed.values(), "qf")), list(weighed)  # type: ignore[union-attr]
    vectors = (weighed[index] if index in weighed else earlier[place] for index, place in enumerate(places))  # type: ignore[index, union-attr]
    return packed.Pairs.of(vectors, "qf"), sorted([*weighed, *moved])


def _holders(articles: Sequence[array], wanted: set[int]) -> set[int]:
    """The articles (each given by its terms) that hold one of `wanted` (after an edit, a handful
    of terms asked of every article). set.isdisjoint makes an int of each of an article's hundred
    or so 64-bit terms; for a few terms, a byte search of many articles' terms joined is quicker
    (at 10^4 articles, 6 terms: a search per article took 28 ms, isdisjoint 37)."""
    if len(wanted) > _SEARCHED:
        return {index for index, terms in enumerate(articles) if not wanted.isdisjoint(terms)}
    patterns = [array("q", [term]).tobytes() for term in wanted]
    width = array("q").itemsize
    found: set[int] = set()
    for block in range(0, len(articles), _JOINED):
        some = articles[block : block + _JOINED]
        raw = b"".join(terms.tobytes() for terms in some)
        starts = list(accumulate((len(terms) * width for terms in some), initial=0))
        for pattern in patterns:
            at = raw.find(pattern)
            while at != -1:
                if at % width == 0:  # a whole term, not the end of one and the start of the next
                    found.add(block + bisect_right(starts, at) - 1)
                at = raw.find(pattern, at + 1)
    return found


_SEARCHED = 8  # terms searched for at most: past about this many, isdisjoint is quicker
_JOINED = 1024  # articles whose terms are searched at once: about 800 KB


class _Idf(dict[int, float]):
    """Term -> its inverse document frequency (0 for a term of one article, or of too many to
    tell them apart), each worked out when first asked for: a rebuild weighs few articles again."""

    def __init__(self, frequency: Mapping[int, int], total: int) -> None:
        super().__init__()
        self.frequency, self.total, self.common = frequency, total, _common(total)

    def __missing__(self, term: int) -> float:
        df = self.frequency[term]
        self[term] = found = math.log(self.total / df) if 1 < df <= self.common else 0.0
        return found


def _weighed(terms: array, counts: array, idf: dict[int, float]) -> Vector:
    """One article's vector, from its terms and counts."""
    weights = list(map(mul, map(_TF.__getitem__, counts), map(idf.__getitem__, terms)))
    # sorted is stable: equal weights keep the order of first appearance in the article.
    strongest = [i for i in sorted(range(len(weights)), key=weights.__getitem__, reverse=True)[:TERMS_KEPT] if weights[i] > 0.0]
    norm = math.sqrt(sum(weights[i] ** 2 for i in strongest)) or 1.0
    return array("q", [terms[i] for i in strongest]), array("f", [weights[i] / norm for i in strongest])


def _still_kept(vector: Vector, terms: array, counts: array, changed: set[int], idf: dict[int, float]) -> bool:
    """Whether a vector weighed before is still what weighing would give, though some of its
    article's terms changed weight (`changed`, with the new `idf`): none of them is among the terms
    it kept, and none now weighs as much as the weakest of those (or more than 0 when fewer than
    TERMS_KEPT were kept). Every other weight is as before, so the same terms come first in the
    same order, with the same norm. (A common word's use changes with one article; it is among
    the strongest terms of few of the thousands of articles that use it.)"""
    strongest = vector[0]
    moved = changed.intersection(terms)
    if not moved.isdisjoint(strongest):
        return False
    if len(strongest) < TERMS_KEPT:
        return all(_TF[counts[terms.index(term)]] * idf[term] <= 0.0 for term in moved)
    weakest = strongest[-1]
    floor = _TF[counts[terms.index(weakest)]] * idf[weakest]
    return all(_TF[counts[terms.index(term)]] * idf[term] < floor for term in moved)


def _postings(vectors: Sequence[Vector], only: set[int] | None = None, among: Iterable[int] | None = None) -> dict[int, Vector]:
    """Term id -> (article indexes, weights), strongest first, at most POSTINGS_KEPT each; with
    `only`, for those terms alone; with `among`, from those vectors alone (the others keep none
    of them)."""
    postings: dict[int, Vector] = {}
    numbered = enumerate(vectors) if among is None else ((index, vectors[index]) for index in among)
    for index, (terms, weights) in numbered:
        if only is not None and only.isdisjoint(terms):
            continue
        for term, weight in zip(terms, weights):
            if only is not None and term not in only:
                continue
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


class Postings:
    """_postings's index, packed (see packed.py): the build cache keeps it, and an edit replaces
    the postings of a few terms. A term whose postings emptied keeps an empty run, found as None."""

    __slots__ = ("terms", "ends", "docs", "weights", "_where")

    def __init__(self, terms: array, ends: array, docs: array, weights: array) -> None:
        self.terms, self.ends, self.docs, self.weights = terms, ends, docs, weights
        self._where: dict[int, int] | None = None  # term -> its run, made on first use

    def __reduce__(self) -> tuple:
        return Postings, (self.terms, self.ends, self.docs, self.weights)

    @classmethod
    def of(cls, postings: dict[int, Vector]) -> Postings:
        ends, docs, weights = array("I"), array("I"), array("f")
        for term_docs, term_weights in postings.values():
            docs += term_docs
            weights += term_weights
            ends.append(len(docs))
        return cls(array("q", postings), ends, docs, weights)

    def _runs(self) -> dict[int, int]:
        if self._where is None:
            self._where = dict(zip(self.terms, range(len(self.terms))))
        return self._where

    def get(self, term: int) -> Vector | None:
        number = self._runs().get(term)
        if number is None or self.ends[number] == (self.ends[number - 1] if number else 0):
            return None
        return packed.run(self.ends, self.docs, number), packed.run(self.ends, self.weights, number)  # type: ignore[return-value]

    def __getitem__(self, term: int) -> Vector:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found

    def unpacked(self, terms: Iterable[int]) -> dict[int, Vector]:
        """The postings of these terms (each with some): a rebuild's lists read thousands."""
        where, ends = self._runs(), self.ends
        return {term: (packed.run(ends, self.docs, where[term]), packed.run(ends, self.weights, where[term])) for term in terms}  # type: ignore[misc]

    def replaced(self, changes: Mapping[int, Vector | None]) -> Postings:
        """These postings with those of `changes`' terms replaced (None: none left)."""
        runs = self._runs()
        at = sorted(runs[term] for term in changes if term in runs)
        added = [term for term, new in changes.items() if term not in runs and new is not None]
        new_ends, new_docs, new_weights = array("I"), array("I"), array("f")
        for term in [*(self.terms[number] for number in at), *added]:
            new = changes[term]
            if new is not None:
                new_docs += new[0]
                new_weights += new[1]
            new_ends.append(len(new_docs))
        cut = new_ends[len(at) - 1] if at else 0
        ends, (docs, weights) = packed.splice(self.ends, [self.docs, self.weights], at, new_ends[: len(at)],
                                              [new_docs[:cut], new_weights[:cut]])  # fmt: skip
        ends.extend(end - cut + len(docs) for end in new_ends[len(at) :])
        docs += new_docs[cut:]
        weights += new_weights[cut:]
        spliced = Postings(self.terms + array("q", added), ends, docs, weights)  # type: ignore[arg-type]
        spliced._where = {**runs, **{term: len(self.terms) + number for number, term in enumerate(added)}}
        return spliced


_Ranked = tuple[tuple[int, ...], list[float]]
"""An article's list, best first, and `count` + 1 scores: those of the list (0.0 past its end, when
fewer articles share a term with it) and the best score of any article left out (or more: an
upper bound, after _kept_first), 0.0 when none is."""


def _scores(state: tuple[Sequence[Vector], dict[int, Vector], int], indexes: Sequence[int]) -> list[_Ranked]:
    """The best `count` candidates for each article of `indexes` (in a worker process)."""
    vectors, postings, count = state
    result: list[_Ranked] = []
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
        best = heapq.nlargest(count + 1, scores, key=scores.__getitem__)
        ranked = [scores[other] for other in best]
        result.append((tuple(best[:count]), ranked + [0.0] * (count + 1 - len(ranked))))
    return result


# Scores closer than this are taken as tied: far above the rounding of a sum of TERMS_KEPT
# products (about 1e-16), far below what tells two related articles apart.
_TIED = 1e-9


def _shifts(moved: Mapping[int, Vector | None], before: Postings) -> dict[int, dict[int, float]]:
    """Per term whose postings moved, how each article's weight in them changed (out: minus its
    weight; in: plus it). A term's postings usually move for one or two of their articles."""
    shifts: dict[int, dict[int, float]] = {}
    for term, now in moved.items():
        then = before.get(term)
        weights = dict(zip(*then)) if then is not None else {}
        shift: dict[int, float] = {}
        for other, weight in zip(*now) if now is not None else ():
            if by := weight - weights.pop(other, 0.0):
                shift[other] = by
        for other, weight in weights.items():
            shift[other] = -weight
        shifts[term] = shift
    return shifts


def _kept_first(index: int, vector: Vector, last: _Ranked, shifts: Mapping[int, Mapping[int, float]], count: int) -> _Ranked | None:
    """An article's list and scores once the postings of `shifts`' terms moved, worked out from the
    last ones without scoring it again, when that is certain to give what scoring would; else None.

    Its vector is the same, so each candidate's score moved by its weight times the candidate's
    shift in each moved term of the vector. When the listed articles' new scores stay apart, and
    above the bound on any other's plus the most any other rose, the same articles come first, in
    the order of their new scores. Anything nearer a tie is scored again: equal scores are ordered
    by where their articles were found, which this cannot tell."""
    listed, scores = last
    if len(listed) < count:  # an article that shares a term with it now would join the list
        return None
    change: dict[int, float] = {}
    for term, weight in zip(*vector):
        shift = shifts.get(term)
        if shift:
            for other, by in shift.items():
                change[other] = change.get(other, 0.0) + weight * by
    change.pop(index, None)
    ranked = sorted(((scores[place] + change.pop(other, 0.0), other) for place, other in enumerate(listed)), reverse=True)
    bound = scores[count] + max(0.0, max(change.values(), default=0.0))
    floor = bound
    for score, _ in reversed(ranked):
        if score <= floor + _TIED:
            return None
        floor = score
    return tuple(other for _, other in ranked), [score for score, _ in ranked] + [bound]


@dataclass(frozen=True)
class _Plan:
    """What a rebuild's lists start from: the articles whose lists may differ from the last
    computation's (`again`), those of them whose vector changed, the postings now, and the terms
    whose postings moved, with their postings now (None: none)."""

    again: list[int]
    changed: set[int]
    postings: Postings
    moved: dict[int, Vector | None]


def _to_score(vectors: packed.Pairs, renewed: list[int], last: Scored | None, count: int) -> _Plan | None:
    """What the lists may have changed by (see _Plan); None when every list must be scored.
    `renewed`: the articles whose vector may not be the last computation's at the same place (see
    _vectors).

    An article's list is a function of its vector and the postings of its terms, and a term's
    postings of the vectors (and positions) of the articles that keep it. So with as many articles
    as last time, a list can change only if its article's vector did, or one of its terms'
    postings did; those can change only for the terms a changed vector keeps or kept, and do
    where the changed article is, or was, among a term's POSTINGS_KEPT strongest (at 10^5
    articles a common term is kept by thousands of articles, and its postings rarely move)."""
    if last is None or last.count != count or len(last.vectors) != len(vectors):
        return None
    changed = [index for index in renewed if vectors[index] != last.vectors[index]]
    touched: set[int] = set()
    for index in changed:
        touched.update(vectors[index][0])
        touched.update(last.vectors[index][0])
    # The touched terms' postings are made from the vectors that keep one, and the lists that
    # read a term whose postings moved are among them.
    keepers = _keepers(vectors, last.postings, changed, touched)
    now = _postings(vectors, touched, keepers)
    moved = {term: now.get(term) for term in touched if now.get(term) != last.postings.get(term)}
    again = set(changed)
    if moved:
        again.update(index for index in keepers if not moved.keys().isdisjoint(vectors[index][0]))
    return _Plan(sorted(again), set(changed), last.postings.replaced(moved), moved)


def _keepers(vectors: packed.Pairs, before: Postings, changed: list[int], touched: set[int]) -> list[int]:
    """The articles whose vector may keep one of `touched` (the terms that the `changed` vectors
    keep or kept), ascending: every one that does, and perhaps some that no longer do.

    A vector that did not change keeps a term now if it did before. The postings of a term kept
    by fewer than POSTINGS_KEPT vectors hold every one of them: only the other terms' are looked
    for in every vector (at 10^4 articles a lede edit touches some 260 terms, all of them such)."""
    keepers = set(changed)
    full = set()
    for term in touched:
        found = before.get(term)
        if found is not None:
            if len(found[0]) >= POSTINGS_KEPT:
                full.add(term)
            else:
                keepers.update(found[0])
    if full:
        keepers.update(_holders(list(vectors.firsts()), full))
    return sorted(keepers)


def _scored(vectors: packed.Pairs, postings: Mapping[int, Vector], count: int, indexes: Sequence[int], jobs: int,
            numbers: list[int]) -> tuple[list[tuple[int, ...]], array]:  # fmt: skip
    """The lists of the articles of `indexes` scored, in `jobs` processes, and their scores (count + 1 each)."""
    result: list[tuple[int, ...]] = []
    scores = array("d")
    for _, found in parallel.map_chunks(_scores, (vectors, postings, count), indexes, jobs):
        for others, ranked in found:
            result.append(tuple(map(numbers.__getitem__, others)))
            scores.extend(ranked)
    return result, scores


def _found_again(vectors: packed.Pairs, plan: _Plan, last: Scored, count: int, jobs: int,
                 numbers: list[int]) -> tuple[list[tuple[int, ...]], array]:  # fmt: skip
    """Every list and its scores after an edit: the last computation's, but for those of
    `plan.again`, worked out from their kept scores where that is certain (_kept_first), else
    scored again."""
    width = count + 1
    result, scores = list(last.found), array("d", last.scores)
    shifts = _shifts(plan.moved, last.postings)
    again = []
    for index in plan.again:
        kept = None
        if index not in plan.changed:
            kept = _kept_first(index, vectors[index], (result[index], scores[index * width : index * width + width]), shifts, count)
        if kept is None:
            again.append(index)
        else:
            result[index] = tuple(map(numbers.__getitem__, kept[0]))
            scores[index * width : index * width + width] = array("d", kept[1])
    del shifts
    # Unpacked once per term, not once per list that reads it; a few hundred lists (an edit's)
    # take less time here than forking scorers would.
    postings = plan.postings.unpacked({term for index in again for term in vectors[index][0]})
    found, found_scores = _scored(vectors, postings, count, again, jobs if len(again) > SCORED_HERE else 1, numbers)
    for place, (index, others) in enumerate(zip(again, found)):
        result[index] = others
        scores[index * width : index * width + width] = found_scores[place * width : place * width + width]
    return result, scores


def related_indexes(articles: Sequence[Article], count: int = RELATED_COUNT, jobs: int = 1,
                    workers: parallel.Workers | None = None, digests: Sequence[str] | None = None,
                    stored: Mapping[str, Bag] | None = None, last: Scored | None = None,
                    keep_bags: Callable[[list[str], list[Bag]], None] | None = None, keep: Callable[[Scored], None] | None = None) -> list[tuple[int, ...]]:  # fmt: skip
    """For each article, the positions of up to `count` most similar other articles, best first.

    Words are counted in `workers` (processes already running, such as a build's render workers,
    idle until the pages are laid out), scoring runs in `jobs` processes forked for it; the
    result depends on neither.

    What an earlier computation left saves work, never changes the result: `digests` gives each
    article's digest of its text read ("" for none); `stored` an earlier count's bags by that
    digest (those found are not counted again); `last` the last computation (its vectors are
    reused where no term's use changed, its lists where no vector they depend on changed: see
    _to_score). `keep_bags` is given the digests and every article's bag before scoring (they can
    go then), `keep` this computation once it is done."""
    stored = stored or {}
    known = [stored.get(digest) if digest else None for digest in digests] if digests is not None and stored else None
    bags, counted_frequency, counted = term_counts(articles, workers, known)
    del known
    frequency, recounted = _document_frequency(bags, counted, counted_frequency, digests, last, stored)
    del counted_frequency, stored
    earlier = places = changed = None
    if digests is not None and last is not None and len(last.digests) == len(bags):
        # (A text read twice has the same vector in both places.)
        place_of = dict(zip(last.digests, range(len(last.digests))))
        earlier, places = last.vectors, [place_of.get(digest) if digest else None for digest in digests]
        changed = _reweighed(frequency, last.frequency, len(bags), recounted)
        del place_of
    vectors, renewed = _vectors(bags, frequency, earlier, places, changed)
    del earlier, places, changed, recounted
    if keep_bags is not None and digests is not None:
        keep_bags(list(digests), bags)
    del bags  # before scoring: at 10^5 articles they are over 100 MiB
    plan = _to_score(vectors, renewed, last, count)
    del renewed
    memory.give_back()  # the word counts are gone: before forking, so the scorers do not share their pages
    result: list[tuple[int, ...]]
    # One int object per article, shared by every list that names it (the lists come back
    # unpickled, each with its own copies: at 10^5 articles, 16 MiB kept for the whole build).
    numbers = list(range(len(vectors)))
    if plan is None:
        postings = _postings(vectors)
        result, scores = _scored(vectors, postings, count, range(len(vectors)), jobs, numbers)
        kept_postings = Postings.of(postings) if keep is not None else None
        del postings
    else:
        kept_postings = plan.postings
        result, scores = _found_again(vectors, plan, last, count, jobs, numbers)  # type: ignore[arg-type]
    del plan, last
    if keep is not None:
        keep(Scored(count, list(digests) if digests is not None else [], frequency, vectors, kept_postings, result, scores))  # type: ignore[arg-type]
    del vectors, frequency
    memory.give_back()
    return result


def related_articles(articles: Sequence[Article], count: int = RELATED_COUNT) -> list[tuple[Article, ...]]:
    """For each article (same order), its related articles, most similar first."""
    return [tuple(articles[i] for i in found) for found in related_indexes(articles, count)]
