"""Build the book once per test run and share the result between the site tests."""

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
