"""mathnn: the small neural-network library of *The Math of Neural Networks*.

The core (``activations``, ``losses``, ``layers``, ``network``, ``optim``, ``data``, ``gradcheck``)
needs numpy alone. The teaching layer (``symbolic``, ``plots``, ``widgets``, ``exercises``) needs
SymPy, matplotlib and ipywidgets. What a network needs to train is imported with the package; every other
module is imported the first time you use it, e.g. ``mathnn.data`` or ``from mathnn import plots``,
so that ``import mathnn`` stays about as quick as ``import numpy``.
"""

import importlib

from mathnn import activations, layers, losses, network, optim
from mathnn.layers import Dense
from mathnn.network import Network, StopTraining, TrainingDiverged

__version__ = "0.1.0"

_ON_FIRST_USE = ("data", "gradcheck", "symbolic", "plots", "widgets", "exercises")

__all__ = [
    "activations",
    "layers",
    "losses",
    "network",
    "optim",
    "Dense",
    "Network",
    "StopTraining",
    "TrainingDiverged",
    "data",
    "gradcheck",
]


def __getattr__(name):
    if name in _ON_FIRST_USE:
        return importlib.import_module(f"mathnn.{name}")
    raise AttributeError(f"module 'mathnn' has no attribute {name!r}")
