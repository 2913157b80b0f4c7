"""The capstone network's forward pass on 1000 examples: per-unit Python loops against matrix products.

Both versions are the ones chapter 2 shows: :func:`mathnn.layers.dense_forward_loops` and
:func:`mathnn.layers.dense_forward`.
"""

from benchmarks.timing import interleaved, summary
from mathnn import Network, data
from mathnn.layers import dense_forward, dense_forward_loops


def forward(net, X, affine):
    A = X
    for layer in net.layers:
        A = layer.activation.value(affine(A, layer.W, layer.b))
    return A


def run(m=1000, sizes=(2, 25, 50, 50, 25, 1), repeats=5):
    """Return {"loops": (median, spread), "vectorized": (median, spread)} in seconds per forward pass."""
    X, _ = data.circles(m=m, seed=0)
    net = Network.from_sizes(list(sizes), seed=0)
    times = interleaved(
        {
            "loops": lambda: forward(net, X, dense_forward_loops),
            "vectorized": lambda: forward(net, X, lambda A, W, b: dense_forward(A, W, b)[0]),
        },
        repeats=repeats,
        number={"loops": 1, "vectorized": 200},
        warmup=1,
    )
    return {name: summary(samples) for name, samples in times.items()}


if __name__ == "__main__":
    result = run()
    for name, (median, spread) in result.items():
        print(f"{name:<11} {median * 1e3:10.3f} ms  ±{spread:.0%}")
    print(f"speed-up: {result['loops'][0] / result['vectorized'][0]:.0f}x")
