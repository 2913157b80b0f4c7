"""The package loads light and its public surface is where the book says."""

import subprocess
import sys


def test_import_mathnn_loads_numpy_alone():
    check = "import mathnn, sys; heavy = {'sympy', 'matplotlib', 'ipywidgets', 'torch'} & set(sys.modules); print(sorted(heavy))"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_core_never_imports_the_teaching_layer():
    import pathlib

    core = ["activations", "losses", "layers", "network", "optim", "data", "gradcheck", "validate"]
    root = pathlib.Path(__file__).parent.parent / "mathnn"
    for name in core:
        text = (root / f"{name}.py").read_text()
        for teaching in ("symbolic", "plots", "widgets", "explorers", "sympy", "matplotlib", "ipywidgets"):
            assert f"import {teaching}" not in text and f"mathnn.{teaching}" not in text, (name, teaching)
