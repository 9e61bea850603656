"""Problems found in the user's input, reported as `path:line: message`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one input file; `line` is 1-based, None for the whole file."""

    path: str
    line: int | None
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class SourceError(Exception):
    """Raised by a parser for a file it cannot turn into an article."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(path, line, message)

    def __str__(self) -> str:
        return str(self.problem)


class ConfigError(Exception):
    """The site configuration is invalid; every bad key is listed at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class BuildFailed(Exception):
    """The build was stopped: a usage error, --strict problems, or nothing to publish."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
