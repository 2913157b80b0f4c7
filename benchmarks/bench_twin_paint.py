"""Input to paint of the site twins that compute in the page: from moving a control to the next frame, in Chromium.

Every twin with ``mathnnState()`` (the loss, softmax-loss, learning-race, gradient-descent and
mini-batch explorers, the training playground) sits on one page served from this machine. For each of
its controls a reader moves (a slider, a menu, a Step button), the control is moved ``repeats`` times, each time at a
different moment of a frame (the k-th input comes (7k mod 16) ms after a frame starts), and two
times are read from the page's own clock:

- ``drawn``: from the input event to the end of its handler: the twin computes and draws synchronously;
- ``frame``: from the input event to the end of the next frame (``requestAnimationFrame``, then a task):
  the new picture is on the screen. At 60 frames a second a frame lasts 16.7 ms, so a twin whose
  drawing is done within the frame it was asked in shows it in the next one.

The medians are reported; the target is a drawing within one frame, ``drawn`` ≤ 16 ms. Needs
Playwright and Chromium; ``run`` returns None without them. The same measurement as the widget
tests' (``tests/twin_page.py``).

Run it with ``python -m benchmarks.bench_twin_paint``.
"""

import pathlib
import statistics
import tempfile

from benchmarks.bench_page_ready import chromium, serve

TARGET_MS = 16.0
# chapter 7's playground
PLAYGROUND_SETTINGS = {"dataset": "circles", "hidden": (8, 8), "activation": "tanh", "learning_rate": 1.0,
                       "batch_size": 32}

# The k-th input: a slider or menu set to values[k] (input and change events), or a button clicked.
_INPUT_TO_PAINT = """async ([selector, values]) => {
  const control = document.querySelector(selector), drawn = [], frame = [];
  const button = control.tagName === "BUTTON";
  for (let k = 0; k < values.length; k++) {
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, (7 * k) % 16)));
    if (!button) { control.value = String(values[k]); }
    const start = performance.now();
    if (button) { control.click(); } else { control.dispatchEvent(new Event("input", {bubbles: true}));
                                            control.dispatchEvent(new Event("change", {bubbles: true})); }
    drawn.push(performance.now() - start);
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    frame.push(performance.now() - start);
  }
  return [drawn, frame];
}"""


def _cycle(values, repeats):
    return [values[(7 * k) % len(values)] for k in range(repeats)]


def twins():
    """{name: (twin, [(control, values or None for a button, what moving it does)])}."""
    from mathnn import widgets

    PLAYGROUND = widgets.PlaygroundSettings(**PLAYGROUND_SETTINGS)
    rates = [round(-3 + 0.01 * k, 2) for k in range(301)]
    return {
        "loss_twin": (widgets.loss_twin(), [("y-hat", [round(0.001 * k, 3) for k in range(1, 1000, 13)], "ŷ")]),
        "softmax_loss_twin": (widgets.softmax_loss_twin(), [("z0", [round(-5 + 0.1 * k, 1) for k in range(101)],
                                                             "a score")]),
        "race_twin": (widgets.race_twin(), [("w", [round(-4 + 0.1 * k, 1) for k in range(81)], "a new race"),
                                            ("epoch", list(range(301)), "the epoch")]),
        "descent_twin": (widgets.descent_twin("rosenbrock", 0.02),
                         [("rate", rates, "a new descent"), ("step", None, "one step")]),
        "minibatch_twin": (widgets.minibatch_twin(), [("batch", list(range(7)), "a new run of 30 epochs"),
                                                      ("epoch", list(range(31)), "the epoch"),
                                                      ("step", None, "one epoch")]),
        "playground_twin": (widgets.playground_twin(PLAYGROUND, grid=60),
                            [("rate", [round(-3 + 0.1 * k, 1) for k in range(41)], "a new α, redrawn"),
                             ("step", None, "one epoch trained, drawn")]),
    }


def run(repeats=60):
    """Return {(twin, control, what): (median ms input to drawn, median ms input to the next frame)}, or None.

    Each control is moved ``repeats`` times after 5 uncounted moves.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium() is None:
        return None
    made = twins()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        body = "\n".join(twin.html for twin, _ in made.values())
        pathlib.Path(folder, "index.html").write_text(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>twins</title>'
            f'<link rel="icon" href="data:,"></head>\n<body style="margin:0 auto;max-width:760px">\n{body}\n'
            "</body></html>\n", encoding="utf-8")
        with serve(folder) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport={"width": 800, "height": 900})
                page.goto(base + "index.html", wait_until="load")
                for name, (twin, controls) in made.items():
                    for control, values, what in controls:
                        selector = f"#{twin.id}-{control}"
                        page.locator(selector).scroll_into_view_if_needed()
                        if values is None:  # a button: start from the beginning, so that every click does work
                            page.click(f"#{twin.id}-reset")
                        moves = [0] * (repeats + 5) if values is None else _cycle(values, repeats + 5)
                        drawn, frame = page.evaluate(_INPUT_TO_PAINT, [selector, moves])
                        results[(name, control, what)] = (statistics.median(drawn[5:]), statistics.median(frame[5:]))
            finally:
                browser.close()
    return results


def rows(results):
    """The benchmark table's rows: (measurement, value, target, met)."""
    if results is None:
        return [("site twins, input to paint", "not measured", "", None),
                ("  needs Playwright and Chromium", "", "", None)]
    out = []
    for (name, control, _), (drawn, frame) in results.items():
        out.append((f"{name}, {control}: drawn, next frame", f"{drawn:.2f} ms, {frame:.1f} ms",
                    f"≤ {TARGET_MS:.0f} ms", drawn <= TARGET_MS))
    one_frame = 1000 / 60
    slowest = max(drawn for drawn, _ in results.values())
    frames = statistics.median(frame for _, frame in results.values())
    out.append(("  slowest drawing / one frame at 60 Hz", f"{slowest / one_frame:.2f}×", "≤ 1×", slowest <= one_frame))
    out.append(("  median input to next frame / one frame", f"{frames / one_frame:.2f}×", "", None))
    return out


if __name__ == "__main__":
    measured = run()
    if measured is None:
        print("needs Playwright and Chromium")
    else:
        for (name, control, what), (drawn, frame) in measured.items():
            print(f"{name:<18} {control:<6} ({what}): input to drawn {drawn:6.2f} ms, "
                  f"to the next frame {frame:5.1f} ms")
