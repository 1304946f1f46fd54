"""Gradient checking: compare a backward pass with centered finite differences.

Point :func:`gradient_check` at your own ``L_model_backward`` (and forward) to
find out whether your gradients are right, and which parameter is wrong if not.
"""

import numpy as np

from .backward import L_model_backward
from .cost import compute_cost
from .forward import L_model_forward
from .validation import as_matrix, check_parameters, require_positive_number


def relative_difference(a, b):
    """Relative difference ||a - b|| / (||a|| + ||b||), 0.0 when both are 0.

    Parameters
    ----------
    a, b : numpy.ndarray, same shape (any)

    Returns
    -------
    float
    """
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def numerical_gradient(f, x, dout, epsilon=1e-5):
    """Centered finite-difference gradient of ``sum(f(x) * dout)`` with respect to x.

    This is what a backward function computes when ``dout`` is the gradient flowing
    in from above, so it checks any single block: for example
    ``numerical_gradient(lambda A: relu(A)[0], Z, dA)`` should equal
    ``relu_backward(dA, Z)``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to an array shaped like ``dout``.
    x : numpy.ndarray, float, any shape
        The point; it is restored after each perturbation.
    dout : numpy.ndarray, shape of f(x)
    epsilon : float, optional

    Returns
    -------
    numpy.ndarray, shape of x
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + epsilon
        plus = np.sum(f(x) * dout)
        x[index] = original - epsilon
        minus = np.sum(f(x) * dout)
        x[index] = original
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def _count_relu_kinks(caches, tolerance):
    """Number of hidden-layer Z entries within ``tolerance`` of 0 (0 if unreadable)."""
    try:
        return sum(int(np.count_nonzero(np.abs(Z) < tolerance)) for _, Z in caches[:-1])
    except (TypeError, ValueError):  # a learner's caches in another layout
        return 0


def gradient_check(parameters, X, Y, forward=L_model_forward, backward=L_model_backward,
                   epsilon=1e-7, threshold=1e-7, print_result=True, max_parameters=20000):
    """Check ``backward``'s dW and db against finite differences of the cost.

    For every parameter theta, the numerical gradient is
    (J(theta + epsilon) - J(theta - epsilon)) / (2 epsilon), with J computed by
    ``forward`` and :func:`dnn_utils.compute_cost`.

    Parameters
    ----------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1); left untouched.
    X : numpy.ndarray, shape (n[0], m)
    Y : numpy.ndarray, shape (1, m)
    forward : callable, optional
        ``forward(X, parameters) -> (AL, caches)``; yours or the reference.
    backward : callable, optional
        ``backward(AL, Y, caches) -> grads``; the function under test.
    epsilon : float, optional
        Step of the finite differences.
    threshold : float, optional
        Largest relative difference counted as a pass.
    print_result : bool, optional
        Print a one-line summary.
    max_parameters : int, optional
        Refuse larger networks: each parameter costs two forward passes.

    Returns
    -------
    result : dict
        ``"relative_difference"`` (float, over all parameters), ``"worst_parameter"``
        (e.g. ``"dW2"``), ``"differences"`` ({"dW1": float, ...}) and ``"passed"`` (bool).
    """
    where = "gradient_check"
    L = check_parameters(parameters, where)
    X = as_matrix(X, "X", where)
    Y = as_matrix(Y, "Y", where)
    require_positive_number(epsilon, "epsilon", where)
    size = sum(p.size for p in parameters.values())
    if size > max_parameters:
        raise ValueError(
            f"{where}: the network has {size} parameters, more than max_parameters = "
            f"{max_parameters}; checking needs two forward passes per parameter. Fix: check "
            "your backward on a small network (e.g. layer_dims [4, 5, 3, 1]) instead."
        )
    # Work on float64 copies so the caller's arrays are never perturbed.
    theta = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}
    AL, caches = forward(X, theta)
    grads = backward(AL, Y, caches)
    if not isinstance(grads, dict):
        raise TypeError(f"{where}: backward returned {type(grads).__name__}, expected a dict.")

    analytic, numeric = [], []
    differences = {}
    for l in range(1, L + 1):
        for p in "Wb":
            key, grad_key = f"{p}{l}", f"d{p}{l}"
            if grad_key not in grads:
                raise KeyError(f"{where}: backward's grads has no {grad_key!r}.")
            value = theta[key]
            approx = np.zeros_like(value)
            for index in np.ndindex(value.shape):
                original = value[index]
                value[index] = original + epsilon
                plus = compute_cost(forward(X, theta)[0], Y)
                value[index] = original - epsilon
                minus = compute_cost(forward(X, theta)[0], Y)
                value[index] = original
                approx[index] = (plus - minus) / (2 * epsilon)
            grad = np.asarray(grads[grad_key], dtype=np.float64)
            if grad.shape != approx.shape:
                raise ValueError(
                    f"{where}: grads[{grad_key!r}] has shape {grad.shape}, expected "
                    f"{approx.shape} like parameters[{key!r}]."
                )
            differences[grad_key] = relative_difference(grad, approx)
            analytic.append(grad.ravel())
            numeric.append(approx.ravel())

    overall = relative_difference(np.concatenate(analytic), np.concatenate(numeric))
    worst = max(differences, key=differences.get)
    passed = overall < threshold
    if print_result:
        kinks = _count_relu_kinks(caches, 10 * epsilon)
        verdict = "passed" if passed else "FAILED"
        advice = "" if passed else (
            f" Look at the backward step that computes {worst} (layer {worst[2:]})."
        )
        print(
            f"Gradient check {verdict}: relative difference {overall:.1e} "
            f"(threshold {threshold:.0e}); worst parameter {worst} "
            f"({differences[worst]:.1e}).{advice}"
        )
        if not passed and kinks:
            print(
                f"Note: {kinks} value(s) of Z in the hidden layers sit at ReLU's kink "
                "(|Z| close to 0), where finite differences are unreliable; if the check "
                "passes with other data or non-zero biases, your backward is fine."
            )
    return {
        "relative_difference": overall,
        "worst_parameter": worst,
        "differences": differences,
        "passed": passed,
    }
