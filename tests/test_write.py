"""The writer: atomic swap, nothing outside the output folder, only changed bytes written."""

import os
from pathlib import Path

import pytest

from newsarchive.errors import BuildFailed
from newsarchive.incremental import bytes_digest
from newsarchive.write import Output, check_output_folder, output_lock, tree_id, write_new, write_site


@pytest.mark.parametrize("bad", ["../x.html", "/etc/passwd", "a/../../x", "a\\..\\x", "a\0b", "", "a//b", "./a"])
def test_refuses_paths_outside_the_output_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(BuildFailed, match="outside the output folder"):
        write_site([Output(bad, b"x")], tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_swaps_in_and_only_rewrites_changed_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    first = write_site([Output("a/index.html", b"1"), Output("b.css", b"2")], dist)
    assert (first.written, first.unchanged, first.removed) == (2, 0, 0)
    write_site([Output("a/index.html", b"1"), Output("b.css", b"2")], dist)
    third = write_site([Output("a/index.html", b"1"), Output("c.css", b"3")], dist)
    assert (third.written, third.unchanged, third.removed) == (1, 1, 1)
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()) == ["a/index.html", "c.css"]


def test_a_failing_build_leaves_the_previous_site(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_site([Output("index.html", b"old")], dist)

    def outputs():
        yield Output("index.html", b"new")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_site(outputs(), dist)
    assert (dist / "index.html").read_bytes() == b"old"
    write_site([Output("index.html", b"newer")], dist)
    assert [p.name for p in dist.iterdir()] == ["index.html"] and (dist / "index.html").read_bytes() == b"newer"


def test_pages_written_ahead_into_the_new_staging_tree_are_taken_as_written(tmp_path: Path) -> None:
    """What render workers do in a first or clean build (pipeline._render_chunk)."""
    dist, stage = tmp_path / "dist", os.fspath(tmp_path / ".dist.staging")

    def outputs():  # write_site has made the staging folder by the time the first output is asked for
        assert write_new(stage, "a/index.html", b"page")
        assert not write_new(stage, "a/index.html", b"again"), "something stands there: the writer's careful way decides"
        yield Output("a/index.html", None, bytes_digest(b"page"), staged=True)
        yield Output("b.css", b"x")

    manifests: dict = {}
    stats = write_site(outputs(), dist, manifests=manifests)
    assert (stats.written, stats.linked) == (2, 0) and (dist / "a/index.html").read_bytes() == b"page"
    assert manifests == {tree_id(dist): {"a/index.html": bytes_digest(b"page"), "b.css": bytes_digest(b"x")}}
    with pytest.raises(BuildFailed, match="outside the output folder"):
        write_new(stage, "../x.html", b"x")
    os.mkdir(stage)  # an existing staging tree is updated in place: nothing may claim to be written ahead into it
    with pytest.raises(BuildFailed, match="internal error"):
        write_site([Output("c.css", None, bytes_digest(b"y"), staged=True)], dist)


def test_a_file_can_become_a_folder_and_back(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    write_site([Output("x", b"file")], dist)
    write_site([Output("x/index.html", b"page")], dist)
    write_site([Output("x", b"file")], dist)
    write_site([Output("x/index.html", b"page")], dist)
    assert (dist / "x" / "index.html").read_bytes() == b"page"


@pytest.mark.parametrize("protected", ["seeds", ".", "project"])
def test_output_folder_may_not_hold_the_inputs(tmp_path: Path, protected: str) -> None:
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    output = {"seeds": project / "seeds", ".": project, "project": tmp_path}[protected]
    with pytest.raises(BuildFailed, match="refusing"):
        check_output_folder(output, [project / "seeds", project])


def test_a_second_concurrent_build_is_refused(tmp_path: Path) -> None:
    with output_lock(tmp_path / "dist"):
        with pytest.raises(BuildFailed, match="another build"):
            with output_lock(tmp_path / "dist"):
                pass
