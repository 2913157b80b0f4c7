"""What every widget shares (mathnn.widgets._render, _skin, _explorer): drawing, on_site, the error display,
the one site-twin container. Each widget has its own test file, tests/test_widget_<name>.py."""

import io
import re
import subprocess
import sys

import matplotlib
import numpy as np
import PIL.Image
import pytest

from mathnn import widgets
from mathnn.widgets import _explorer, _skin
from mathnn.widgets._explorer import KernelFree
from mathnn.widgets.neuron import NeuronView

matplotlib.use("Agg")  # off-screen drawing; pyplot is never imported here, so this comes before it

DATA_URI = "data:image/png;base64,"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.fixture(scope="module")
def twins():
    """A site twin of two kinds: the neuron's, computed in the page, and the shape table's."""
    return {"neuron": widgets.neuron_explorer(["and"]), "shapes": widgets.shape_explorer_html()}


@pytest.mark.parametrize("name", ["neuron", "shapes"])
def test_html_has_its_controls_and_nothing_external(name, twins):
    twin = twins[name]
    html = twin.html
    assert f'id="{twin.id}"' in html
    assert "<input " in html and "<script>" in html
    assert "http" not in html.lower()  # no CDN, no link, no external reference of any kind
    assert "src=" not in html.replace(f'src="{DATA_URI}', "")  # every source is embedded
    assert twin._repr_html_() == html
    assert 0 < twin.nbytes < widgets.SIZE_BUDGET


def test_no_control_is_restored_behind_a_twin_s_back(twins):
    # Coming back to a page, a browser may put old values into inputs after the twin's script read them.
    for twin in twins.values():
        controls = re.findall(r"<(?:input|select)\b[^>]*>", twin.html)
        assert controls and all('autocomplete="off"' in control for control in controls)


def test_element_ids_are_unique_per_explorer(twins):
    ids = [twin.id for twin in twins.values()] + [widgets.shape_explorer_html().id]
    assert len(set(ids)) == len(ids)
    for twin in twins.values():
        ids_in_html = re.findall(r'id="([^"]+)"', twin.html)
        assert ids_in_html and all(element.startswith(twin.id) for element in ids_in_html)


def test_every_twin_sits_in_the_one_container(twins):
    for twin in twins.values():
        assert isinstance(twin, KernelFree)
        kind = twin.id.split("-")[1]
        assert twin.html.startswith(f'<div class="mathnn-{kind}" id="{twin.id}">\n<style>')
        assert _explorer.CSS.replace("#ID", "#" + twin.id) in twin.html
        assert '<p class="mx-title">' in twin.html


def test_save_writes_a_complete_page(tmp_path, twins):
    neuron = widgets.neuron_explorer(["and"])
    path = neuron.save(tmp_path / "neuron.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and neuron.html in text and '<meta charset="utf-8">' in text


def test_the_budget_is_enforced():
    def body(element_id):
        return ["<p>" + "x" * 2000 + "</p>"]

    size = KernelFree("sized", "Sized", b"x", body).nbytes  # the id's serial may add a digit below
    assert KernelFree("sized", "Sized", b"x", body, budget=size + 100).nbytes <= size + 100
    with pytest.raises(ValueError, match="over its budget"):
        KernelFree("sized", "Sized", b"x", body, budget=size - 1000)


def test_encode_png_palette_keeps_white_and_shrinks():
    view = NeuronView()
    full, small = view.png(), view.png(colors=64)
    assert len(small) < len(full)
    assert (pixels(small)[0, 0] == 255).all()


def test_on_site_puts_the_explorer_beside_the_live_widget_in_one_output():
    explorer = widgets.neuron_explorer(["and"])
    live = widgets.NeuronExplorer().on_site(explorer)
    bundle = live._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    assert bundle["text/html"] == explorer.html
    assert WIDGET_VIEW in widgets.NeuronExplorer()._repr_mimebundle_()
    assert "text/html" not in widgets.NeuronExplorer()._repr_mimebundle_()


def test_the_bundle_is_built_from_the_model_id_where_ipywidgets_has_no_repr_mimebundle():
    class OldVBox:  # what ipywidgets 7 (Colab's) offers: a model id, no _repr_mimebundle_
        _view_name = "VBoxView"
        _model_id = "abc123"

        def __repr__(self):
            return "VBox(children=(...))"

    bundle = _skin.widget_bundle(OldVBox())
    assert bundle[WIDGET_VIEW] == {"version_major": 2, "version_minor": 0, "model_id": "abc123"}
    assert bundle["text/plain"] == "VBox(children=(...))"
    live = widgets.NeuronExplorer()
    assert _skin.widget_bundle(live.widget)[WIDGET_VIEW]["model_id"] == live.widget.model_id


@pytest.mark.parametrize("module", ["descent", "neuron", "depth", "playground", "shapes", "_explorer", "_render"])
def test_pure_functions_and_site_twins_import_without_ipywidgets(module):
    check = (
        "import sys; sys.modules['ipywidgets'] = None\n"  # any import of ipywidgets now raises ImportError
        f"import mathnn.widgets.{module}, mathnn.widgets\n"
        "from mathnn.widgets import descend, shape_table, descent_twin\n"
        "descend('bowl', steps=2); shape_table([2, 1], 3)\n"
        "print(sorted(m for m, v in sys.modules.items() if m.startswith('ipywidgets') and v is not None))"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_each_error_display_is_the_one_in_skin():
    for skin in (widgets.NeuronExplorer, widgets.GradientDescentStepper, widgets.TrainingPlayground,
                 widgets.ActivationExplorer, widgets.ShapeExplorer):
        assert issubclass(skin, _skin.Skin)
        assert skin.show_error is _skin.Skin.show_error and skin.error_text is _skin.Skin.error_text
