"""Behaviour of a whole build on bad input, through the command line as a user runs it:
exit codes, the summary, refused output folders, special files, locks and dangling links."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import text_article
from newsarchive.links import broken_links
from test_e2e import copy_project, run_build

GOOD = text_article("2022-01-01", "Good news")
WARNED = text_article("2999-01-01", "From the future")
BAD = " date 2022-02-30 Impossible\n\nBody.\n"


def tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes | str]:
    """Every file and link under root with its content (a link with its target)."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip and d != "__pycache__"]
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project")
    for old in (root / "seeds").iterdir():
        old.unlink()
    return root


def seed(project: Path, **files: str) -> None:
    for name, text in files.items():
        (project / "seeds" / name).write_text(text, encoding="utf-8")


def test_warnings_only_exit_0_with_the_summary(project: Path) -> None:
    seed(project, **{"a.txt": GOOD, "b.txt": WARNED, "c.txt": BAD, "notes.docx": "x"})
    result = run_build(project)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "seeds/b.txt:1: warning: date 2999-01-01 is in the future",
        "seeds/c.txt:1: impossible date 2022-02-30",
        "seeds/notes.docx: warning: not an article file (known endings: .txt, .md, .markdown, .mdx, .html); skipped",
    ]
    assert "2 articles loaded, 1 file rejected" in result.stdout
    assert "1 error, 2 warnings (listed above)" in result.stdout


def test_strict_fails_on_a_warning_alone(project: Path) -> None:
    seed(project, **{"a.txt": GOOD, "b.txt": WARNED})
    result = run_build(project, "--strict")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "newsarchive: --strict: 1 problem(s) found; nothing was written"
    assert not (project / "dist").exists()


@pytest.mark.parametrize("files", [{}, {"c.txt": BAD}, {"d.md": "---\ntitle: x\n---\n"}], ids=["empty", "txt", "md"])
def test_no_article_loaded_fails(project: Path, files: dict[str, str]) -> None:
    seed(project, **files)
    result = run_build(project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "newsarchive: no article could be loaded from seeds; nothing was written"
    assert "Traceback" not in result.stderr


def test_bad_configuration_exits_2(project: Path) -> None:
    seed(project, **{"a.txt": GOOD})
    (project / "site.yaml").write_text("max_file_size: lots\n", encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "site.yaml:1: max_file_size: must be a whole number, not str",
        "newsarchive: configuration errors; nothing was built",
    ]


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("seeds", "it would replace seeds"),
        (".", "it would replace the working folder"),
        ("..", "it would replace the working folder"),
        ("/", "it is the file system root"),
        ("templates", "it would replace templates"),
        ("seeds/site", "it is inside the input folder seeds"),
        ("static/site", "it is inside the input folder static"),
        ("site.yaml", "it is not a folder"),
        ("mine", "it holds files that newsarchive did not write (no .mine.lock beside it); empty it or choose another folder"),
    ],
)
def test_refused_output_folders(project: Path, output: str, reason: str) -> None:
    seed(project, **{"a.txt": GOOD})
    (project / "mine").mkdir()
    (project / "mine" / "thesis.txt").write_text("years of work", encoding="utf-8")
    before = tree(project.parent)
    result = run_build(project, "--output", output)
    assert result.returncode == 1
    assert result.stderr == f"newsarchive: refusing to use {output} as the output folder: {reason}\n"
    assert tree(project.parent) == before


def test_an_output_folder_may_be_empty_or_a_previous_build(project: Path) -> None:
    seed(project, **{"a.txt": GOOD})
    (project / "fresh").mkdir()
    assert run_build(project, "--output", "fresh").returncode == 0
    seed(project, **{"b.txt": text_article("2022-01-02", "More news")})
    assert run_build(project, "--output", "fresh").returncode == 0
    assert (project / "fresh/2022/01/02/more-news/index.html").is_file()


def test_nothing_is_written_outside_the_output_folder(project: Path) -> None:
    seed(project, **{
        "a.md": "---\ntitle: ../../../escape\ndate: 2022-01-01\nslug: ../../../../tmp/x\ntags: [../../.., /etc, '..', C:\\\\x]\n---\nBody.\n",
        "b.txt": text_article("2022-01-01", "/absolute/path"),
        "c.txt": text_article("2022-01-01", "..\\..\\windows"),
    })
    before = tree(project.parent, skip=("dist", ".dist.staging"))
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    after = tree(project.parent, skip=(".dist.staging",))
    after = {k: v for k, v in after.items() if not k.startswith("project/dist/")}
    new = set(after) - set(before)
    assert {k for k in new if not k.startswith("project/.newsarchive-cache/dist/")} == {"project/.dist.lock"}  # and the build cache
    assert {"project/.newsarchive-cache/dist/sources/00.pickle", "project/.newsarchive-cache/dist/site.pickle"} <= new
    assert {k: v for k, v in after.items() if k in before} == before
    assert (project / "dist/2022/01/01/tmp-x/index.html").is_file()


def test_a_fifo_is_reported_not_waited_for(project: Path) -> None:
    seed(project, **{"a.txt": GOOD})
    os.mkfifo(project / "seeds" / "pipe.txt")
    result = run_build(project)  # a blocked read would hit run_build's timeout
    assert result.returncode == 0
    assert result.stderr == "seeds/pipe.txt: not a regular file; skipped\n"


def test_a_broken_link_and_a_folder_named_like_an_article_are_reported(project: Path) -> None:
    seed(project, **{"a.txt": GOOD})
    (project / "seeds" / "gone.txt").symlink_to("nowhere.txt")
    (project / "seeds" / "folder.txt").mkdir()
    (project / "seeds" / "folder.txt" / "b.txt").write_text(text_article("2022-01-02", "Other news"))
    result = run_build(project)
    assert result.returncode == 0
    assert result.stderr == "seeds/gone.txt: broken symbolic link\n"
    assert (project / "dist/2022/01/02/other-news/index.html").is_file()


def test_a_rejected_article_leaves_no_dangling_link(project: Path) -> None:
    seed(project, **{
        "a.txt": text_article("2022-01-01", "First", "Body."),
        "b.md": "---\ntitle: Second\ndate: 2022-01-02\ntags: [Shared]\n---\nBody.\n",
        "c.txt": text_article("2022-01-03", "Third"),
    })
    assert run_build(project).returncode == 0
    assert (project / "dist/2022/01/02/second/index.html").is_file()
    # The middle article turns bad: its page, day, month slot and tag go, and nothing links there.
    seed(project, **{"b.md": "---\ntitle: Second\ndate: 2022-01-02\ntags: [Shared\n---\nBody.\n"})
    result = run_build(project)
    assert result.returncode == 0 and "1 file rejected" in result.stdout
    dist = project / "dist"
    assert not (dist / "2022/01/02").exists() and not (dist / "tags/shared").exists()
    assert broken_links(dist) == []
    assert "second" not in (dist / "2022/01/03/third/index.html").read_text(encoding="utf-8").lower()


def test_a_build_holding_the_lock_makes_a_second_one_refuse(project: Path) -> None:
    seed(project, **{"a.txt": GOOD})
    assert run_build(project).returncode == 0
    before = tree(project / "dist")
    with open(project / ".dist.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        seed(project, **{"b.txt": text_article("2022-01-02", "More news")})
        result = run_build(project)
    assert result.returncode == 1
    assert result.stderr == "newsarchive: another build is writing dist (it holds .dist.lock); try again when it ends\n"
    assert tree(project / "dist") == before


def test_two_builds_at_once_never_corrupt_the_site(project: Path) -> None:
    for i in range(300):
        seed(project, **{f"a{i:03d}.txt": text_article(f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}", f"Story number {i}")})
    reference = project.parent / "reference"
    assert run_build(project, "--output", str(reference)).returncode == 0
    expected = tree(reference)
    outcomes = []
    for _ in range(3):
        racers = [
            subprocess.Popen([sys.executable, "build.py", "--quiet"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        for racer in racers:
            out, err = racer.communicate(timeout=300)
            outcomes.append(racer.returncode)
            assert racer.returncode == 0 and err == "" or racer.returncode == 1 and "another build is writing dist" in err, err
        assert tree(project / "dist") == expected
    assert 0 in outcomes
