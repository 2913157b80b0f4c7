"""Run every benchmark and print one table of ratios with the targets beside them.

    python -m benchmarks          # the full run (a few minutes)
    python -m benchmarks --quick  # tiny sizes, to check that the benchmark code still runs

All contenders run single-threaded (BLAS and PyTorch): on a small shared machine, threads for
matrices this small only add noise, and one thread each keeps the comparison fair.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402

from benchmarks import (  # noqa: E402
    bench_book,
    bench_capstone,
    bench_import,
    bench_page_ready,
    bench_training_step,
    bench_twin_paint,
    bench_vectorization,
    bench_widget_frame,
)


def measure(quick=False):
    """Return the table's rows: (measurement, value, target, met)."""
    import torch

    torch.set_num_threads(1)
    rows = []

    steps = bench_training_step.run(
        batch_sizes=(32, 1000) if not quick else (8,), repeats=30 if not quick else 2, number=50 if not quick else 1
    )
    by = {(m, name): (median, spread) for m, name, median, spread in steps}
    for m in sorted({m for m, _, _, _ in steps}):
        ours, bare, torch_ = by[(m, "mathnn")], by[(m, "bare numpy")], by[(m, "PyTorch")]
        strict = m == 32
        rows.append((f"training step, batch {m}: mathnn", f"{ours[0] * 1e6:.0f} µs ±{ours[1]:.0%}", "", None))
        ratio = ours[0] / torch_[0]
        rows.append(
            ("  mathnn / PyTorch eager", f"{ratio:.2f}×", "≤ 0.7×" if strict else "", ratio <= 0.7 if strict else None)
        )
        ratio = ours[0] / bare[0]
        rows.append(
            ("  mathnn / bare numpy", f"{ratio:.2f}×", "≤ 1.3×" if strict else "", ratio <= 1.3 if strict else None)
        )

    capstone = bench_capstone.run(repeats=9 if not quick else 1, epochs=bench_capstone.EPOCHS if not quick else 1,
                                  m=1000 if not quick else 100)
    ours, bare, torch_ = (capstone[name] for name in ("mathnn", "bare numpy", "PyTorch"))
    rows.append(("capstone: 10 epochs on circles, mathnn", f"{ours[0] * 1e3:.0f} ms ±{ours[1]:.0%}", "", None))
    for label, other, limit in (("  mathnn / PyTorch eager", torch_, 0.7),
                                ("  mathnn / bare numpy (chapter 7)", bare, 1.2)):
        ratio = ours[0] / other[0]
        rows.append((label, f"{ratio:.2f}×", f"≤ {limit}×", ratio <= limit if not quick else None))
    lowest = min(acc for _, _, acc in capstone.values())
    rows.append(("  lowest test accuracy of the three", f"{lowest:.1%}", f"≥ {bench_capstone.TARGET:.0%}",
                 lowest >= bench_capstone.TARGET if not quick else None))

    vec = bench_vectorization.run(m=1000 if not quick else 10, repeats=5 if not quick else 1)
    speedup = vec["loops"][0] / vec["vectorized"][0]
    rows.append(("forward pass, 1000 examples: loops / vectorized", f"{speedup:.0f}×", "≥ 100×", speedup >= 100))

    frame = bench_widget_frame.run(
        repeats=30 if not quick else 1,
        points=200 if not quick else 20,
        grid=100 if not quick else 10,
        warmup=3 if not quick else 1,
    )
    median, iqr = frame["frame_ms_median"], frame["frame_ms_iqr"]
    rows.append(
        ("TrainingPlayground frame (1 epoch + redraw)", f"{median:.1f} ms ±{iqr / median:.0%}", "≤ 50 ms", median <= 50)
    )
    rows.append(("  the same with a PNG sent to the browser", f"{frame['frame_with_png_ms_median']:.1f} ms", "", None))

    rows.extend(bench_twin_paint.rows(bench_twin_paint.run(repeats=60 if not quick else 2)))

    imports = bench_import.run(repeats=15 if not quick else 1)
    ratio = statistics.median(imports["mathnn"]) / statistics.median(imports["numpy"])
    rows.append(("import mathnn / import numpy", f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2))

    chapters = bench_book.chapters() if not quick else [bench_book.tiny_notebook()]
    if chapters:
        book = bench_book.run(repeats=2 if not quick else 1, paths=chapters)
        for name, times in book.items():
            rows.append((f"chapter {name}", f"{statistics.median(times):.1f} s", "", None))
        total = sum(statistics.median(t) for t in book.values())
        rows.append(
            ("whole book, Run all", f"{total:.1f} s", "≤ 60 s" if not quick else "", total <= 60 if not quick else None)
        )
    pages = bench_page_ready.run(repeats=3) if not quick else bench_page_ready.run(repeats=1, paths=["book/index.html"])
    if pages is None:
        rows.append(("page ready (request to page and math finished)", "not measured", "", None))
        rows.append(("  needs the built book (make book) and Chromium", "", "", None))
    else:
        for path, (ms_text, ms_math) in pages.items():
            rows.append((f"page {path}: text, ready", f"{ms_text:.0f} ms, {ms_math:.0f} ms", "", None))
        slowest = max(ms_math for _, ms_math in pages.values())
        rows.append(("slowest page, request to ready with math", f"{slowest:.0f} ms", "≤ 1500 ms", slowest <= 1500))
    return rows


def table(rows):
    lines = [
        f"measured {datetime.date.today()} on {platform.machine()} with {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, one thread per contender",
        "",
        f"| {'measurement':<48} | {'result':<18} | {'target':<8} | met |",
        f"|{'-' * 50}|{'-' * 20}|{'-' * 10}|-----|",
    ]
    for name, value, target, met in rows:
        mark = "" if met is None else ("yes" if met else "NO")
        lines.append(f"| {name:<48} | {value:<18} | {target:<8} | {mark:<3} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that every benchmark runs")
    args = parser.parse_args()
    print(table(measure(quick=args.quick)))


if __name__ == "__main__":
    main()
