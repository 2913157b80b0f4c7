"""Timing side by side: every contender is measured in the same run, interleaved, and reported as ratios.

The machine is shared and noisy, so absolute times are not comparable between runs; ratios measured
in one run, with the contenders taking turns, are.
"""

import statistics
import time


def interleaved(contenders, repeats, number=1, warmup=1):
    """Time each contender ``repeats`` times, taking turns, after ``warmup`` uncounted calls each.

    Parameters
    ----------
    contenders : dict name -> callable with no arguments
    repeats : int, how many timings per contender
    number : int, or dict name -> int: calls per timing (the timing is divided by it)

    Returns
    -------
    dict name -> list of seconds per call
    """
    if isinstance(number, int):
        number = dict.fromkeys(contenders, number)
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            start = time.perf_counter()
            for _ in range(number[name]):
                fn()
            times[name].append((time.perf_counter() - start) / number[name])
    return times


def summary(samples):
    """Median and spread (interquartile range over median) of a list of timings."""
    median = statistics.median(samples)
    if len(samples) >= 4:
        q1, _, q3 = statistics.quantiles(samples, n=4)
    else:
        q1, q3 = min(samples), max(samples)
    return median, (q3 - q1) / median if median else 0.0
