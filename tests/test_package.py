"""The package loads light, its layers stay apart, and its public surface is where the book says."""

import ast
import pathlib
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).parent.parent / "mathnn"
CORE = ["activations", "losses", "layers", "network", "optim", "data", "gradcheck", "validate"]
TEACHING = {"symbolic", "plots", "diagrams", "graph", "widgets", "exercises"}  # and every submodule of them
HEAVY = {"sympy", "matplotlib", "ipywidgets", "PIL"}


def imported_modules(source):
    """Every module a source imports, as dotted names: ``from mathnn import losses, plots`` gives both
    ``mathnn.losses`` and ``mathnn.plots``; imports inside functions count too."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # a relative import: from . import plots, from .widgets import x
                base = ".".join(["mathnn", *([node.module] if node.module else [])])
            else:
                base = node.module
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ) and node.args and isinstance(node.args[0], ast.Constant):
            names.add(str(node.args[0].value))
    return names


def teaching_imports(source):
    """The teaching modules and heavy libraries among a source's imports, sorted."""
    found = set()
    for name in imported_modules(source):
        parts = name.split(".")
        if parts[0] in HEAVY:
            found.add(parts[0])
        elif parts[0] == "mathnn" and len(parts) > 1 and parts[1] in TEACHING:
            found.add(f"mathnn.{parts[1]}")
    return sorted(found)


def test_import_mathnn_loads_numpy_alone():
    check = "import mathnn, sys; heavy = {'sympy', 'matplotlib', 'ipywidgets', 'torch', 'PIL'} & set(sys.modules); print(sorted(heavy))"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize("name", CORE)
def test_the_core_never_imports_the_teaching_layer(name):
    assert teaching_imports((ROOT / f"{name}.py").read_text(encoding="utf-8")) == [], name


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from mathnn import losses, plots", ["mathnn.plots"]),
        ("import numpy as np\nfrom mathnn import validate\n\ndef f():\n    from mathnn.widgets import descent\n",
         ["mathnn.widgets"]),
        ("import mathnn.exercises._harness", ["mathnn.exercises"]),
        ("from mathnn.symbolic.forms import derivative", ["mathnn.symbolic"]),
        ("import matplotlib.pyplot as plt", ["matplotlib"]),
        ("from . import plots", ["mathnn.plots"]),
        ("import importlib\nimportlib.import_module('sympy')", ["sympy"]),
        ("from mathnn import losses\nimport numpy\n# from mathnn import plots", []),  # a comment imports nothing
        ('"""Unlike mathnn.plots, this needs numpy alone."""\nfrom mathnn.validate import lookup', []),
    ],
)
def test_the_layering_check_reads_real_imports(source, found):
    assert teaching_imports(source) == found


def test_the_layering_check_fails_on_a_core_module_that_imports_plots(tmp_path):
    network = (ROOT / "network.py").read_text(encoding="utf-8")
    broken = network.replace("import numpy as np\n", "import numpy as np\n\nfrom mathnn import losses, plots\n", 1)
    assert broken != network
    assert teaching_imports(broken) == ["mathnn.plots"]


def test_every_teaching_module_is_known_to_the_check():
    packages = {path.name for path in ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    modules = {path.stem for path in ROOT.glob("*.py")} - {"__init__"}
    assert packages | modules == set(CORE) | TEACHING, "a new module must be listed as core or teaching here"


def test_the_package_lists_its_subpackages_for_installation():
    text = (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")
    packages = sorted(f"mathnn.{path.name}" for path in ROOT.iterdir() if (path / "__init__.py").exists())
    for package in packages:
        assert f'"{package}"' in text, f"pyproject.toml must list {package} under [tool.setuptools] packages"


@pytest.mark.parametrize(
    "name",
    ["explorers", "shapes", "site"],
)
def test_old_homes_are_gone(name):
    assert not (ROOT / f"{name}.py").exists(), f"mathnn/{name}.py was folded into mathnn/widgets/"


def test_an_installed_mathnn_ships_and_reads_every_twin_script(tmp_path):
    """The twins' scripts are package data: a wheel built from the tree, as pip builds one from a clean clone,
    holds every ``.js`` beside the widget modules, and that installed copy reads each one the code asks for."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source / "mathnn", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT.parent / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(source), "-w",
         str(tmp_path / "dist")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    installed = tmp_path / "installed"
    with zipfile.ZipFile(next((tmp_path / "dist").glob("mathnn-*.whl"))) as wheel:
        shipped = sorted(name for name in wheel.namelist() if name.endswith(".js"))
        wheel.extractall(installed)  # installing a pure-Python wheel is unpacking it on the path
    scripts = sorted(path.name for path in (ROOT / "widgets").glob("*.js"))
    asked = sorted(set(re.findall(r'script_text\("([\w.]+)"\)', "".join(
        path.read_text(encoding="utf-8") for path in ROOT.rglob("*.py")))))
    assert scripts and shipped == [f"mathnn/widgets/{name}" for name in scripts]
    assert set(asked) <= set(scripts), "a twin asks for a script that is not in mathnn/widgets/"
    check = (f"import sys; sys.path.insert(0, {str(installed)!r})\n"
             "from mathnn.widgets import _canvas\n"
             f"assert _canvas.__file__.startswith({str(installed)!r}), _canvas.__file__\n"
             f"print(min(len(_canvas.script_text(name)) for name in {asked!r}))")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > 1000
