"""The only writer of the output folder.

The site is staged in a hidden folder beside the output (`.dist.staging` for `dist`) and swapped in
with one atomic rename, so a failed or killed build leaves the previous site whole. After the swap
the staging folder holds the previous build; the next build updates it in place, writing only the
files whose bytes changed, instead of deleting thousands of files and writing them all again.

When the caller knows what each tree holds (`Manifests`: output path -> digest of its bytes, kept
in the build cache by the tree's folder identity, which travels with the folder through the swap),
nothing is read to compare: a file the staging tree already holds is left alone, a file that is
unchanged since the live build (an `Output` without data) is hard-linked from the live tree, and
only new bytes are written. Files are never rewritten in place, since a staged file may be a link
shared with the live site: a changed file is unlinked and written anew.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from newsarchive import parallel
from newsarchive.errors import BuildFailed, display_path
from newsarchive.incremental import bytes_digest


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the site: a relative POSIX path inside the output folder and its bytes.

    Without bytes, the file is the live site's file at the same path, whose digest is `digest`,
    unless it is `staged`.
    """

    path: str
    data: bytes | None
    digest: str = ""
    staged: bool = False  # already written into a fresh staging tree (see write_new): `digest` is of its bytes

    def bytes_digest(self) -> str:
        return self.digest or bytes_digest(self.data or b"")


TreeId = tuple[int, int]
Manifest = dict[str, str]  # output path -> digest of its bytes
Manifests = dict[TreeId, Manifest]


def tree_id(folder: Path) -> TreeId | None:
    """Identity of a folder (device, inode): it moves with the folder through the swap."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


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
    linked: int = 0  # unchanged since the live build: hard-linked from it


def check_relative_path(path: str) -> str:
    """Refuse any output path that could leave the output folder (strings only: it runs per file)."""
    parts = path.split("/")
    if not path or "\0" in path or "\\" in path or "" in parts or "." in parts or ".." in parts:  # "" also catches a leading "/"
        raise BuildFailed(f"refusing to write {path!r}: outside the output folder")
    return path


def safe_relative_path(path: str) -> PurePosixPath:
    return PurePosixPath(check_relative_path(path))


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


def _write_if_changed(target: Path, data: bytes, compare: bool = True) -> bool:
    try:
        if compare and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
        target.unlink()  # never write in place: the file may be a hard link shared with the live site
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if not target.is_dir():
            raise
        shutil.rmtree(target)
    except NotADirectoryError:
        pass
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except NotADirectoryError:
        _clear_file_ancestors(target)
        target.write_bytes(data)
    return True


def _link(source: Path, target: Path) -> None:
    """Give `target` the live file's bytes by a hard link (a copy where links are not supported)."""
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except NotADirectoryError:
        _clear_file_ancestors(target)
    except (IsADirectoryError, PermissionError):
        if not target.is_dir():
            raise
        shutil.rmtree(target)
    try:
        os.link(source, target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def _clear_file_ancestors(target: Path) -> None:
    """A stale file stands where a folder is now needed: remove it and make the folders."""
    for parent in reversed(target.parents):
        if parent.is_file():
            parent.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)


def _remove_listed(staging: Path, paths: Iterable[str]) -> int:
    """Delete files the staging tree's manifest lists but the site no longer has, and emptied folders."""
    removed = 0
    for path in sorted(paths, reverse=True):
        target = staging / path
        try:
            target.unlink()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue
        removed += 1
        for parent in target.parents:
            if parent == staging:
                break
            try:
                parent.rmdir()
            except OSError:
                break
    return removed


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


def _same_pages(made: Manifest, published: Manifest) -> bool:
    """Whether the HTML pages (what a search index is made from) are those of the live site."""
    pages = {path: digest for path, digest in made.items() if path.endswith(".html")}
    return pages == {path: digest for path, digest in published.items() if path.endswith(".html")}


def _link_tree(source: Path, target: Path) -> None:
    """Hard links in `target` to every file under `source` (a folder the indexer owns)."""
    for folder, _dirs, names in os.walk(source):
        inside = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, inside), exist_ok=True)
        for name in names:
            _link(Path(folder, name), Path(target, inside, name))


def _drop_folder(folder: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)


def _place(stage: str, path: str, data: bytes | None, live: str, fresh: bool) -> bool:
    """Put one file into the staging tree: `data`, or a hard link to the live file. True if written.

    `fresh`: the staging tree was just made (see _create_new). Otherwise, or when something stands
    in the way (a stale file where a folder is needed), the careful pathlib way.
    """
    target = f"{stage}/{path}"
    if not fresh:
        if data is None:
            _link(Path(f"{live}/{path}"), Path(target))
            return False
        return _write_if_changed(Path(target), data, compare=False)
    if data is None:
        made = _create_new(target, lambda where: os.link(f"{live}/{path}", where))
    else:
        made = write_new(stage, path, data)
    return data is not None if made else _place(stage, path, data, live, fresh=False)


def write_new(stage: str, path: str, data: bytes) -> bool:
    """Write `path` into a staging tree that was just made (see _create_new). Render workers call
    it too, in a first or clean build (pipeline.py)."""
    return _create_new(f"{stage}/{check_relative_path(path)}", lambda target: _write_exclusive(target, data))


def _write_exclusive(target: str, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _create_new(target: str, create: Callable[[str], None]) -> bool:
    """`create(target)` in a staging tree that was just made, where nothing stands in the way: the
    common case in a first or clean build, once per file, so plain os calls on strings. False,
    with nothing made, when something does stand there: the caller then takes the careful way,
    or reports two outputs at one path."""
    for attempt in (1, 2):
        try:
            create(target)
            return True
        except FileNotFoundError:  # its folder is not made yet
            if attempt == 2:
                return False
            try:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            except OSError:
                return False
        except OSError:
            return False
    return False


def mirror(output: Path, manifest: Manifest, jobs: int = 1) -> Manifest:
    """Make a staging tree of hard links to every file of the live output that `manifest` lists.

    After a first or clean build no staging tree is left (the staged one became the output), and
    the next build would have to make one file by file; making it here, at the end of the long
    build, keeps the next edit's rebuild short. The links are made in `jobs` processes: it is
    system time, spent in folders apart. Returns the new tree's manifest.
    """
    staging = staging_folder(output)
    staging.mkdir(parents=True)
    paths = [check_relative_path(path) for path in manifest]
    for _ in parallel.map_chunks(_link_all, (os.fspath(output), os.fspath(staging)), paths, jobs):
        pass
    return dict(manifest)


def _link_all(trees: tuple[str, str], paths: Sequence[str]) -> None:
    live, stage = trees
    for path in paths:
        _place(stage, path, None, live, fresh=True)


def staging_folder(output: Path) -> Path:
    return output.parent / f".{output.name}.staging"


def discard_staging(output: Path) -> None:
    """Set the staging folder aside, when what it holds is not known, and have it deleted in the
    background: deleting thousands of files takes seconds, which nobody should wait for. What is
    left aside when the process ends is deleted by the next build."""
    staging = staging_folder(output)
    trash = output.parent / f".{output.name}.trash"
    if staging.is_dir() and not staging.is_symlink():
        trash.mkdir(exist_ok=True)
        os.rename(staging, trash / f"{os.getpid()}-{time.monotonic_ns()}")
    empty_trash(output)


def empty_trash(output: Path) -> None:
    trash = output.parent / f".{output.name}.trash"
    if trash.is_dir():
        threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True}, name="empty-trash", daemon=True).start()


def write_site(outputs: Iterable[Output], output: Path, indexer: Indexer | None = None,
               manifests: Manifests | None = None, keep: Callable[[Manifests], None] | None = None) -> WriteStats:
    """Write every output into the staging folder, drop what no longer exists, index, swap it in.

    With `manifests` (what each tree held, by TreeId; see the module's doc) only the differences
    are touched; on return it describes the trees as they now are. `keep` must store them durably:
    it is called once the staging tree's manifest is dropped and before that tree is changed, so
    that a build killed half-way never leaves a manifest that lies.
    """
    staging = staging_folder(output)
    fresh = not staging.exists()
    staging.mkdir(parents=True, exist_ok=True)
    published = manifests.get(tree_id(output)) if manifests is not None else None  # type: ignore[arg-type]
    staged = manifests.pop(tree_id(staging), None) if manifests is not None else None  # type: ignore[arg-type]
    if fresh:
        staged = {}
    if manifests is not None and keep is not None:
        keep(manifests)  # from here on the staging tree changes: it has no manifest until the swap
    live, stage = os.fspath(output), os.fspath(staging)
    written = unchanged = linked = 0
    made: Manifest = {}
    for item in outputs:
        path = check_relative_path(item.path)
        if path in made:
            raise BuildFailed(f"two outputs were written to {path}")
        if indexer and path.split("/", 1)[0] == indexer.folder:
            raise BuildFailed(f"refusing to write {path}: {indexer.folder}/ holds the search index")
        digest = made[path] = item.bytes_digest()
        if item.staged:
            if not fresh:
                raise BuildFailed(f"internal error: {path} was written into a staging tree that was not new")
            written += 1
        elif staged is not None and staged.get(path) == digest:
            unchanged += 1
        elif staged is None and item.data is not None:
            if _write_if_changed(staging / path, item.data):
                written += 1
            else:
                unchanged += 1
        elif _place(stage, path, item.data, live, fresh):
            written += 1
        else:
            linked += 1
    if indexer:
        _drop_folder(staging / indexer.folder)
    if staged is not None:
        removed = _remove_listed(staging, (path for path in staged if path not in made))
    else:
        removed = _remove_stale(staging, set(made))
    if indexer:
        if published is not None and _same_pages(made, published) and (output / indexer.folder).is_dir():
            _link_tree(output / indexer.folder, staging / indexer.folder)  # no page changed: the live index still fits
        else:
            indexer.run(staging)  # on failure it raises, and the live site is left as it was
    swap_in(staging, output)
    if manifests is not None:
        previous = manifests.get(tree_id(staging))  # type: ignore[arg-type]  # the old live tree, now staging
        manifests.clear()
        manifests[tree_id(output)] = made  # type: ignore[index]
        if previous is not None:
            manifests[tree_id(staging)] = previous  # type: ignore[index]
    return WriteStats(written, unchanged, removed, linked)
