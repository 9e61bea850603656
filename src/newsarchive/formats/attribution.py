"""Which outlet reported a plain-text story, from its own words: '…, News.Az reports.' → 'News.Az'.

Deliberately conservative, so a wrong outlet is rarer than a missed one. The first paragraph
must end with the clause ', NAME reports.' or ', NAME reported.', where NAME is one to five
words, the first and last capitalised (or starting with a digit, as in '1news.az'), and only
short joining words ('of', 'and', '&', ...) in lower case between them. Pronouns and
generic words ('He', 'It', 'Sources', ...) are never an outlet. Nothing else is guessed.
"""

from __future__ import annotations

import re

_CLOSING_CLAUSE = re.compile(r",\s+(?P<name>[^,;:()\"“”]{1,60}?)\s+report(?:s|ed)\.\s*$")
_NAME_WORD = re.compile(r"[\w.&'’-]+")
_JOINING_WORDS = frozenset({"of", "and", "&", "de", "del", "des", "du", "la", "le", "al", "for", "on", "the"})
_NOT_AN_OUTLET = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "this", "that", "who", "which", "one", "someone",
     "media", "sources", "source", "officials", "witnesses", "residents", "reports", "local"}  # fmt: skip
)
MAX_WORDS = 5


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def reporting_outlet(first_paragraph: str) -> str | None:
    """The outlet named at the end of a story's first paragraph, or None when unsure."""
    match = _CLOSING_CLAUSE.search(first_paragraph)
    if match is None:
        return None
    words = match.group("name").split()
    if not 1 <= len(words) <= MAX_WORDS or not all(_NAME_WORD.fullmatch(word) for word in words):
        return None
    if not (_capitalised(words[0]) and _capitalised(words[-1])):
        return None
    if not all(_capitalised(word) or word.lower() in _JOINING_WORDS for word in words):
        return None
    if len(words) == 1 and words[0].lower() in _NOT_AN_OUTLET:
        return None
    return " ".join(words)
