"""Training the 2-layer and the L-layer model, and predicting with them.

The models check their data once (:func:`dnn_utils.contracts.check_training_data`),
then :func:`train` runs gradient descent with the same building blocks, unchecked
(``check=False``), checking only that training has not diverged. The package's speed
tricks all live in :func:`train` (and :func:`update_in_place`, the update it uses),
each with the reason it is there. A run that ends worse than it started, or whose cost
keeps going up and down, ends with a :class:`LearningRateWarning`.
"""

import warnings

import numpy as np

from .activations import ACTIVATIONS, layer_activation
from .backward import linear_activation_backward, output_gradient
from .contracts import check_label_row, check_training_data
from .cost import compute_cost
from .forward import L_model_forward, linear_activation_forward, linear_forward
from .initialization import initialize_parameters, initialize_parameters_deep
from .validation import as_matrix, require_count, require_positive_number

#: The published learning rate of both models.
PUBLISHED_LEARNING_RATE = 0.0075

#: The largest learning rate measured to train the published deep network
#: [12288, 20, 7, 5, 1] on the cat data (2500 iterations, seed 1). Measured: 0.01 and
#: 0.02 end at costs 0.027 and 0.032; 0.03 oscillates and, like 0.05 and 0.1, ends at
#: 0.644, the cost of predicting the share of cats for every picture.
LARGEST_KNOWN_GOOD_LEARNING_RATE = 0.02

#: A cost that goes up by more than this fraction between two recorded iterations
#: (every 100) counts as one rise; two rises make a cost that oscillates.
_RISE = 0.01

_WARNING_REGISTRY = {}


class TrainingDivergedError(FloatingPointError):
    """Raised when the parameters of a training run stop being finite numbers."""


class LearningRateWarning(RuntimeWarning):
    """Training finished, but its cost rose or oscillated: the learning rate is too large."""


def suggest_learning_rate(learning_rate):
    """A learning rate to try after ``learning_rate`` went wrong.

    A factor 10 below ``learning_rate`` when that is at most the largest rate known
    to train the published network, else the published rate, 0.0075: a factor 10
    below a hopeless rate (1e6 -> 1e5) is still hopeless.

    Parameters
    ----------
    learning_rate : float

    Returns
    -------
    float
    """
    smaller = learning_rate / 10
    return smaller if smaller <= LARGEST_KNOWN_GOOD_LEARNING_RATE else PUBLISHED_LEARNING_RATE


def _too_large(learning_rate):
    return (f"learning_rate = {learning_rate} is too large for this network; try a "
            f"smaller one, e.g. {suggest_learning_rate(learning_rate):g}.")


def check_cost_history(costs, learning_rate, where):
    """Warn with :class:`LearningRateWarning` if the recorded costs rose or oscillated.

    Parameters
    ----------
    costs : sequence of float
        The costs of a run, first to last (every 100 iterations and the last one).
    learning_rate : float
    where : str
        The calling function's name, used in the message.

    Returns
    -------
    str or None
        The warning's message, or None when the costs look healthy.
    """
    if len(costs) < 2:
        return None
    first, last = costs[0], costs[-1]
    rises = sum(1 for before, after in zip(costs, costs[1:]) if after > before * (1 + _RISE))
    # The message holds no cost: in a chaotic run those digits depend on the CPU, and a
    # notebook stores the warning.
    if last > first:
        problem = ("the cost ended higher than it started", "The parameters returned are "
                   "probably useless.")
    elif rises >= 2:
        problem = ("the cost went up and down between the recorded iterations instead of "
                   "falling", "The parameters returned may be far from the best this "
                   "network can do.")
    else:
        return None
    message = f"{where}: {problem[0]}: {_too_large(learning_rate)} {problem[1]}"
    # Shown as "<L_layer_model>:0: LearningRateWarning: ...": no file path or source
    # line of this machine, so a notebook that stores the warning stays portable. Like
    # any warning, an identical one is shown once (the registry), unless filtered.
    warnings.warn_explicit(message, LearningRateWarning, f"<{where}>", 0,
                           registry=_WARNING_REGISTRY)
    return message


def check_not_diverged(AL, Y, i, learning_rate, where):
    """Raise TrainingDivergedError if the cost at iteration i is NaN or infinite."""
    if not np.isfinite(AL).all():
        reason = "the predictions became NaN (the weights grew without bound)"
    elif ((AL == 1) & (Y == 0)).any() or ((AL == 0) & (Y == 1)).any():
        # A wrong prediction that is exactly 0 or 1 has an infinite cross-entropy;
        # compute_cost clips it to stay finite, but training has gone off the rails.
        reason = ("the cost became infinite (a prediction is exactly 0 or 1 on the wrong "
                  "side: the weights grew far too large)")
    else:
        return
    raise TrainingDivergedError(
        f"{where}: training diverged at iteration {i}: {reason}. {_too_large(learning_rate)}"
    )


def update_in_place(parameters, steps):
    """The gradient descent step W := W - steps["dW"], written over W (and likewise b).

    ``steps`` holds ``learning_rate * dW`` and ``learning_rate * db``, as the backward
    pass of :func:`train` returns them. No new arrays: for the cat model W1 is 2 MB,
    and allocating a new one at every iteration is measurably slower. Only for a
    caller that owns ``parameters`` (the training loop): it is overwritten.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1); overwritten.
    steps : dict
        ``"dWl"``: (n[l], n[l-1]) and ``"dbl"``: (n[l], 1), the gradients already
        multiplied by the learning rate.

    Returns
    -------
    parameters : dict
        ``parameters`` itself.
    """
    for key, W in parameters.items():
        W -= steps["d" + key]
    return parameters


def train(X, Y, parameters, learning_rate, num_iterations, *, print_cost=False,
          callback=None, update=update_in_place, where="train"):
    """Gradient descent from ``parameters``, on inputs the caller has checked.

    One iteration is the learner's loop of notebook 03 (forward, cost, backward,
    update), calling the same building blocks with ``check=False``. The speed
    tricks of the package all live here, each with the reason it is there; with
    them the loop runs close to the floor of ``benchmarks/bench_training.py`` (the
    two large matrix products one iteration cannot avoid).

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        As returned by :func:`dnn_utils.contracts.check_training_data`.
    Y : numpy.ndarray, shape (1, m)
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1); updated in place by the
        default ``update``.
    learning_rate : float
    num_iterations : int
    print_cost : bool, optional
        Print ``Cost after iteration i: c`` every 100 iterations and at the last one.
    callback : callable, optional
        ``callback(i, cost, parameters)``, see :func:`L_layer_model`.
    update : callable, optional
        The update step, ``update(parameters, steps) -> parameters``, where ``steps``
        holds ``learning_rate * dW`` and ``learning_rate * db`` under the keys of the
        gradients (``"dWl"``, ``"dbl"``); by default :func:`update_in_place`.
    where : str, optional
        The name used in messages.

    Returns
    -------
    parameters : dict
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    require_positive_number(learning_rate, "learning_rate", where)
    require_count(num_iterations, "num_iterations", where)
    L = len(parameters) // 2
    costs = []
    recorded = []
    last = num_iterations - 1
    for i in range(num_iterations):
        W1, b1 = parameters["W1"], parameters["b1"]
        # Speed trick 1, the BLAS orientation of W1 @ X. X is column-major (one
        # contiguous column per example, as flatten_images and check_training_data give
        # it), and for that layout OpenBLAS is faster at the transposed product:
        # Z1.T = X.T @ W1.T + b1.T, by the same linear_forward (Z = W @ A + b). The sums
        # are the same; some BLAS kernels add them in another order, so Z1 equals
        # W1 @ X + b1 to rounding. Z1 is stored row-major, as W1 @ X returns it.
        Z1_T, _ = linear_forward(W1.T, X.T, b1.T, check=False)
        Z1 = np.ascontiguousarray(Z1_T.T)
        A, Z1 = ACTIVATIONS[layer_activation(1, L)].forward(Z1, check=False)
        # Speed trick 2, no dA0: training never uses the gradient with respect to X,
        # one of the three large products of an iteration. Layer 1's cache holds W1's
        # first 0 columns, so linear_backward's dA_prev = W.T @ dZ is an empty product.
        caches = [((X, W1[:, :0], b1), Z1)]
        for l in range(2, L + 1):
            A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                 layer_activation(l, L), check=False)
            caches.append(cache)
        AL = A
        check_not_diverged(AL, Y, i, learning_rate, where)
        # Speed trick 3, the cost only when it is recorded: nothing else needs it.
        if i % 100 == 0 or i == last:
            cost = compute_cost(AL, Y, check=False)
            recorded.append(cost)
            if i % 100 == 0:
                costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:.8f}")
            if callback is not None:
                callback(i, cost, {key: value.copy() for key, value in parameters.items()})
        # Speed trick 4, the steps straight out of the backward pass. Every backward
        # block is linear in the gradient it is given, so a pass started from
        # learning_rate * dA[L] returns learning_rate * dW[l] and learning_rate * db[l]:
        # the steps of gradient descent, with no pass over the 2 MB dW1 to scale it.
        steps = {}
        dA = learning_rate * output_gradient(AL, Y)
        for l in range(L, 0, -1):
            dA, steps[f"dW{l}"], steps[f"db{l}"] = linear_activation_backward(
                dA, caches[l - 1], layer_activation(l, L), check=False)
        # Speed trick 5, the update in place (update_in_place): no new 2 MB W1 at every
        # iteration.
        parameters = update(parameters, steps)
    for key, value in parameters.items():
        if not np.isfinite(value).all():
            raise TrainingDivergedError(
                f"{where}: training diverged at the last iteration ({last}): {key} is no "
                f"longer finite. {_too_large(learning_rate)}"
            )
    check_cost_history(recorded, learning_rate, where)
    return parameters, costs


def two_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                    print_cost=False, *, seed=1, callback=None):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID with gradient descent.

    Parameters
    ----------
    X : numpy.ndarray, shape (n_x, m)
        Training inputs, one example per column.
    Y : numpy.ndarray, shape (1, m)
        Labels, 0 or 1.
    layer_dims : sequence of int
        ``(n_x, n_h, n_y)``.
    learning_rate : float, optional
    num_iterations : int, optional
    print_cost : bool, optional
        Print ``Cost after iteration i: c`` every 100 iterations and at the last one.
    seed : int, optional
        Seed of :func:`initialize_parameters` (default 1, the published one).
    callback : callable, optional
        Called as ``callback(i, cost, parameters)`` at every iteration whose cost is
        computed (every 100, and the last), with the parameters before that update.

    Returns
    -------
    parameters : dict
        ``"W1"``: (n_h, n_x), ``"b1"``: (n_h, 1), ``"W2"``: (n_y, n_h), ``"b2"``: (n_y, 1).
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    where = "two_layer_model"
    X, Y, dims = check_training_data(X, Y, layer_dims, where)
    if len(dims) != 3:
        raise ValueError(
            f"{where}: layer_dims is {dims}, expected 3 sizes (n_x, n_h, n_y). "
            "Fix: use L_layer_model for deeper networks."
        )
    parameters = initialize_parameters(*dims, seed=seed)
    return train(X, Y, parameters, learning_rate, num_iterations, print_cost=print_cost,
                 callback=callback, where=where)


def L_layer_model(X, Y, layer_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False, *, seed=1, callback=None):
    """Train [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID with gradient descent.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Training inputs, one example per column.
    Y : numpy.ndarray, shape (1, m)
        Labels, 0 or 1.
    layer_dims : sequence of int, length L + 1
        ``[n[0], n[1], ..., n[L]]`` with n[L] = 1.
    learning_rate : float, optional
    num_iterations : int, optional
    print_cost : bool, optional
        Print ``Cost after iteration i: c`` every 100 iterations and at the last one.
    seed : int, optional
        Seed of :func:`initialize_parameters_deep` (default 1, the published one).
    callback : callable, optional
        Called as ``callback(i, cost, parameters)`` at every iteration whose cost is
        computed (every 100, and the last), with the parameters before that update.

    Returns
    -------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    costs : list of float
        The cost at iterations 0, 100, 200, ...
    """
    where = "L_layer_model"
    X, Y, dims = check_training_data(X, Y, layer_dims, where)
    parameters = initialize_parameters_deep(dims, seed=seed)
    return train(X, Y, parameters, learning_rate, num_iterations, print_cost=print_cost,
                 callback=callback, where=where)


def predict(X, y, parameters):
    """Predict 0/1 labels with a trained network, printing the accuracy.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Inputs, one example per column.
    y : numpy.ndarray, shape (1, m), or None
        True labels; when given, the accuracy is printed.
    parameters : dict
        Trained parameters, ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1).

    Returns
    -------
    p : numpy.ndarray, shape (1, m)
        1.0 where the predicted probability is > 0.5, else 0.0.
    """
    probas, _ = L_model_forward(X, parameters)
    p = (probas > 0.5).astype(np.float64)
    if y is not None:
        y = check_label_row(y, "y", p.shape[1], "predict")
        print(f"Accuracy: {_accuracy_of(p, y)}")
    return p


def _accuracy_of(p, Y):
    """Fraction of predictions ``p`` (1, m) equal to the labels ``Y`` (1, m), a float."""
    return float(np.mean(p == Y))


def accuracy(X, Y, parameters):
    """Fraction of examples whose predicted label (probability > 0.5) equals Y.

    Unlike :func:`predict` it prints nothing, so it can be called at every
    checkpoint of a training run.

    Parameters
    ----------
    X : numpy.ndarray, shape (n[0], m)
        Inputs, one example per column.
    Y : numpy.ndarray, shape (1, m)
        True labels, 0 or 1.
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.

    Returns
    -------
    accuracy : float
        In [0, 1].
    """
    where = "accuracy"
    X = as_matrix(X, "X", where)
    Y = check_label_row(Y, "Y", X.shape[1], where)
    return _accuracy_of(predict(X, None, parameters), Y)
