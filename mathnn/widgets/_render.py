"""Drawing a widget's picture: a matplotlib figure drawn off-screen, blitted, encoded as PNG.

Every view of :mod:`mathnn.widgets` is a :class:`View`; the live widgets show its PNG in an image,
the site explorers embed the same PNGs. Nothing here needs ipywidgets or a kernel.
"""

import io

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def encode_png(figure, colors=None, fast=False):
    """The pixels of a drawn figure as PNG bytes.

    ``colors`` (e.g. 128) reduces them to a palette of that many colours first: files several times
    smaller and slower to make, for pictures that are stored; None keeps every colour and compresses
    lightly, for pictures shown once. ``fast`` picks the palette with an octree and compresses less
    hard: about ten times quicker and some 10% larger, which suits line drawings with few colours.
    """
    canvas = figure.canvas
    size = canvas.get_width_height(physical=True)
    image = PIL.Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    if colors:
        if fast:
            image = image.quantize(colors=colors, method=PIL.Image.Quantize.FASTOCTREE)
        else:
            image = image.quantize(colors=colors, method=PIL.Image.Quantize.MAXCOVERAGE, kmeans=1)
        palette = np.array(image.getpalette()[: 3 * colors]).reshape(-1, 3)
        palette[palette.sum(axis=1).argmax()] = 255  # the background stays pure white, not a near-white average
        image.putpalette(palette.ravel().tolist())
        image.save(buffer, format="png", **({"compress_level": 6} if fast else {"optimize": True}))
    else:
        image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class View:
    """A matplotlib figure drawn off-screen whose artists ``update`` changes to show a state.

    Drawing is the slow part of a frame, so a view draws everything once, keeps those pixels, and
    for later frames redraws only the artists listed in ``moving`` on top of them (blitting). When
    what :meth:`still` returns changes, the kept picture is out of date and everything is drawn again.
    """

    def __init__(self, size, dpi):
        self.figure = Figure(figsize=size, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)  # draw off-screen, whatever backend pyplot uses
        self.moving = []
        self._background = None
        self._still = None

    def update(self, state):
        raise NotImplementedError

    def animate(self, artists):
        """Redraw ``artists`` in every frame; they are left out of the kept background."""
        self.moving = list(artists)
        for artist in self.moving:
            artist.set_animated(True)

    def still(self):
        """What the kept background shows besides the moving artists; a change forces a full redraw."""
        return None

    def render(self, full=False):
        """Draw the frame: everything when the still parts changed (or ``full``), else the kept
        background and the moving artists. The layout is worked out on the first draw and then kept:
        constrained layout costs more than the drawing itself, and later frames have the same axes."""
        canvas = self.figure.canvas
        still = self.still()
        if full or self._background is None or still != self._still:
            canvas.draw()  # draws all but the moving (animated) artists
            self.figure.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._still = still
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.figure.draw_artist(artist)

    def png(self, colors=None, fast=False):
        """Draw the figure and return it as PNG bytes (see :func:`encode_png` for ``colors`` and ``fast``)."""
        self.render()
        return encode_png(self.figure, colors, fast)

