"""Checks at the boundary: turn bad input into an error that says what was expected and how to fix it.

Every public entry point of mathnn passes its arguments through these functions, so a reader never
meets a broadcasting traceback from deep inside numpy. Each message names what was expected, what
came, and the likely fix.
"""

import numbers

import numpy as np


def as_matrix(data, name, rows=None, rows_meaning="rows"):
    """Return ``data`` as a finite float64 matrix, or raise an error that teaches.

    Parameters
    ----------
    data : array_like of shape (n, m)
        Examples as columns, as everywhere in mathnn.
    name : str
        The name the reader knows the argument by (``"X"``, ``"Y"``, ``"W"``...).
    rows : int, optional
        The number of rows the matrix must have. When the transpose would fit, the error says so.
    rows_meaning : str
        What the rows count, for the message (e.g. ``"features"``).

    Returns
    -------
    ndarray of shape (n, m), dtype float64
    """
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, but got the string {data!r}.")
    try:
        array = np.asarray(data)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular numeric array, but numpy could not make one from it "
            f"({error}). Check that every row has the same length."
        ) from None
    if array.dtype == bool:
        array = array.astype(np.float64)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(
            f"{name} must hold real numbers (int or float), but its dtype is {array.dtype}. "
            f"Convert it first, e.g. {name}.astype(float)."
        )
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1:
            hint = (
                f" A 1-D array is ambiguous: use {name}.reshape(1, -1) for one row of m examples, "
                f"or {name}.reshape(-1, 1) for one example as a column."
            )
        raise ValueError(
            f"{name} must be a 2-D matrix with examples as columns, but got {array.ndim}-D "
            f"with shape {array.shape}.{hint}"
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); it needs at least one row and one column.")
    if rows is not None and array.shape[0] != rows:
        if array.shape[1] == rows:
            hint = f"; mathnn wants examples as columns, shape ({rows}, m) — did you mean {name}.T?"
        else:
            hint = "."
        raise ValueError(
            f"{name} must have {rows} {rows_meaning}, one per row, so shape ({rows}, m); got shape {array.shape}{hint}"
        )
    array = array.astype(np.float64, copy=False)
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} contains {len(bad)} NaN or infinite value(s), the first at index {first} "
            f"({array[first]}). Remove or fill them before training."
        )
    return array


def check_same_m(X, Y, x_name="X", y_name="Y"):
    """Raise unless ``X`` and ``Y`` have the same number of examples (columns)."""
    if X.shape[1] != Y.shape[1]:
        hint = ""
        if Y.shape[0] == X.shape[1]:
            hint = f" Did you mean {y_name}.T, or {y_name}.reshape(1, -1)?"
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of examples (columns): "
            f"{x_name} has shape {X.shape} (m={X.shape[1]}), {y_name} has shape {Y.shape} "
            f"(m={Y.shape[1]}).{hint}"
        )


def check_same_shape(Y_hat, Y, y_hat_name="Y_hat", y_name="Y"):
    """Raise unless predictions and targets have the same shape."""
    if Y_hat.shape != Y.shape:
        hint = " Did you mean Y.T?" if Y_hat.shape == Y.shape[::-1] else ""
        raise ValueError(
            f"{y_hat_name} and {y_name} must have the same shape (n_outputs, m), but "
            f"{y_hat_name} has shape {Y_hat.shape} and {y_name} has shape {Y.shape}.{hint}"
        )


def check_binary_labels(Y, name="Y"):
    """Raise unless every entry of ``Y`` is exactly 0 or 1."""
    bad = (Y != 0) & (Y != 1)
    if bad.any():
        values = np.unique(Y[bad])[:5]
        raise ValueError(
            f"binary cross-entropy needs labels that are 0 or 1, but {name} contains {values.tolist()}. "
            f"For more than two classes use one-hot targets (mathnn.data.one_hot) with softmax and "
            f"categorical cross-entropy."
        )


def check_one_hot(Y, name="Y"):
    """Raise unless every column of ``Y`` is a one-hot vector (one 1, the rest 0)."""
    bad_columns = ((Y != 0) & (Y != 1)).any(axis=0) | (Y.sum(axis=0) != 1)
    if bad_columns.any():
        columns = np.flatnonzero(bad_columns)
        hint = ""
        if Y.shape[0] == 1:
            hint = " It has one row: did you pass class labels? Convert them with mathnn.data.one_hot(Y)."
        raise ValueError(
            f"categorical cross-entropy needs one-hot targets (each column one 1 and the rest 0), "
            f"but {len(columns)} column(s) of {name} are not, the first is column {columns[0]}: "
            f"{Y[:, columns[0]].tolist()}.{hint}"
        )


def _unquoted_hint(value, name):
    """For a string that reads as a number, the fix: write it without quotes."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return f" Write the number without quotes: {name}={value.strip()}."
    return ""


def check_real(value, name):
    """Return ``value`` as a float if it is a real number (not a bool, a string, ...); raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, but got {type(value).__name__} {value!r}.{_unquoted_hint(value, name)}"
        )
    return float(value)


def check_finite_real(value, name, fix=""):
    """Return ``value`` as a float if it is a finite real number; raise otherwise."""
    value = check_real(value, name)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, but got {value}. {fix}".rstrip())
    return value


def check_positive_number(value, name, fix):
    """Return ``value`` as a float if it is a finite number > 0; raise otherwise."""
    value = check_real(value, name)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number greater than 0, but got {value}. {fix}")
    return value


def check_count(value, name, minimum=1, maximum=None, fix=""):
    """Return ``value`` if it is an integer between ``minimum`` and ``maximum``; raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number, but got {type(value).__name__} {value!r}.{_unquoted_hint(value, name)}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, but got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, but got {value:,}. {fix}".rstrip())
    return int(value)


def check_seed(seed, name="seed"):
    """Return a ``numpy.random.Generator`` for ``seed``, or raise an error that teaches.

    ``seed`` may be None (fresh randomness), a whole number >= 0 (the same number gives the same
    draws on any machine), or a ``numpy.random.Generator`` (returned as it is, so that draws go on
    from where it is). Strings, floats, negative numbers and bools are refused with the fix.

    Examples
    --------
    >>> check_seed(0).integers(10, size=3)
    array([8, 6, 5])
    >>> check_seed("0")
    Traceback (most recent call last):
    ...
    TypeError: seed must be a whole number >= 0 or a numpy.random.Generator, but got str '0'. Write ...
    """
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence, np.random.BitGenerator)):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        hint = _unquoted_hint(seed, name)
        if isinstance(seed, numbers.Real) and not hint:
            hint = f" Seeds are whole numbers: e.g. {name}={int(seed) if np.isfinite(seed) and seed >= 0 else 0}."
        hint = hint or f" Pass a whole number such as {name}=0."
        raise TypeError(
            f"{name} must be a whole number >= 0 or a numpy.random.Generator, but got "
            f"{type(seed).__name__} {seed!r}.{hint}"
        )
    if seed < 0:
        raise ValueError(
            f"{name} must be a whole number >= 0 (or a numpy.random.Generator), but got {seed}. "
            f"Any non-negative number will do, e.g. {name}={-int(seed)}."
        )
    return np.random.default_rng(int(seed))


def lookup(registry, name, kind):
    """Return ``registry[name]``, or raise an error listing the known names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be given by name (a string), but got {type(name).__name__} {name!r}.")
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry))
        raise ValueError(f"unknown {kind} {name!r}; the known ones are: {known}.") from None
