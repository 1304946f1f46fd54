"""The shape of every array in an L-layer network, as a table.

Most bugs in a from-scratch network are shape bugs. Writing down the shape of
W[l], b[l], Z[l], A[l] and their gradients before coding is the lecture's advice;
these helpers do it for any ``layer_dims`` and any number of examples ``m``.
"""


from .validation import check_layer_dims, require_count


def _check_m(m, where):
    require_count(m, "m", where, of="of examples such as 209",
                  fix="pass X.shape[1], the number of columns of X.")
    return int(m)


def layer_shapes(layer_dims, m):
    """Shapes of the parameters, activations and gradients of every layer.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``: the input size, then each layer's size.
    m : int
        Number of examples (columns of X).

    Returns
    -------
    shapes : list of dict, length L
        ``shapes[l - 1]`` describes layer l with keys ``"layer"`` (l) and
        ``"W"``, ``"dW"``: (n[l], n[l-1]); ``"b"``, ``"db"``: (n[l], 1);
        ``"Z"``, ``"A"``, ``"dZ"``, ``"dA"``: (n[l], m). Shapes are tuples of int.
        A gradient always has the shape of the array it is the gradient of.
        A[0] = X, shape (n[0], m), is not a layer and is not listed.
    """
    where = "layer_shapes"
    dims = check_layer_dims(layer_dims, where)
    m = _check_m(m, where)
    shapes = []
    for l in range(1, len(dims)):
        W = (dims[l], dims[l - 1])
        b = (dims[l], 1)
        Z = (dims[l], m)
        shapes.append({
            "layer": l,
            "W": W, "b": b, "Z": Z, "A": Z,
            "dZ": Z, "dA": Z, "dW": W, "db": b,
        })
    return shapes


def count_parameters(layer_dims):
    """Number of learnable parameters, per layer and in total.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``.

    Returns
    -------
    per_layer : list of int, length L
        ``per_layer[l - 1]`` = n[l] * n[l-1] weights + n[l] biases of layer l.
    total : int
        ``sum(per_layer)``.
    """
    dims = check_layer_dims(layer_dims, "count_parameters")
    per_layer = [dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims))]
    return per_layer, sum(per_layer)


def _fmt(shape):
    return "(" + ", ".join(str(n) for n in shape) + ")"


def format_shapes(layer_dims, m):
    """The shapes of :func:`layer_shapes` as an aligned plain-text table.

    Parameters
    ----------
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]``.
    m : int
        Number of examples.

    Returns
    -------
    table : str
        One header line, one line per layer, then the parameter total; no
        trailing newline. dW, db, dZ and dA have the shapes of W, b, Z and A.
    """
    where = "format_shapes"
    dims = check_layer_dims(layer_dims, where)
    m = _check_m(m, where)
    per_layer, total = count_parameters(dims)
    header = ["layer", "n[l]", "W, dW", "b, db", "Z, A, dZ, dA", "parameters"]
    rows = [["0 (X)", str(dims[0]), "-", "-", f"A[0] = X: {_fmt((dims[0], m))}", "-"]]
    for shapes, count in zip(layer_shapes(dims, m), per_layer, strict=True):
        rows.append([
            str(shapes["layer"]), str(shapes["W"][0]), _fmt(shapes["W"]), _fmt(shapes["b"]),
            _fmt(shapes["Z"]), f"{count:,}",
        ])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    # Numbers read best right-aligned, shapes and names left-aligned.
    right = {1, 5}

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    L = len(dims) - 1
    lines.append(
        f"L = {L} layer{'s' * (L != 1)}, m = {m} example{'s' * (m != 1)}, "
        f"{total:,} parameter{'s' * (total != 1)} in total"
    )
    return "\n".join(lines)
