"""What every live widget shares: ``on_site``, the one error display, sliders.

A widget's skin is a thin layer of ipywidgets controls over pure functions. ipywidgets is
imported here only when a skin is built (:func:`ipywidgets`), so the state, step functions, views
and site explorers of :mod:`mathnn.widgets` import without it.

How a live widget reaches the book's website: one output, two representations. A chapter cell
that shows a widget ends with ``widget.on_site(explorer)``. The cell's output then carries the live
widget (an ``application/vnd.jupyter.widget-view+json`` view, which JupyterLab, Binder and Colab
display) and the explorer's self-contained HTML (``text/html``). The book's configuration tells
the site never to render widget views, which would be dead there without a kernel, so the
website shows the kernel-free explorer instead.
"""

import functools
import importlib
import traceback

from mathnn.network import TrainingDiverged

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def ipywidgets():
    """The ipywidgets module, imported on first use (7.7 or 8.x)."""
    return importlib.import_module("ipywidgets")


def widget_bundle(widget):
    """The display data of an ipywidget: its view (by model id) and a line of plain text.

    ipywidgets 8 has ``_repr_mimebundle_``; ipywidgets 7 (Colab's) displays itself through
    ``_ipython_display_`` instead, so for it the same data is built from the widget's model id.
    """
    if hasattr(widget, "_repr_mimebundle_"):
        return dict(widget._repr_mimebundle_())
    text = repr(widget)
    bundle = {"text/plain": text if len(text) <= 110 else text[:110] + "…"}
    if getattr(widget, "_view_name", None) is not None:
        bundle[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0, "model_id": widget._model_id}
    return bundle


class OnSite:
    """Mixin for a widget skin with a ``widget`` attribute (an ipywidget to display)."""

    static = None

    def on_site(self, explorer):
        """Let ``explorer`` (anything with an ``html`` attribute) stand in where no kernel runs.

        Returns the widget itself, so a chapter cell can end with
        ``NeuronExplorer().on_site(neuron_explorer(...))``.
        """
        self.static = explorer
        return self

    def _repr_mimebundle_(self, **kwargs):
        bundle = widget_bundle(self.widget)
        if self.static is not None:
            bundle["text/html"] = self.static.html
        return bundle


def errors_shown(callback):
    """Run a widget callback; if it raises, write the error into the widget's ``output`` instead of losing it."""

    @functools.wraps(callback)
    def guarded(self, *args, **kwargs):
        self.output.outputs = ()  # a new action clears the last error
        try:
            return callback(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every error must reach the reader
            self.show_error(error)

    return guarded


class Skin(OnSite):
    """What every widget shares: an output area for errors and, for a widget with a view, its picture.

    Each widget shows its first state at the end of its ``__init__`` and sets ``self.widget``.
    """

    def __init__(self, view=None):
        widgets = ipywidgets()
        self.view = view
        self.image = widgets.Image(format="png") if view is not None else None
        self.output = widgets.Output()

    def show_error(self, error):
        """Write ``error`` into the output area: the message for input mistakes, the traceback for the rest."""
        if isinstance(error, (ValueError, TypeError, TrainingDiverged)):
            text = f"{type(error).__name__}: {error}\n"
        else:
            text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.output.append_stderr(text)

    @property
    def error_text(self):
        """Everything written into the output area, as one string ("" when there is no error)."""
        return "".join(item.get("text", "") for item in self.output.outputs)

    def _show(self, state):
        self.image.value = self.view.update(state).png()

    def _epoch_player(self, epoch, epochs, interval):
        """Play, an epoch slider linked to it, Step and Reset, set as attributes and wired to the skin.

        The widget defines ``_on_epoch(change)``, which draws the epoch shown; Step moves one epoch on (up
        to ``epochs``) and Reset pauses and goes back to epoch 0. Returns the row of the four controls.
        """
        widgets = ipywidgets()
        self.play = widgets.Play(value=epoch, min=0, max=epochs, interval=interval, description="play",
                                 show_repeat=False)
        self.epoch = slider("IntSlider", "epoch", epoch, min=0, max=epochs, continuous_update=True)
        widgets.link((self.play, "value"), (self.epoch, "value"))
        self.step_button = widgets.Button(description="Step", icon="step-forward")
        self.reset_button = widgets.Button(description="Reset", icon="undo")
        self.epoch.observe(self._on_epoch, names="value")
        self.step_button.on_click(self._next_epoch)
        self.reset_button.on_click(self._first_epoch)
        return widgets.HBox([self.step_button, self.play, self.reset_button, self.epoch])

    @errors_shown
    def _next_epoch(self, _button=None):
        if self.epoch.value < self.epoch.max:
            self.epoch.value += 1  # the widget's _on_epoch draws it

    @errors_shown
    def _first_epoch(self, _button=None):
        stop(self.play)
        self.epoch.value = 0


def slider(kind, description, value, **options):
    """An ipywidgets slider of ``kind`` (e.g. "FloatSlider") with the book's defaults: updates on release."""
    return getattr(ipywidgets(), kind)(
        value=value, description=description, continuous_update=options.pop("continuous_update", False),
        style={"description_width": "initial"}, **options,
    )


def playing_trait(play):
    """The name of a ``Play`` widget's is-it-playing trait: ``playing`` in ipywidgets 8, ``_playing`` in 7."""
    return "playing" if "playing" in play.trait_names() else "_playing"


def is_playing(play):
    """Whether a ``Play`` widget is playing, in ipywidgets 7 and 8 alike."""
    return bool(getattr(play, playing_trait(play)))


def stop(play):
    """Pause a ``Play`` widget, in ipywidgets 7 and 8 alike."""
    setattr(play, playing_trait(play), False)
