"""Live widgets and their site twins: one module per widget.

Each module holds one widget's state and pure step functions, its view (a matplotlib figure drawn
off-screen and blitted), its ipywidgets skin and its kernel-free site twin, side by side:

- :mod:`mathnn.widgets.neuron`: one neuron and the logic gates, ``NeuronExplorer`` and ``neuron_explorer``;
- :mod:`mathnn.widgets.shapes`: the shape of every array, ``ShapeExplorer`` and ``shape_explorer_html``;
- :mod:`mathnn.widgets.depth`: the chain rule's product of g', ``ActivationExplorer`` and
  ``activation_depth_explorer``;
- :mod:`mathnn.widgets.descent`: gradient descent one step at a time, ``GradientDescentStepper``, and
  its site twin :mod:`mathnn.widgets.descent_site`, ``descent_twin``;
- :mod:`mathnn.widgets.minibatch`: mini-batch SGD against full-batch descent on one cost,
  ``MinibatchExplorer`` and ``minibatch_twin``;
- :mod:`mathnn.widgets.playground`: a network learns a 2-D data set, ``TrainingPlayground``;
  :mod:`mathnn.widgets.playground_site`: its twin, trained in the page, ``playground_twin``;
- :mod:`mathnn.widgets.movie`: a training run recorded and played back, ``record`` and ``movie_player``.

What they share lives in three private modules: :mod:`mathnn.widgets._render` (the blitting
``View``, ``encode_png``), :mod:`mathnn.widgets._skin` (``on_site``, the one error display, sliders)
and :mod:`mathnn.widgets._explorer` (the one container of every site twin: id scheme, size budget,
stylesheet). ipywidgets is imported only when a live widget is built, so everything else here
imports without it. Every public name of these modules is also here, e.g. ``widgets.NeuronExplorer``.

A chapter cell ends with ``SomeWidget(...).on_site(site_twin(...))``: one output that shows the live
widget in JupyterLab, Binder and Colab, and the site twin on the website.
"""

from mathnn.widgets._explorer import SIZE_BUDGET, KernelFree
from mathnn.widgets._render import View, encode_png
from mathnn.widgets.debugger import BackpropDebugger, DebuggerState, backprop_debugger_site, backprop_steps
from mathnn.widgets.depth import (
    DEPTH_ACTIVATIONS,
    MAX_DEPTH,
    ActivationExplorer,
    DepthProducts,
    DepthState,
    DepthView,
    activation_depth_explorer,
    check_depth_state,
    depth_caption,
    derivative_products,
)
from mathnn.widgets.descent import (
    PROBLEMS,
    DescentState,
    DescentView,
    GradientDescentStepper,
    Problem,
    advance,
    derived_gradient,
    descend,
    descent_caption,
    descent_step,
    start_descent,
    steps_from,
)
from mathnn.widgets.descent_site import descent_twin
from mathnn.widgets.learning_race import LearningRace, Race, race, race_twin
from mathnn.widgets.loss import LossExplorer, LossReading, loss_reading, loss_twin
from mathnn.widgets.minibatch import (
    MinibatchExplorer,
    MinibatchState,
    MinibatchView,
    Run,
    epoch_orders,
    line_data,
    minibatch_caption,
    minibatch_run,
    minibatch_twin,
)
from mathnn.widgets.movie import Recording, draw_frame, frame_steps, movie_player, record
from mathnn.widgets.neuron import (
    NEURON_ACTIVATIONS,
    NeuronExplorer,
    NeuronReading,
    NeuronState,
    NeuronView,
    count_correct,
    decision_line,
    neuron_caption,
    neuron_explorer,
    neuron_formula,
    neuron_output,
    neuron_reading,
    neuron_says,
)
from mathnn.widgets.playground import (
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DATASETS,
    PlaygroundSettings,
    PlaygroundState,
    PlaygroundView,
    TrainingPlayground,
    change_settings,
    new_playground,
    parse_hidden_sizes,
    playground_caption,
    train_epochs,
)
from mathnn.widgets.playground_site import playground_twin
from mathnn.widgets.shapes import (
    ShapeExplorer,
    ShapeRow,
    ShapeTable,
    StaticShapeExplorer,
    parameter_count,
    parse_sizes,
    shape_explorer_html,
    shape_table,
)
from mathnn.widgets.softmax_loss import SoftmaxLossExplorer, SoftmaxReading, softmax_loss_twin, softmax_reading

__all__ = [
    "SIZE_BUDGET", "KernelFree", "View", "encode_png",
    "DEPTH_ACTIVATIONS", "MAX_DEPTH", "ActivationExplorer", "DepthProducts", "DepthState", "DepthView",
    "activation_depth_explorer", "check_depth_state", "depth_caption", "derivative_products",
    "PROBLEMS", "DescentState", "DescentView", "GradientDescentStepper", "Problem", "advance", "derived_gradient",
    "descend", "descent_caption", "descent_step", "descent_twin", "start_descent", "steps_from",
    "NEURON_ACTIVATIONS", "NeuronExplorer", "NeuronReading", "NeuronState", "NeuronView", "count_correct",
    "decision_line", "neuron_caption", "neuron_explorer", "neuron_formula", "neuron_output", "neuron_reading",
    "neuron_says",
    "PLAYGROUND_ACTIVATIONS", "PLAYGROUND_DATASETS", "PlaygroundSettings", "PlaygroundState", "PlaygroundView",
    "TrainingPlayground", "change_settings", "new_playground", "parse_hidden_sizes", "playground_caption",
    "train_epochs", "playground_twin",
    "Recording", "draw_frame", "frame_steps", "movie_player", "record",
    "ShapeExplorer", "ShapeRow", "ShapeTable", "StaticShapeExplorer", "parameter_count", "parse_sizes",
    "shape_explorer_html", "shape_table",
    "LossExplorer", "LossReading", "loss_reading", "loss_twin",
    "SoftmaxLossExplorer", "SoftmaxReading", "softmax_loss_twin", "softmax_reading",
    "LearningRace", "Race", "race", "race_twin",
    "MinibatchExplorer", "MinibatchState", "MinibatchView", "Run", "epoch_orders", "line_data", "minibatch_caption",
    "minibatch_run", "minibatch_twin",
    "BackpropDebugger", "DebuggerState", "backprop_debugger_site", "backprop_steps",
]
