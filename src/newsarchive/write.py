"""The only writer of the output folder.

The site is staged in a hidden folder beside the output (`.dist.staging` for `dist`) and swapped in
with one atomic rename, so a failed or killed build leaves the previous site whole. After the swap
the staging folder holds the previous build; the next build updates it in place, writing only the
files whose bytes changed, instead of deleting thousands of files and writing them all again.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsarchive.errors import BuildFailed, display_path


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the site: a relative POSIX path inside the output folder and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Indexer:
    """A last step on the finished site before it goes live (the search index).

    `run` reads the staged site and writes only inside `folder`, which the indexer owns: no output
    may be written there, and the folder is dropped before each run, so the index is always built
    from exactly the pages being published and never keeps a fragment of an older build.
    """

    folder: str
    run: Callable[[Path], None]


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def safe_relative_path(path: str) -> PurePosixPath:
    """Refuse any output path that could leave the output folder."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\0" in path
        or "\\" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
    ):
        raise BuildFailed(f"refusing to write {path!r}: outside the output folder")
    return pure


def lock_path(output: Path) -> Path:
    """The lock beside the output folder; its presence also marks a folder newsarchive has built."""
    return output.parent / f".{output.name}.lock"


def _shown(folder: Path) -> str:
    shown = display_path(folder)
    return "the working folder" if shown == "." else shown


def check_output_folder(output: Path, protected: Iterable[Path], inputs: Iterable[Path] = ()) -> None:
    """The output folder is replaced wholesale, so refuse any folder that holds something else.

    It may not be, or contain, a `protected` folder (the project, its inputs); it may not lie
    inside an `input` (a build inside seeds/ or static/ would be read back next time); and an
    existing folder must be empty or a previous build (one with its lock file beside it).
    """
    target = output.resolve()
    refuse = f"refusing to use {display_path(output)} as the output folder"
    if target == Path(target.anchor):
        raise BuildFailed(f"{refuse}: it is the file system root")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise BuildFailed(f"{refuse}: it would replace {_shown(folder)}")
    for folder in inputs:
        if target.is_relative_to(folder.resolve()):
            raise BuildFailed(f"{refuse}: it is inside the input folder {_shown(folder)}")
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise BuildFailed(f"{refuse}: it is not a folder")
    if output.is_dir() and any(output.iterdir()) and not lock_path(output).exists():
        raise BuildFailed(
            f"{refuse}: it holds files that newsarchive did not write (no {lock_path(output).name} beside it); "
            "empty it or choose another folder"
        )


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused, not queued."""
    lock = lock_path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed(f"another build is writing {display_path(output)} (it holds {display_path(lock)}); try again when it ends") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def swap_in(staging: Path, output: Path) -> None:
    """Make `staging` the output; afterwards `staging` holds the previous output, if any."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        return
    # Without an exchange call there is a moment with no output folder, but never a half one.
    previous = output.parent / f".{output.name}.previous"
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(output, previous)
    os.rename(staging, output)
    os.rename(previous, staging)


def _write_if_changed(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except NotADirectoryError:
        _clear_file_ancestors(target)
        target.write_bytes(data)
    return True


def _clear_file_ancestors(target: Path) -> None:
    """A stale file stands where a folder is now needed: remove it and make the folders."""
    for parent in reversed(target.parents):
        if parent.is_file():
            parent.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)


def _remove_stale(staging: Path, keep: set[str]) -> int:
    removed = 0
    for folder, dirs, files in os.walk(staging, topdown=False):
        rel_folder = Path(folder).relative_to(staging).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        for name in files:
            if prefix + name not in keep:
                os.unlink(os.path.join(folder, name))
                removed += 1
        if folder != str(staging) and not os.listdir(folder):
            os.rmdir(folder)
    return removed


def _drop_folder(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)


def write_site(outputs: Iterable[Output], output: Path, indexer: Indexer | None = None) -> WriteStats:
    """Write every output into the staging folder, drop what no longer exists, index, swap it in."""
    staging = output.parent / f".{output.name}.staging"
    staging.mkdir(parents=True, exist_ok=True)
    written = unchanged = 0
    seen: set[str] = set()
    for item in outputs:
        relative = safe_relative_path(item.path)
        if item.path in seen:
            raise BuildFailed(f"two outputs were written to {item.path}")
        if indexer and relative.parts[0] == indexer.folder:
            raise BuildFailed(f"refusing to write {item.path}: {indexer.folder}/ holds the search index")
        seen.add(item.path)
        if _write_if_changed(staging / relative, item.data):
            written += 1
        else:
            unchanged += 1
    if indexer:
        _drop_folder(staging / indexer.folder)
    removed = _remove_stale(staging, seen)
    if indexer:
        indexer.run(staging)  # on failure it raises, and the live site is left as it was
    swap_in(staging, output)
    return WriteStats(written, unchanged, removed)
