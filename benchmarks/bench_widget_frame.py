"""How long one frame of the TrainingPlayground takes: one training step plus the redraw.

A frame is what happens on every tick of the Play button: one epoch of mini-batch SGD with
mathnn's own code, one forward pass over the decision-boundary grid, and drawing the figure with
the Agg renderer. The target is 50 ms, so that playing looks like motion rather than a slide show.

Three numbers, each the median over ``repeats`` frames after a warm-up:

- ``frame_ms``: what the widget does — the figure's still parts are drawn once and only the moving
  artists are redrawn (blitting), plus a full ``fig.canvas.draw()`` whenever the axes change;
- ``full_redraw_frame_ms``: the same frame with a full ``fig.canvas.draw()`` every time;
- ``frame_with_png_ms``: the widget's frame plus encoding the PNG it sends to the browser.

Run it with ``python benchmarks/bench_widget_frame.py``.
"""

import statistics
import time

import matplotlib

from mathnn import widgets

matplotlib.use("Agg")  # the views draw with Agg in any case; this keeps pyplot off-screen too

TARGET_MS = 50.0


def _timed(frame, repeats, warmup):
    for _ in range(warmup):
        frame()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        frame()
        times.append(1000 * (time.perf_counter() - start))
    return times


def _summary(name, times):
    quartiles = statistics.quantiles(times, n=4) if len(times) > 1 else times * 3
    return {
        f"{name}_median": statistics.median(times),
        f"{name}_min": min(times),
        f"{name}_max": max(times),
        f"{name}_iqr": quartiles[2] - quartiles[0],
    }


def run(repeats=50, points=200, grid=100, warmup=5, seed=0):
    """Time playground frames; returns a dict of timings in milliseconds (median, min, max, iqr of each).

    Parameters
    ----------
    repeats : int, frames timed for each measurement
    points : int, examples in the data set (circles)
    grid : int, the decision boundary is predicted on grid × grid points
    warmup : int, frames run before timing
    """
    settings = widgets.PlaygroundSettings(dataset="circles", hidden=(8, 8), m=points, seed=seed)
    state = widgets.new_playground(settings)
    view = widgets.PlaygroundView(state, grid=grid)

    def frame():
        widgets.train_epochs(state, 1)
        view.update(state).render()

    def full_frame():
        widgets.train_epochs(state, 1)
        view.update(state).render(full=True)

    def png_frame():
        widgets.train_epochs(state, 1)
        view.update(state).png()

    result = {"repeats": repeats, "points": points, "grid": grid, "target_ms": TARGET_MS}
    result.update(_summary("frame_ms", _timed(frame, repeats, warmup)))
    result.update(_summary("full_redraw_frame_ms", _timed(full_frame, repeats, warmup)))
    result.update(_summary("frame_with_png_ms", _timed(png_frame, repeats, warmup)))
    parts = {
        "train_ms": lambda: widgets.train_epochs(state, 1),
        "update_ms": lambda: view.update(state),
        "render_ms": view.render,
    }
    for name, part in parts.items():
        result[f"{name}_median"] = statistics.median(_timed(part, repeats, warmup))
    result["meets_target"] = result["frame_ms_median"] <= TARGET_MS
    return result


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:>28}: {value:.1f}" if isinstance(value, float) else f"{key:>28}: {value}")
