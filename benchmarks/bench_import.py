"""How long ``import mathnn`` takes next to ``import numpy``, each in a fresh interpreter."""

import statistics
import subprocess
import sys

SNIPPET = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(module):
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET.format(module=module)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def run(repeats=15):
    """Return {"numpy": samples, "mathnn": samples}, fresh interpreters taking turns, after one warm-up each."""
    samples = {"numpy": [], "mathnn": []}
    for module in samples:
        import_seconds(module)
    for _ in range(repeats):
        for module in samples:
            samples[module].append(import_seconds(module))
    return samples


if __name__ == "__main__":
    samples = run()
    for module, times in samples.items():
        print(f"import {module:<7} {statistics.median(times) * 1e3:7.1f} ms")
