"""The words articles are compared by (related.py): each article's text read (its headline,
counted twice, and the start of its body) counted into a bag of term ids.

A term is a word of three letters or more that is not a stop word; its id is a 64-bit digest of
it, the same in every process and every build, so that workers need not agree on a numbering and
the build cache can keep each text's bag (see term_id).
"""

from __future__ import annotations

import hashlib
import html
import re
from array import array
from collections import Counter
from collections.abc import Sequence
from itertools import compress

from newsarchive import packed, parallel
from newsarchive.model import Article, received_text, sendable_text

CHARS_READ = 1000  # of the body: about 160 English words, the lede and what follows it
HEADLINE_CHARS_READ = 300
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


def _words(title: str | bytes, body: object) -> Counter[str]:  # title: see model.sendable_text; body: str, or a stored Body read with str()
    return Counter(_WORD.findall(text_read(received_text(title), str(body))))


def is_term(word: str) -> bool:
    """Whether a word may relate articles: letters only, and not a stop word."""
    return word.isalpha() and word not in STOP_WORDS


Bag = tuple[array, array]  # term ids ('q') and their counts ('H')


def term_id(word: str) -> int:
    """A word's id, 0 for a word that is not a term: a 64-bit digest of it, the same in every
    process and every build (Python's own hash() changes from one run to the next), so that
    workers need not agree on a numbering and the build cache can keep each article's counts
    (see related.related_indexes). Which words are kept, and their order, never depend on the values.
    (Two of even 10^6 distinct words share a 64-bit digest with odds of about 10^-7; they would
    count as one word.)"""
    if not is_term(word):
        return 0
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little", signed=True) or 1


class TermIds(dict[str, int]):
    """Word -> term_id(word), each computed once, for the first `most` words asked for."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most

    def __missing__(self, word: str) -> int:
        found = term_id(word)
        if len(self) < self.most:
            self[word] = found
        return found


# The ids of the words counted in this process, kept from one chunk of articles to the next: a
# chunk's new words cost a digest each (about 1 µs), and a chunk of 512 articles meets many of
# its words for the first time (4,096 of the benchmark's articles in chunks of 512: 125 µs an
# article with a table per chunk, 105 with this one). Words come by their frequency, so the first
# ones met are most of any text's; the table stops growing at about 2 MiB (a real archive's names
# and typos run to 10^5 and more, and the counting processes go on to render the pages).
_IDS = TermIds(most=1 << 14)


def count_terms(articles: Sequence[tuple[str, object]]) -> tuple[list[Bag], Counter[int]]:
    """Each (headline, body) pair's terms with their counts, and how many of the pairs use each
    term (in a worker process: the body is read from the store there). Words that cannot be
    terms are dropped here; the rest keep their order of first appearance. The loop over an
    article's words runs in C (Counter, map, compress)."""
    id_of = _IDS.__getitem__
    bags: list[Bag] = []
    frequency: Counter[int] = Counter()
    for title, body in articles:
        counts = _words(title, body)
        ids = list(map(id_of, counts))
        terms = array("q", compress(ids, ids))
        frequency.update(terms)
        bags.append((terms, array("H", compress(counts.values(), ids))))
    return bags, frequency


def pack_bags(bags: dict[str, Bag]) -> tuple[list[str], packed.Pairs]:
    """Bags by digest, as the build cache keeps them (see layout._Kept): packed, they pickle and
    load as a few buffers, not two small arrays each."""
    return list(bags), packed.Pairs.of(bags.values(), "qH")


def unpack_bags(stored: tuple[list[str], packed.Pairs]) -> dict[str, Bag]:
    digests, pairs = stored
    return dict(zip(digests, pairs))


def term_counts(articles: Sequence[Article], workers: parallel.Workers | None,
                known: Sequence[Bag | None] | None = None) -> tuple[list[Bag], Counter[int], list[int]]:  # fmt: skip
    """Per article, its terms and their counts. Those of `known` (per article, its bag or None)
    are taken as they are; the others are counted by chunk, in `workers` when given. Also gives
    how many of the counted articles use each term (the chunks add that up where they run) and
    which articles were counted."""
    missing = [index for index, bag in enumerate(known) if bag is None] if known is not None else list(range(len(articles)))
    pairs = [(sendable_text(articles[index].title), articles[index].body_html) for index in missing]
    chunks = workers.map(pairs, other=count_terms, largest=512) if workers is not None else [(len(pairs), count_terms(pairs))]
    counted: list[Bag] = []
    frequency: Counter[int] = Counter()
    for _, (chunk_bags, chunk_frequency) in chunks:
        counted += chunk_bags
        frequency.update(chunk_frequency)
    if known is None:
        return counted, frequency, missing
    bags: list[Bag] = list(known)  # type: ignore[arg-type]
    for index, bag in zip(missing, counted):
        bags[index] = bag
    return bags, frequency, missing
