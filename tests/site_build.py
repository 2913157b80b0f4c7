"""Build the book once per test run and share the result between the site tests."""

import fcntl
import json
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"


def build_book():
    """Run ``jupyter-book build . -W -n --keep-going``; return (exit code, its warnings and errors)."""
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    problems = [line for line in output.splitlines() if re.search(r"WARNING|ERROR|Error|Traceback", line)]
    return result.returncode, "\n".join(problems) or output[-4000:]


def build_book_once():
    """:func:`build_book`, once per test run even when pytest-xdist runs the site tests in several workers.

    The workers of one run share ``PYTEST_XDIST_TESTRUNUID``: the first to take the lock builds and
    writes down the result, the others wait for it and read it, so no two builds write ``_build`` at once.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return build_book()
    folder = ROOT / "_build"
    folder.mkdir(exist_ok=True)
    result = folder / "site-build-result.json"
    with open(folder / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            done = {}
        if done.get("run") != run:
            code, output = build_book()
            done = {"run": run, "code": code, "output": output}
            result.write_text(json.dumps(done), encoding="utf-8")
    return done["code"], done["output"]


def toc_pages():
    """The site path of every page the table of contents lists (known before the book is built)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    return [f"{name}.html" for name in files]


def chapters_holding(marker):
    """The site paths of the chapters whose stored outputs contain ``marker`` (e.g. an explorer's class)."""
    return [
        f"book/{path.stem}.html"
        for path in sorted((ROOT / "book").glob("*.ipynb"))
        if marker in path.read_text(encoding="utf-8")
    ]


def pages():
    """Every HTML page of the book proper (not Sphinx's search and index pages)."""
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
