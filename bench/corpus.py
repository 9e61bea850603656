"""A deterministic benchmark corpus: N news articles over several years, written for each generator.

The same articles (same dates, headlines, tags and paragraphs) are written three ways:
  newsarchive  seeds/: 90 % in the text format (no tags), 10 % Markdown with front matter and tags
  hugo         content/posts/*.md with YAML front matter (title, date, slug, tags, year/month/day)
  pelican      content/*.md with Pelican's metadata lines
Text mixes Latin, Azerbaijani, Cyrillic and CJK words with Zipf-like frequencies over 30,000 words,
one in four from the story's topic (so related articles have something to find); lengths vary like
real news (150 to 1,500 words).

    python bench/corpus.py N OUT_DIR   # writes OUT_DIR/newsarchive, OUT_DIR/hugo, OUT_DIR/pelican
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# The most common words, as before: the text still reads like a multilingual wire.
COMMON_WORDS = (
    "the council approved budget minister said government parliament energy gas pipeline region "
    "peace talks agreement border election vote economy bank inflation market oil price export "
    "report week year city people school hospital water road bridge court judge law reform "
    "Azərbaycan Bakı şəhər iqtisadiyyat hökumət nazir Gəncə Sumqayıt xəbər məlumat "
    "Москва правительство министр экономика выборы переговоры соглашение граница "
    "北京 上海 政府 经济 会议 Zürich São Kraków Ελλάδα İstanbul"
).split()
# Below them, a long tail of made-up words in Latin, Azerbaijani, Cyrillic and CJK script. Real
# news uses tens of thousands of distinct words with Zipf-like frequencies, and stories on one
# subject share rarer words: related articles (TF-IDF) find nothing to relate in 60 words that
# every article uses, so a corpus without a tail measures a site with no related lists.
VOCABULARY_SIZE = 30_000
TOPICS = 400  # subjects; each story is about one and takes a share of its words from it
TOPIC_WORDS = 40
TOPIC_EVERY = 4  # one word in four is the topic's
_SYLLABLES = ("ka lo mir sen tor va ne ri sta gor bel an du pre vik zu lan ol tes mar ko si "
              "ru den ya bor ek fil ha in ju lek mo nu pa qu rus sol tu ve").split()
_TO_CYRILLIC = str.maketrans("abdefghijklmnoprstuvyzq", "абдефгхийклмнопрстувызк")
_TO_AZERBAIJANI = str.maketrans("aeiouc", "əeıöüç")
_HAN = "国家人民会议经济市场银行能源石油天然气管道地区和平谈判协议边界选举投票改革法院法官学校医院城市道路桥梁水报告"


def _tail_word(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    script = rng.random()
    if script < 0.15:
        return word.translate(_TO_CYRILLIC)
    if script < 0.25:
        return word.translate(_TO_AZERBAIJANI)
    if script < 0.3:
        return "".join(rng.choice(_HAN) for _ in range(2))
    return word


def _vocabulary(seed: int = 7) -> tuple[list[str], list[float], list[list[str]]]:
    """Words by rank, their cumulative Zipf weights (1/rank), and each topic's words."""
    rng = random.Random(seed)
    words = list(COMMON_WORDS)
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:
        word = _tail_word(rng)
        if word not in seen:
            seen.add(word)
            words.append(word)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    # A topic's words are drawn from the middle of the tail: rare overall, common in its stories.
    topics = [rng.sample(words[500:], TOPIC_WORDS) for _ in range(TOPICS)]
    return words, cumulative, topics


WORDS, _CUMULATIVE, _TOPIC_WORDS = _vocabulary()
TAGS = [f"{w}" for w in (
    "Politics Economy Energy Culture Sport Health Education Science Technology World Region Society "
    "Diplomacy Transport Environment Justice Business Media Agriculture Security Azərbaycan Москва 北京"
).split()]
START = dt.date(2012, 1, 1)
# Written beside a generated corpus: run.py makes a corpus again when it was made by another version.
VERSION = "2: Zipf vocabulary with topics"


@dataclass(frozen=True)
class Story:
    number: int
    date: dt.date
    title: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    markdown: bool


def _words(rng: random.Random, count: int, topic: list[str]) -> list[str]:
    """`count` words: most from the whole vocabulary by frequency, one in TOPIC_EVERY from the story's topic."""
    words = rng.choices(WORDS, cum_weights=_CUMULATIVE, k=count)
    start = rng.randrange(TOPIC_EVERY)
    words[start::TOPIC_EVERY] = rng.choices(topic, k=len(range(start, count, TOPIC_EVERY)))
    return words


def _sentence(rng: random.Random, topic: list[str]) -> str:
    words = _words(rng, rng.randint(8, 22), topic)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


LAST = dt.date(2025, 12, 31)  # no article is dated in the future (that would be a warning for each)


def stories(n: int, seed: int = 6) -> Iterator[Story]:
    """N stories spread over about 200 days per 1,000 articles (at least four years, at most until
    LAST: a million articles are about 190 a day), oldest first. A generator: 10^6 stories do not
    fit in memory comfortably."""
    rng = random.Random(seed)
    days = min(max(4 * 365, n // 5), (LAST - START).days)
    for number in range(n):
        date = START + dt.timedelta(days=number * days // n)
        topic = _TOPIC_WORDS[rng.randrange(TOPICS)]
        title = " ".join(_words(rng, rng.randint(5, 12), topic)).capitalize() + f" {number}"
        words = int(rng.lognormvariate(6.0, 0.5))  # median ~400 words, long tail
        paragraphs = []
        count = 0
        while count < max(150, min(words, 1500)):
            paragraph = " ".join(_sentence(rng, topic) for _ in range(rng.randint(1, 4)))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        tags = tuple(dict.fromkeys(rng.choice(TAGS) for _ in range(rng.randint(1, 4))))
        yield Story(number, date, title, tags, tuple(paragraphs), markdown=number % 10 == 0)


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_newsarchive(story: Story, seeds: Path) -> None:
    folder = seeds / f"{story.date.year}" / f"{story.date.month:02d}"
    body = "\n\n".join(story.paragraphs)
    if story.markdown:
        tags = ", ".join(_yaml_text(t) for t in story.tags)
        text = f"---\ntitle: {_yaml_text(story.title)}\ndate: {story.date.isoformat()}\ntags: [{tags}]\n---\n{body}\n"
        name = f"{story.number:07d}.md"
    else:
        text = f" date {story.date.isoformat()} {story.title}\n\n{story.title}\n\n{body}\n"
        name = f"{story.number:07d}.txt"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def write_hugo(story: Story, content: Path) -> None:
    tags = ", ".join(_yaml_text(t) for t in story.tags) if story.markdown else ""
    d = story.date
    front = (
        f"---\ntitle: {_yaml_text(story.title)}\ndate: {d.isoformat()}\nslug: \"a{story.number}\"\n"
        f"tags: [{tags}]\nyears: [\"{d.year}\"]\nmonths: [\"{d.year}-{d.month:02d}\"]\ndays: [\"{d.isoformat()}\"]\n---\n"
    )
    (content / f"{story.number:07d}.md").write_text(front + "\n\n".join(story.paragraphs) + "\n", encoding="utf-8")


def write_pelican(story: Story, content: Path) -> None:
    lines = [f"Title: {story.title}", f"Date: {story.date.isoformat()}", f"Slug: a{story.number}"]
    if story.markdown:
        lines.append("Tags: " + ", ".join(story.tags))
    (content / f"{story.number:07d}.md").write_text("\n".join(lines) + "\n\n" + "\n\n".join(story.paragraphs) + "\n", encoding="utf-8")


WRITERS = {"newsarchive": ("newsarchive/seeds", write_newsarchive), "hugo": ("hugo/content/posts", write_hugo),
           "pelican": ("pelican/content", write_pelican)}  # fmt: skip


def write_corpus(n: int, out: Path, generators: Iterable[str] = tuple(WRITERS), only: Iterable[int] | None = None) -> None:
    """The same N stories in each generator's input format (only for `generators`); with `only`,
    just the stories of those numbers, as the whole corpus has them (to undo the benchmark's edits)."""
    targets = [(out / WRITERS[name][0], WRITERS[name][1]) for name in generators]
    for folder, _ in targets:
        folder.mkdir(parents=True, exist_ok=True)
    wanted = None if only is None else set(only)
    for story in stories(n):
        if wanted is None or story.number in wanted:
            for folder, write in targets:
                write(story, folder)
        if wanted is not None and story.number >= max(wanted, default=-1):
            break


if __name__ == "__main__":
    write_corpus(int(sys.argv[1]), Path(sys.argv[2]))
