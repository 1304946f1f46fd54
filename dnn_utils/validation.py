"""The primitive input checks and parsers behind every clear error message.

:mod:`dnn_utils.contracts` builds each block's contract from these. Every check
raises an error whose message names the function, the argument, what was seen,
what was expected and how to fix it, so that a learner never meets a silent
broadcast or a NaN three layers later. The parsers turn command-line text into
numbers with the same kind of message.
"""

import numbers

import numpy as np


class ParameterKeyError(KeyError):
    """A ``KeyError`` that prints its message as plain text (not as a quoted key)."""

    def __str__(self):
        return str(self.args[0])


def as_matrix(x, name, where):
    """Return ``x`` as a 2-D numeric NumPy array, or raise a clear error.

    Parameters
    ----------
    x : array_like, shape (rows, columns)
    name : str
        The argument's name, used in the message.
    where : str
        The calling function's name, used in the message.

    Returns
    -------
    numpy.ndarray, shape (rows, columns)
        ``x`` itself when it is already an array (never a copy).
    """
    if x is None:
        raise TypeError(
            f"{where}: {name} is None, expected a 2-D NumPy array. "
            "Fix: check that the function computing it ends with a `return`."
        )
    arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{where}: {name} has dtype {arr.dtype}, expected numbers (float or int). "
            f"Fix: build {name} from numbers, e.g. np.asarray({name}, dtype=float)."
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{where}: {name} has shape {arr.shape} ({arr.ndim}-D), expected a 2-D array "
            f"(rows, examples). Fix: reshape it, e.g. {name}.reshape(1, -1) for a row "
            f"or {name}.reshape(-1, 1) for a column."
        )
    return arr


def _all_finite(x):
    """True if the NumPy array ``x`` holds no NaN and no infinite value.

    A NaN or inf anywhere makes the sum of ``x`` NaN or inf, so a finite sum settles it
    in one read of ``x``, without the temporary boolean array of ``np.isfinite(x).all()``
    (about 1.5x faster on the 2 MB W1). Only a sum that is not finite needs the
    element-wise test: finite values can still overflow when added.
    """
    if x.dtype.kind != "f":
        return True
    with np.errstate(over="ignore", invalid="ignore"):  # inf + -inf, or an overflow
        total = x.sum()
    return bool(np.isfinite(total)) or bool(np.isfinite(x).all())


def require_finite(x, name, where):
    """Raise ``ValueError`` if array ``x`` holds NaN or infinite values."""
    if not _all_finite(x):
        finite = np.isfinite(x)
        bad = int(x.size - np.count_nonzero(finite))
        first = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"{where}: {name} (shape {x.shape}) contains {bad} non-finite value(s) "
            f"(NaN or inf), the first at {name.split(' ')[0]}[{', '.join(map(str, first))}] = "
            f"{x[first]}; expected finite numbers. Fix: look for a division by zero, "
            "a log of 0, or a learning rate so large that training diverged."
        )


def quiet_nonfinite():
    """Context manager: no NumPy warnings while a NaN or inf input is carried through.

    The public blocks compute first and then check the result with
    :func:`require_finite_result`, which raises a clear error; the warning NumPy
    would print on the way ("invalid value encountered in matmul") is only noise.
    """
    return np.errstate(invalid="ignore", over="ignore")


def require_finite_result(result, name, where, sources):
    """Raise ``ValueError`` if a computed array holds NaN or inf, naming the cause.

    The data matrix X is the largest input of every block (20 MB for the cat data) and
    is passed at every iteration, so it is not scanned up front: a NaN or inf in an
    input always reaches the result computed from it (NaN * 0 is NaN, inf * 0 is NaN),
    and that one result, usually far smaller than its inputs, is checked instead. Only
    when the result is not finite are the inputs searched, so the message is the same
    as if they had been checked first.

    Parameters
    ----------
    result : numpy.ndarray
        What the block computed, e.g. Z of shape (n[l], m) or dW of shape (n[l], n[l-1]).
    name : str
        Its name in the message.
    where : str
        The calling function's name.
    sources : sequence of (numpy.ndarray, str)
        The inputs ``result`` was computed from that were not checked for finiteness,
        with their names; the first one holding NaN or inf is reported.
    """
    if _all_finite(result):
        return
    for x, x_name in sources:
        require_finite(x, x_name, where)
    raise ValueError(
        f"{where}: {name} (shape {result.shape}) contains non-finite values (inf or NaN) "
        "although every input is finite: the computation overflowed the largest float "
        "(about 1.8e308). Fix: scale the data down (pixel values / 255) and keep the "
        "weights small (a smaller learning rate, or initialization scaled by 1/sqrt(n[l-1]))."
    )


def require_shape(x, name, expected, where, fix):
    """Raise ``ValueError`` unless ``x.shape == expected``."""
    if x.shape != tuple(expected):
        raise ValueError(
            f"{where}: {name} has shape {x.shape}, expected {tuple(expected)}. Fix: {fix}"
        )


def require_labels(Y, name, where):
    """Raise ``ValueError`` unless every entry of ``Y`` is 0 or 1."""
    ok = (Y == 0) | (Y == 1)
    if not ok.all():
        seen = np.unique(Y[~ok])[:5]
        raise ValueError(
            f"{where}: {name} must hold only labels 0 and 1, but it contains {seen.tolist()}. "
            "Fix: encode the classes as 0 (non-cat) and 1 (cat)."
        )


def require_positive_number(value, name, where):
    """Raise unless ``value`` is a finite real number greater than 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{where}: {name} is {value!r} ({type(value).__name__}), expected a positive "
            f"number such as 0.0075."
        )
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{where}: {name} is {value!r}, expected a finite number greater than 0, "
            "such as 0.0075."
        )


def require_count(value, name, where, minimum=1, of="", fix=""):
    """Raise unless ``value`` is a whole number >= ``minimum``.

    ``of`` says what is counted (e.g. "of units"), for a count that must be positive;
    ``fix`` is added to the message as the way out.
    """
    fix = f" Fix: {fix}" if fix else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{where}: {name} is {value!r} ({type(value).__name__}), expected a whole "
            f"number {of or f'>= {minimum}'}.{fix}"
        )
    if value < minimum:
        expected = f"a positive number {of}" if of else f"a whole number >= {minimum}"
        raise ValueError(f"{where}: {name} is {value}, expected {expected}.{fix}")


def check_layer_dims(layer_dims, where, name="layer_dims"):
    """Return ``layer_dims`` as a list of ints, or raise a clear error.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``: the input size, then each layer's size.
    where : str
        The calling function's name, used in the messages.
    name : str, optional
        The argument's name in the caller.
    """
    try:
        dims = list(layer_dims)
    except TypeError:
        raise TypeError(
            f"{where}: {name} is {layer_dims!r}, expected a list of layer sizes "
            "such as [12288, 20, 7, 5, 1]."
        ) from None
    if len(dims) < 2:
        raise ValueError(
            f"{where}: {name} is {dims} ({len(dims)} entr{'y' if len(dims) == 1 else 'ies'}), "
            "expected at least 2: the input size n[0] and the output size n[L], "
            "e.g. [12288, 7, 1]."
        )
    for l, n in enumerate(dims):
        require_count(n, f"{name}[{l}]", where, of="of units",
                      fix="every layer needs a whole number of units, at least one.")
    return [int(n) for n in dims]


def check_parameters(parameters, where, values=True):
    """Check a parameters dict and return its number of layers L.

    Parameters
    ----------
    parameters : dict
        ``"W1"``: (n[1], n[0]), ``"b1"``: (n[1], 1), ..., ``"WL"``: (n[L], n[L-1]),
        ``"bL"``: (n[L], 1). Nothing else.
    values : bool, optional
        Also require every array to be finite. A caller that checks the results it
        computes from the parameters instead (see :func:`require_finite_result`)
        passes False.

    Returns
    -------
    L : int
    """
    if not isinstance(parameters, dict):
        raise TypeError(
            f"{where}: parameters is a {type(parameters).__name__}, expected a dict "
            "with keys 'W1', 'b1', ..., 'WL', 'bL'."
        )
    # L is read off the highest layer index present, so that a missing key is reported
    # as missing rather than miscounting the layers.
    indices = [int(k[1:]) for k in parameters if isinstance(k, str) and k[:1] in ("W", "b")
               and k[1:].isdigit()]
    L = max(indices, default=0)
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    missing = sorted(expected - parameters.keys(), key=lambda k: (int(k[1:]), k[0]))
    extra = sorted(set(parameters) - expected, key=str)
    if missing:
        raise ParameterKeyError(
            f"{where}: parameters is missing {missing} (it has {sorted(parameters, key=str)}). "
            f"Fix: a {L}-layer network needs exactly 'W1', 'b1', ..., 'W{L}', 'b{L}'."
        )
    if extra:
        raise ValueError(
            f"{where}: parameters has unexpected key(s) {extra} "
            f"(it has {sorted(parameters, key=str)}). Fix: keep only 'W1', 'b1', ..., "
            f"'W{L}', 'b{L}'; store anything else elsewhere."
        )
    if L == 0:
        raise ValueError(f"{where}: parameters is empty, expected 'W1', 'b1', ...")
    for l in range(1, L + 1):
        W = as_matrix(parameters[f"W{l}"], f"parameters['W{l}']", where)
        b = as_matrix(parameters[f"b{l}"], f"parameters['b{l}']", where)
        require_shape(
            b, f"parameters['b{l}']", (W.shape[0], 1), where,
            f"b{l} must be a column (n[{l}], 1) with one bias per unit of layer {l}.",
        )
        if l > 1:
            n_prev = parameters[f"W{l - 1}"].shape[0]
            require_shape(
                W, f"parameters['W{l}']", (W.shape[0], n_prev), where,
                f"W{l} must be (n[{l}], n[{l - 1}]) and layer {l - 1} has {n_prev} units.",
            )
        if values:
            require_finite(W, f"parameters['W{l}']", where)
            require_finite(b, f"parameters['b{l}']", where)
    return L


def parse_positive_number(text, example="0.0075"):
    """Parse ``text`` (e.g. a command-line value) as a finite number greater than 0.

    Parameters
    ----------
    text : str
    example : str, optional
        A good value, named in the message.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Saying what was given and what is expected; the caller adds the argument's name.
    """
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"got {text!r}, expected a number such as {example}") from None
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"got {text!r}, expected a finite number greater than 0, such as {example}"
        )
    return value


def parse_count(text, minimum=1, maximum=None):
    """Parse ``text`` as a whole number in [minimum, maximum].

    Returns
    -------
    int

    Raises
    ------
    ValueError
        Saying what was given and what is expected; the caller adds the argument's name.
    """
    top = "" if maximum is None else f" and <= {maximum}"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"got {text!r}, expected a whole number >= {minimum}{top}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"got {value}, expected a whole number >= {minimum}{top}")
    return value


def parse_layer_dims(text):
    """Parse ``"12288,20,7,5,1"`` into ``[12288, 20, 7, 5, 1]``.

    Returns
    -------
    list of int, length L + 1

    Raises
    ------
    ValueError
        Naming the size that is wrong: not a whole number, or not a positive one.
    """
    example = "such as 12288,20,7,5,1"
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2:
        raise ValueError(
            f"got {text!r}, expected at least two comma-separated layer sizes "
            f"(input size, ..., output size) {example}"
        )
    sizes = []
    for l, part in enumerate(parts):
        try:
            n = int(part)
        except ValueError:
            raise ValueError(
                f"got {text!r}: size {l} is {part!r}, expected a whole number. "
                f"Give comma-separated sizes without spaces, {example}"
            ) from None
        if n <= 0:
            raise ValueError(
                f"got {text!r}: size {l} is {n}, expected a positive number of units "
                "(every layer needs at least one)"
            )
        sizes.append(n)
    return sizes
