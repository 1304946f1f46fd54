"""The inputs of notebook 02's graded tests, drawn from fixed seeds.

Every input comes from a private ``RandomState``, so the learner's global random state is
left alone. The first case of each generator is the one whose expected output the
notebook prints. The tests of the blocks (:mod:`.blocks`, :mod:`.backward_blocks`,
:mod:`.updating`) and the slips they recognise (:mod:`.slips`) use them.
"""

import numpy as np

from ..forward import L_model_forward


def draw(seed, *shapes):
    """Standard normal arrays drawn in order, as after ``np.random.seed(seed)``."""
    rng = np.random.RandomState(seed)
    return [rng.randn(*shape) for shape in shapes]


def random_parameters(seed, layer_dims):
    """``W1, b1, W2, ...`` of standard normal values, drawn in that order from ``seed``."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.randn(layer_dims[l], layer_dims[l - 1])
        parameters[f"b{l}"] = rng.randn(layer_dims[l], 1)
    return parameters


def linear_forward_cases():
    """``(A, W, b)`` for ``linear_forward``."""
    yield draw(1, (3, 2), (1, 3), (1, 1))  # the notebook's case
    yield draw(2, (4, 5), (3, 4), (3, 1))


def layer_cases():
    """``(A_prev, W, b)`` for ``linear_activation_forward``."""
    yield draw(2, (3, 2), (1, 3), (1, 1))  # the notebook's case
    yield draw(3, (4, 5), (3, 4), (3, 1))


def network_cases():
    """``(X, parameters)`` for ``L_model_forward``: networks of 2 to 4 layers."""
    # The notebook's case: X (5, 4), then layers of 4, 3 and 1 units, all from seed 6.
    rng = np.random.RandomState(6)
    X = rng.randn(5, 4)
    parameters = {}
    for l, (n, n_prev) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        parameters[f"W{l}"] = rng.randn(n, n_prev)
        parameters[f"b{l}"] = rng.randn(n, 1)
    yield X, parameters
    yield draw(7, (3, 5))[0], random_parameters(8, [3, 4, 1])
    yield draw(9, (6, 3))[0], random_parameters(10, [6, 5, 4, 3, 1])


def cost_cases():
    """``(AL, Y)`` for ``compute_cost``."""
    yield np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]])  # the notebook's case
    rng = np.random.RandomState(11)
    AL = rng.uniform(0.05, 0.95, size=(1, 6))
    Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    yield AL, Y


def linear_backward_cases():
    """``(dZ, A_prev, W, b)`` for ``linear_backward``."""
    yield draw(1, (3, 4), (5, 4), (3, 5), (3, 1))  # the notebook's case
    yield draw(1, (1, 2), (3, 2), (1, 3), (1, 1))
    # All square, so that a missing transpose gives wrong values instead of an error.
    yield draw(4, (3, 3), (3, 3), (3, 3), (3, 1))


def activation_backward_cases():
    """``(dA, A_prev, W, b, Z)`` for ``linear_activation_backward``."""
    yield draw(2, (1, 2), (3, 2), (1, 3), (1, 1), (1, 2))  # the notebook's case
    yield draw(5, (3, 4), (5, 4), (3, 5), (3, 1), (3, 4))


def labelled_network(seed, layer_dims, m):
    """``(AL, Y, caches)`` of a random network on ``m`` random examples, both labels present."""
    parameters = random_parameters(seed, layer_dims)
    rng = np.random.RandomState(seed + 100)
    X = rng.randn(layer_dims[0], m)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    Y[0, :2] = [1.0, 0.0]
    AL, caches = L_model_forward(X, parameters)
    return AL, Y, caches


def backward_cases():
    """``(AL, Y, caches)`` for ``L_model_backward``: networks of 2 and 3 layers."""
    for seed, layer_dims, m in ((12, [4, 3, 1], 3), (13, [5, 4, 3, 1], 4)):
        yield labelled_network(seed, layer_dims, m)


def update_cases():
    """``(parameters, grads, learning_rate)`` for ``update_parameters``."""
    # The notebook's case: parameters from seed 2, gradients from seed 3.
    rng = np.random.RandomState(2)
    parameters = {"W1": rng.randn(3, 4), "b1": rng.randn(3, 1),
                  "W2": rng.randn(1, 3), "b2": rng.randn(1, 1)}
    rng = np.random.RandomState(3)
    grads = {"dW1": rng.randn(3, 4), "db1": rng.randn(3, 1),
             "dW2": rng.randn(1, 3), "db2": rng.randn(1, 1)}
    yield parameters, grads, 0.1
    parameters = random_parameters(14, [4, 3, 2, 1])
    grads = {f"d{k}": v for k, v in random_parameters(15, [4, 3, 2, 1]).items()}
    grads.update({f"dA{l}": np.ones((n, 2)) for l, n in enumerate([4, 3, 2])})
    yield parameters, grads, 0.5
