"""The plain-text article format:

     date 2022-12-12 Headline        <- line 1 (leading whitespace allowed)
                                     <- blank
    Headline                         <- repeated headline, dropped when equal
                                     <- blank
    Paragraph one...                 <- plain text paragraphs separated by blank lines

The body is never interpreted: a '*' or '<b>' in a story stays exactly as written. The only
thing read from it is the reporting outlet, when the first paragraph names it (attribution.py).
"""

from __future__ import annotations

import re

from newsarchive.config import Config
from newsarchive.errors import Problem, SourceError
from newsarchive.formats.attribution import reporting_outlet
from newsarchive.formats.fields import (
    Parsed,
    check_calendar_date,
    collapse_space,
    paragraphs_html,
    summarize,
    word_count,
)
from newsarchive.model import Article
from newsarchive.urls import slugify

_DATE_LINE = re.compile(r"\s*date(?:\s+(\S+))?(?:\s+(.*))?", re.S)


def _split_paragraphs(lines: list[str], first_line_number: int) -> list[tuple[int, str]]:
    """(line number, text) of each run of non-blank lines."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = first_line_number
    for number, line in enumerate(lines, first_line_number):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            paragraphs.append((start, "\n".join(current)))
            current = []
    if current:
        paragraphs.append((start, "\n".join(current)))
    return paragraphs


def parse(text: str, path: str, config: Config, relative: str | None = None) -> Parsed:
    """`relative` (the path inside seeds/) is unused: the date and headline are on line 1."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SourceError(path, 1, "empty file")
    line_number = first + 1
    match = _DATE_LINE.fullmatch(lines[first])
    if match is None:
        raise SourceError(path, line_number, "missing date line: expected 'date YYYY-MM-DD Headline'")
    token, headline = match.group(1), collapse_space(match.group(2) or "")
    if token is None:
        raise SourceError(path, line_number, "missing date: expected 'date YYYY-MM-DD Headline'")
    try:
        day = check_calendar_date(token)
    except ValueError as error:
        raise SourceError(path, line_number, str(error)) from None
    if not headline:
        raise SourceError(path, line_number, "missing headline after the date")

    paragraphs = _split_paragraphs(lines[first + 1 :], line_number + 1)
    if paragraphs and collapse_space(paragraphs[0][1]) == headline:
        paragraphs = paragraphs[1:]
    warnings = ()
    if not paragraphs:
        warnings = (Problem(path, line_number, "article has no body text", "warning"),)
    texts = [body for _, body in paragraphs]
    article = Article(
        source_path=path,
        slug=slugify(headline),
        date=day,
        title=headline,
        body_html=paragraphs_html(texts),
        summary=summarize(texts[0]) if texts else "",
        word_count=sum(map(word_count, texts)),
        author=config.author,
        source=reporting_outlet(texts[0]) if texts else None,
    )
    return Parsed(article, warnings)
