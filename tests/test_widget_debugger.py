"""The backward-pass debugger (mathnn.widgets.debugger): its steps against mathnn, the state, the view,
the live widget, and its site twin in Chromium."""

import ast
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from mathnn import symbolic
from mathnn.widgets import SIZE_BUDGET, backward_pass, debugger
from mathnn.widgets.debugger import EXAMPLES, LOSSES, BackpropDebugger, backprop_steps, start_debugger
from tests.twin_page import browser_or_skip, twin_page
from tests.widget_helpers import assert_pure_without_ipywidgets, twin_page_fixture

matplotlib.use("Agg")

PAIRS = [(loss, example) for loss in LOSSES for example in EXAMPLES]

ORDER = [
    "start", "z1_0", "a1_0", "z1_1", "a1_1", "z2_0", "a2_0", "C",
    "da2_0", "g'z2_0", "dz2_0", "dw2_00", "dw2_01", "db2_0", "da1_0", "da1_1",
    "g'z1_0", "dz1_0", "g'z1_1", "dz1_1", "dw1_00", "dw1_01", "dw1_10", "dw1_11", "db1_0", "db1_1",
]


def values(loss, example):
    return {step.name: step.value for step in backprop_steps(loss, example)}


# --- the steps are mathnn's numbers -------------------------------------------------------------


@pytest.mark.parametrize(("loss", "example"), PAIRS)
def test_the_steps_come_in_the_order_backpropagation_computes_them(loss, example):
    steps = backprop_steps(loss, example)
    assert [s.name for s in steps] == ORDER
    assert [s.phase for s in steps] == ["start"] + ["forward"] * 7 + ["backward"] * 18
    for step in steps[1:]:
        # the formula ends with the number it computes, written as the book writes it
        assert step.text.endswith(" = " + debugger.number(step.value)), step.text
        assert step.node in debugger._GRAPH.kind
        assert all(edge in debugger._GRAPH.edges for edge in step.edges), step.name


@pytest.mark.parametrize(("loss", "example"), PAIRS)
def test_the_gradients_are_the_ones_network_backward_finds(loss, example):
    found, mathnn = values(loss, example), debugger.mathnn_reference(loss, example)
    for l in (1, 2):
        dW = mathnn[f"dW{l}"]
        for j, k in np.ndindex(dW.shape):
            assert found[f"dw{l}_{j}{k}"] == pytest.approx(dW[j, k], abs=1e-12, rel=1e-12)
        for j in range(dW.shape[0]):
            assert found[f"db{l}_{j}"] == pytest.approx(mathnn[f"db{l}"][j, 0], abs=1e-12, rel=1e-12)


@pytest.mark.parametrize(("loss", "example"), PAIRS)
def test_the_forward_values_are_the_ones_network_forward_finds(loss, example):
    found, mathnn = values(loss, example), debugger.mathnn_reference(loss, example)
    for j in range(2):
        assert found[f"a1_{j}"] == pytest.approx(mathnn["A1"][j, 0], abs=1e-12, rel=1e-12)
    assert found["a2_0"] == pytest.approx(mathnn["A2"][0, 0], abs=1e-12, rel=1e-12)
    assert found["C"] == pytest.approx(mathnn["C"], abs=1e-12, rel=1e-12)


def test_the_worked_example_is_sympys_chain_rule():
    # an oracle apart from mathnn's numpy: SymPy's chain rule on the worked example (chapter 5's table)
    step = symbolic.worked_example()
    found = values("mse", "worked")
    assert len(step.gradients) == 9
    for parameter, gradient in step.gradients.items():
        kind, layer, index = re.fullmatch(r"(\w)\^\{\[(\d)\]\}(?:_\{(\d+)\})?", str(parameter)).groups()
        name = f"d{kind}{layer}_{index or '0'}"
        assert found[name] == pytest.approx(float(gradient), abs=1e-12), name
    assert found["a2_0"] == pytest.approx(step.output_before, abs=1e-12)


def test_bce_pairs_with_the_sigmoid_and_mse_has_no_half():
    bce, mse = values("bce", "worked"), values("mse", "worked")
    a, y = bce["a2_0"], 1.0
    assert bce["dz2_0"] == pytest.approx(a - y, abs=1e-15)
    assert bce["dz2_0"] == pytest.approx(bce["da2_0"] * bce["g'z2_0"], abs=1e-12)
    assert mse["da2_0"] == pytest.approx(2 * (a - y), abs=1e-15)
    assert "= a[2] − y" in backprop_steps("bce", "worked")[10].text


def test_a_formula_reads_with_its_numbers():
    step = backprop_steps("mse", "worked")[12]
    assert step.text == "∂C/∂w[2]01 = ∂C/∂z[2] · a[1]1 = −0.1324 × 0.6637 = −0.0879"
    assert step.tex.startswith(r"$\partial C/\partial w^{[2]}_{01}")
    assert "<sup>" in backprop_steps("mse", "worked")[10].html
    assert step.nodes == ("z2_0", "a1_1") and set(step.edges) == {("w2_01", "z2_0"), ("a1_1", "z2_0")}


@pytest.mark.parametrize(("loss", "example"), [("hinge", "worked"), ("mse", "xor22"), (1, "worked")])
def test_unknown_choices_teach(loss, example):
    with pytest.raises((ValueError, TypeError), match="loss|example"):
        backprop_steps(loss, example)


# --- the state -----------------------------------------------------------------------------------


def test_stepping_stays_inside_the_steps():
    state = start_debugger()
    assert debugger.step_back(state).index == 0
    last = debugger.go_to(state, state.last)
    assert debugger.step_forward(last).index == last.index == 25
    assert "done" in last.caption
    assert debugger.step_forward(state).step.name == "z1_0"
    with pytest.raises(ValueError, match="0 to 25"):
        debugger.go_to(state, 26)
    with pytest.raises(TypeError, match="whole number"):
        debugger.go_to(state, 2.5)


def test_what_is_known_fills_in_step_by_step():
    state = start_debugger("mse", "worked")
    assert debugger.node_lines(state)["w2_01", "value"] == "0.9"
    assert ("z1_0", "value") not in debugger.node_lines(state)
    later = debugger.go_to(state, 12)
    lines = debugger.node_lines(later)
    assert lines["z1_0", "value"] == "0.755" and lines["w2_01", "grad"] == "∂ −0.0879"
    assert ("w1_00", "grad") not in lines
    assert [g[0] for g in later.gradients()] == ["∂C/∂a[2]", "∂C/∂z[2]", "∂C/∂w[2]00", "∂C/∂w[2]01"]


def test_another_loss_keeps_the_step():
    state = debugger.choose(debugger.go_to(start_debugger(), 10), loss="bce", example="xor01")
    assert (state.loss, state.example, state.index, state.step.name) == ("bce", "xor01", 10, "dz2_0")


def test_number_labels_do_not_cover_circles():
    # every line of numbers starts outside every circle (estimated text extent: 0.16 units a character)
    for node, (ha, slots) in debugger.label_places().items():
        for x, y in slots.values():
            for other, (cx, cy) in debugger._GRAPH.position.items():
                width = 1.0 if ha != "center" else 0.6
                left = {"left": x, "right": x - width, "center": x - width / 2}[ha]
                nearest_x = min(max(cx, left), left + width)
                nearest_y = min(max(cy, y - 0.09), y + 0.09)
                assert np.hypot(cx - nearest_x, cy - nearest_y) > debugger.RADIUS, (node, other)


# --- the view and the skin ---------------------------------------------------------------------


def test_every_step_draws_a_different_picture():
    view = debugger.DebuggerView()
    pictures = {view.update(start_debugger("bce", "xor10", i)).png() for i in range(26)}
    assert len(pictures) == 26


def test_the_buttons_move_the_step_and_the_picture():
    widget = BackpropDebugger()
    first = widget.image.value
    widget.step_button.click()
    assert widget.state.index == 1 and widget.image.value != first
    widget.step_button.click()
    second = widget.image.value
    widget.back_button.click()
    assert widget.state.index == 1 and widget.image.value not in (first, second)
    widget.reset_button.click()
    assert widget.state.index == 0 and widget.image.value == first
    widget.play.value = 7  # as Play ticks
    assert widget.state.step.name == "C"
    assert "step 7 of 25" in widget.status.value
    assert widget.error_text == ""


def test_step_back_at_the_start_and_step_at_the_end_do_nothing_and_say_so():
    widget = BackpropDebugger()
    widget.back_button.click()
    assert widget.state.index == 0 and widget.error_text == ""
    widget.show_step(25)
    picture = widget.image.value
    widget.step_button.click()
    assert widget.state.index == 25 and widget.image.value == picture
    assert "Reset" in widget.status.value and widget.error_text == ""


def test_the_menus_change_the_numbers_and_keep_the_step():
    widget = BackpropDebugger()
    widget.show_step(10)
    before = widget.image.value
    widget.loss.value = "bce"
    assert widget.state.loss == "bce" and widget.state.index == 10 and widget.image.value != before
    widget.example.value = "xor11"
    assert widget.state.example == "xor11" and widget.state.step.value == pytest.approx(values("bce", "xor11")["dz2_0"])


def test_bad_input_through_code_is_reported_in_the_output_area():
    widget = BackpropDebugger()
    widget.show_step(40)
    assert "ValueError" in widget.error_text and "0 to 25" in widget.error_text
    widget.choose(loss="hinge")
    assert "hinge" in widget.error_text and "mse" in widget.error_text
    assert widget.state.loss == "mse"
    widget.show_step(3)  # a new action clears the last error
    assert widget.error_text == "" and widget.state.index == 3
    with pytest.raises(ValueError, match="loss"):
        BackpropDebugger(loss="hinge")


def test_on_site_carries_the_twin():
    widget = BackpropDebugger().on_site(debugger.backprop_debugger_site())
    bundle = widget._repr_mimebundle_()
    assert "mathnn-debugger" in bundle["text/html"]


def test_pure_parts_import_without_ipywidgets():
    assert_pure_without_ipywidgets("debugger", [
        "assert len(debugger.backprop_steps('bce', 'xor01')) == 26",
        "assert 'mathnnState' in debugger.backprop_debugger_site().html",
        "assert len(debugger.DebuggerView().png()) > 1000",
    ], "debugger.BackpropDebugger()")


def test_the_steps_are_a_module_of_their_own_that_draws_nothing():
    tree = ast.parse(Path(backward_pass.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported and not {name for name in imported if name.startswith(("ipywidgets", "matplotlib"))}
    assert not imported & {"mathnn.widgets._skin", "mathnn.widgets._render", "mathnn.widgets._explorer"}
    for name in ("backprop_steps", "DebuggerState", "start_debugger", "go_to", "choose", "number", "EXAMPLES"):
        assert getattr(debugger, name) is getattr(backward_pass, name), name


# --- the site twin -------------------------------------------------------------------------------


def test_twin_loads_nothing_and_fits_its_budget():
    twin = debugger.backprop_debugger_site()
    assert "http" not in twin.html.lower() and "src=" not in twin.html
    assert twin.nbytes < min(SIZE_BUDGET, 250_000)
    assert twin.html.count("<script>") == 1
    with pytest.raises(ValueError, match="loss"):
        debugger.backprop_debugger_site(loss="hinge")


page = twin_page_fixture(debugger.backprop_debugger_site)


def drawing(opened, twin):
    return opened.page.evaluate("id => document.getElementById(id + '-graph').innerHTML", twin.id)


def test_twin_step_changes_the_frame_and_the_counter(page):
    opened, twin = page
    opened.click(twin, "reset")
    before, counter = drawing(opened, twin), opened.text(twin, "counter")
    opened.click(twin, "next")
    assert opened.state(twin)["index"] == 1
    assert drawing(opened, twin) != before and opened.text(twin, "counter") != counter
    assert "step 1 of 25" in opened.text(twin, "counter")
    opened.click(twin, "back")
    opened.click(twin, "back")  # at step 0 it stays
    assert opened.state(twin)["index"] == 0 and drawing(opened, twin) == before
    opened.set(twin, "step", 25)
    opened.click(twin, "next")  # at the last step it stays
    assert opened.state(twin)["index"] == 25
    assert not opened.errors and not opened.elsewhere()


def test_twin_loss_menu_changes_the_frame(page):
    opened, twin = page
    opened.set(twin, "loss", "mse")
    opened.set(twin, "step", 10)
    before, formula = drawing(opened, twin), opened.text(twin, "formula")
    opened.set(twin, "loss", "bce")
    state = opened.state(twin)
    assert state["loss"] == "bce" and state["index"] == 10
    assert drawing(opened, twin) != before and opened.text(twin, "formula") != formula


def test_twin_gives_mathnn_numbers(page):
    opened, twin = page
    for loss, example in PAIRS:
        opened.set(twin, "loss", loss)
        opened.set(twin, "example", example)
        steps = backprop_steps(loss, example)
        for index in (1, 7, 10, 15, 25):
            opened.set(twin, "step", index)
            state = opened.state(twin)
            assert (state["name"], state["value"]) == (steps[index].name, steps[index].value)
            assert state["formula"] == steps[index].text
            drawn = debugger.node_lines(start_debugger(loss, example, index))
            assert state["lines"] == {f"{node}:{slot}": text for (node, slot), text in drawn.items()}
    assert not opened.errors


def test_twin_repaints_within_a_frame(page):
    opened, twin = page
    work, frame = opened.input_to_paint(twin, "step", [3, 17, 9, 25, 0, 12] * 3)
    assert work < 16, f"a step takes {work:.1f} ms to draw"


def test_twin_plays_to_the_end(page):
    opened, twin = page
    opened.set(twin, "step", 23)
    opened.page.evaluate("id => { document.getElementById(id + '-play').click(); }", twin.id)
    opened.page.wait_for_function("id => document.getElementById(id).mathnnState().index === 25", arg=twin.id,
                                  timeout=10_000)
    opened.page.wait_for_function("id => document.getElementById(id + '-play').textContent.includes('Play')",
                                  arg=twin.id, timeout=10_000)


def test_two_twins_on_one_page_keep_to_themselves(request):
    first, second = debugger.backprop_debugger_site(), debugger.backprop_debugger_site(loss="bce", example="xor01")
    assert first.id != second.id
    with twin_page(browser_or_skip(request), first, second) as opened:
        assert (opened.state(second)["loss"], opened.state(second)["example"]) == ("bce", "xor01")
        opened.click(first, "next")
        opened.click(first, "next")
        assert opened.state(first)["index"] == 2 and opened.state(second)["index"] == 0
        assert not opened.errors
