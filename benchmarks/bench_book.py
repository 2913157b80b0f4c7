"""Each chapter executed top to bottom in a fresh kernel (nbclient), as a reader's "Run all" would."""

import pathlib
import statistics
import tempfile
import time

import nbformat
from nbclient import NotebookClient

BOOK = pathlib.Path(__file__).resolve().parent.parent / "book"


def chapters():
    return sorted(p for p in BOOK.glob("*.ipynb"))


def tiny_notebook():
    """A one-cell notebook in a temporary folder, for checking that this benchmark still runs."""
    folder = pathlib.Path(tempfile.mkdtemp())
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import mathnn")])
    nbformat.write(notebook, folder / "tiny.ipynb")
    return folder / "tiny.ipynb"


def run_notebook(path, timeout=300):
    """Seconds to execute the notebook at ``path`` in a fresh kernel, start-up included."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return time.perf_counter() - start


def run(repeats=2, paths=None):
    """Return {chapter name: [seconds per run]}; the first, warm-up run of each chapter is not counted."""
    paths = chapters() if paths is None else paths
    for path in paths:
        run_notebook(path)
    return {path.stem: [run_notebook(path) for _ in range(repeats)] for path in paths}


if __name__ == "__main__":
    results = run()
    for name, times in results.items():
        print(f"{name:<40} {statistics.median(times):6.1f} s")
    print(f"{'whole book':<40} {sum(statistics.median(t) for t in results.values()):6.1f} s")
