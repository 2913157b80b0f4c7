"""How a live widget reaches the book's website: one output, two representations.

A chapter cell that shows a widget ends with ``widget.on_site(explorer)``. The cell's output then
carries the live widget (a ``application/vnd.jupyter.widget-view+json`` view, which JupyterLab,
Binder and Colab display) and the explorer's self-contained HTML (``text/html``). The book's
configuration tells the site never to render widget views, which would be dead there without a
kernel, so the website shows the kernel-free explorer instead.
"""


class OnSite:
    """Mixin for a widget skin with a ``widget`` attribute (an ipywidget to display)."""

    static = None

    def on_site(self, explorer):
        """Let ``explorer`` (anything with an ``html`` attribute) stand in where no kernel runs.

        Returns the widget itself, so a chapter cell can end with
        ``NeuronExplorer().on_site(explorers.neuron_explorer(...))``.
        """
        self.static = explorer
        return self

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if self.static is not None:
            bundle["text/html"] = self.static.html
        return bundle
