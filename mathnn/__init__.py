"""mathnn: the small neural-network library of *The Math of Neural Networks*.

The core (``activations``, ``losses``, ``layers``, ``network``, ``optim``, ``data``, ``gradcheck``)
needs numpy alone and is imported with the package. The teaching layer (``symbolic``, ``plots``,
``widgets``) needs SymPy, matplotlib and ipywidgets and is imported the first time you use it,
e.g. ``mathnn.symbolic`` or ``from mathnn import plots``.
"""

import importlib

from mathnn import activations, data, gradcheck, layers, losses, network, optim
from mathnn.layers import Dense
from mathnn.network import Network, StopTraining, TrainingDiverged

__version__ = "0.1.0"

_TEACHING = ("symbolic", "plots", "widgets", "exercises", "shapes")

__all__ = [
    "activations",
    "data",
    "gradcheck",
    "layers",
    "losses",
    "network",
    "optim",
    "Dense",
    "Network",
    "StopTraining",
    "TrainingDiverged",
    *_TEACHING,
]


def __getattr__(name):
    if name in _TEACHING:
        return importlib.import_module(f"mathnn.{name}")
    raise AttributeError(f"module 'mathnn' has no attribute {name!r}")
