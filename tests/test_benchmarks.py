"""The benchmark code keeps working: every benchmark runs once on tiny sizes (a smoke test, not a timing)."""

import subprocess
import sys

from tests.site_build import ROOT


def test_every_benchmark_runs_on_tiny_sizes_and_prints_its_table():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    for row in (
        "training step, batch 8: mathnn",
        "mathnn / PyTorch eager",
        "mathnn / bare numpy",
        "capstone: 10 epochs on circles, mathnn",
        "mathnn / bare numpy (chapter 7)",
        "lowest test accuracy of the three",
        "loops / vectorized",
        "TrainingPlayground frame",
        "descent_twin, step: drawn, next frame",
        "minibatch_twin, batch: drawn, next frame",
        "slowest drawing / one frame at 60 Hz",
        "import mathnn / import numpy",
        "chapter tiny",
        "whole book",
    ):
        assert row in table, f"{row!r} missing from:\n{table}"
