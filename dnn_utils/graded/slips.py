"""The usual slips of notebook 02's blocks, computed: what a slipped function returns.

A graded test compares the learner's wrong result with these, so that a matching slip
gets its own message where the learner made it. Some slips raise an error on the tests'
usual networks (a layer fed X, a layer given the next layer's cache): the *narrow*
networks here are built so that the slip gives values instead, and the test, having
seen the error, runs the learner's function on them to find out which slip it was.
"""

import numpy as np

from ..activations import ACTIVATIONS, layer_activation, relu_backward, sigmoid, sigmoid_backward
from ..backward import linear_activation_backward, linear_backward, output_gradient
from ..forward import L_model_forward
from .failure import named
from .tolerance import close

_OTHER = {"relu": "sigmoid", "sigmoid": "relu"}


def activation_output(name):
    """``g(Z) -> A`` of the activation ``name`` ("relu" or "sigmoid")."""
    return lambda Z: ACTIVATIONS[name].forward(Z, check=False)[0]


_SIGMOID_FIX = ("dZ = dA * s * (1 - s) with s = sigmoid(Z), or use "
                "sigmoid_backward(dA, activation_cache).")


def wrong_dZ(dA, Z, activation):
    """The dZ of the usual slips in ``linear_activation_backward``, each with its hint.

    Parameters
    ----------
    dA, Z : numpy.ndarray
        The layer's dA and its activation cache.
    activation : str
        "relu" or "sigmoid", the layer's activation.

    Returns
    -------
    list of (numpy.ndarray, str)
        Wrong dZ values, each with a :func:`~.failure.named` hint.
    """
    s, _ = sigmoid(Z, check=False)
    other = _OTHER[activation]
    wrong = [
        ((sigmoid_backward if other == "sigmoid" else relu_backward)(dA, Z),
         named("wrong-activation-backward", f"with activation == '{activation}' use "
               f"{activation}_backward(dA, activation_cache), not {other}_backward. Check "
               "the strings of your if/elif.")),
        (dA, named("no-activation-derivative", "you skipped the activation's derivative: "
                   f"dZ = {activation}_backward(dA, activation_cache).")),
    ]
    if activation == "sigmoid":
        return wrong + [
            (dA * s, named("activation-not-derivative", "you multiplied dA by the "
                           "activation s = sigmoid(Z), not by its derivative s * (1 - s): "
                           + _SIGMOID_FIX)),
            (dA * (1 - s), named("sigmoid-derivative", "the sigmoid's derivative is "
                                 "s * (1 - s): " + _SIGMOID_FIX)),
            (dA * Z * (1 - Z), named("sigmoid-derivative-of-Z", "you took the sigmoid's "
                                     "derivative on Z: s * (1 - s) holds for s = sigmoid(Z) "
                                     "= 1 / (1 + np.exp(-Z)), not for Z. " + _SIGMOID_FIX)),
        ]
    return wrong + [
        (np.where(dA > 0, dA, 0.0),
         named("relu-derivative-of-dA", "ReLU's derivative depends on Z (the activation "
               "cache), not on dA: dZ is dA where Z > 0 and 0 elsewhere; use "
               "relu_backward(dA, activation_cache).")),
        (np.where(Z > 0, 0.0, dA),
         named("relu-mask-inverted", "your mask is inverted: dZ keeps dA where Z <= 0 and "
               "is 0 where Z > 0. The gradient passes where the unit was active: dZ is dA "
               "where Z > 0 and 0 elsewhere (dZ[Z <= 0] = 0 on a copy of dA), or use "
               "relu_backward(dA, activation_cache).")),
        (dA * np.maximum(Z, 0),
         named("activation-not-derivative", "you multiplied dA by the activation relu(Z) "
               "(that is A), not by its derivative: ReLU's derivative is 1 where Z > 0 and "
               "0 elsewhere, so dZ = dA * (Z > 0), or use relu_backward(dA, "
               "activation_cache).")),
    ]


def dZ_behind(gradients, linear_cache):
    """The dZ that ``linear_backward`` turns into ``gradients``, or None.

    Parameters
    ----------
    gradients : tuple
        The learner's ``(dA_prev, dW, db)``.
    linear_cache : tuple
        ``(A_prev, W, b)``.

    Returns
    -------
    numpy.ndarray or None
        The dZ with ``linear_backward(dZ, linear_cache) == gradients``, when there is
        one: the learner's linear step is right and only dZ can be wrong. None when the
        gradients are not all arrays of the right shapes, or no dZ explains all three.
    """
    A_prev, W, b = linear_cache
    shapes = [A_prev.shape, W.shape, b.shape]
    if not all(isinstance(g, np.ndarray) and g.shape == s and g.dtype.kind in "biuf"
               and np.isfinite(g).all() for g, s in zip(gradients, shapes)):
        return None
    try:
        # dA_prev = W.T @ dZ: least squares recovers dZ when W.T has full column rank.
        dZ = np.linalg.lstsq(W.T, gradients[0].astype(float), rcond=None)[0]
    except (np.linalg.LinAlgError, ValueError):
        return None
    again = linear_backward(dZ, linear_cache, check=False)
    return dZ if all(close(g, a) for g, a in zip(gradients, again)) else None


def forward_with(X, parameters, hidden, output):
    """AL of the network with the given activation names."""
    L = len(parameters) // 2
    A = X
    for l in range(1, L + 1):
        g = activation_output(layer_activation(l, L, hidden, output))
        A = g(parameters[f"W{l}"] @ A + parameters[f"b{l}"])
    return A


def forward_feeding_X(X, parameters):
    """AL when the hidden layers get X instead of A_prev: the output layer fed X too, or
    fed the last hidden layer's A (computed from X)."""
    L = len(parameters) // 2
    relu, sigmoid_ = activation_output("relu"), activation_output("sigmoid")
    A = X
    for l in range(1, L):
        A = relu(parameters[f"W{l}"] @ X + parameters[f"b{l}"])
    W, b = parameters[f"W{L}"], parameters[f"b{L}"]
    return [sigmoid_(W @ X + b), sigmoid_(W @ A + b)]


def backward_with(AL, Y, caches, hidden="relu", output="sigmoid", dAL=None, offset=0):
    """grads of a backward pass with one slip (to build wrong results).

    Parameters
    ----------
    hidden, output : str
        The activations the hidden layers and the output layer go back through.
    dAL : numpy.ndarray, optional
        The gradient the output layer starts from (the right one by default).
    offset : int, optional
        Hidden layer l goes back through ``caches[l - 1 + offset]`` (Python's indexing:
        -1 is the output layer's cache) instead of its own.
    """
    grads = {}
    L = len(caches)
    dA = output_gradient(AL, Y) if dAL is None else dAL
    for l in range(L, 0, -1):
        cache = caches[l - 1] if l == L else caches[(l - 1 + offset) % L]
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, cache, layer_activation(l, L, hidden, output), check=False)
        grads[f"dA{l - 1}"] = dA
    return grads


def narrow_network():
    """``(AL, Y, caches)`` of a network of one unit per layer, ``[1, 1, 1, 1]``, on 5
    examples: any layer's cache fits any other layer, so a cache offset gives values.

    The weights and inputs are positive, so every unit is active (a slip that zeroes
    the gradients, such as a ReLU at the output, cannot look like a cache offset) and
    each layer's gradients differ from those of its neighbours.
    """
    rng = np.random.RandomState(31)
    parameters = {}
    for l in range(1, 4):
        parameters[f"W{l}"] = rng.uniform(0.5, 1.5, (1, 1))
        parameters[f"b{l}"] = rng.uniform(-0.3, 0.3, (1, 1))
    X = rng.uniform(0.5, 1.5, (1, 5))
    Y = np.array([[1.0, 0.0, 1.0, 0.0, 1.0]])
    AL, caches = L_model_forward(X, parameters)
    return AL, Y, caches


def square_network():
    """``(X, parameters)`` with ``layer_dims = [3, 3, 3, 1]``: X fits every layer's W."""
    rng = np.random.RandomState(32)
    parameters = {}
    for l, (n, n_prev) in enumerate([(3, 3), (3, 3), (1, 3)], start=1):
        parameters[f"W{l}"] = rng.randn(n, n_prev)
        parameters[f"b{l}"] = rng.randn(n, 1)
    return rng.randn(3, 4), parameters
