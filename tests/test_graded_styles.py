"""Right functions pass whatever their style: the course's loops, np.dot, while loops,
copies made another way (tests/test_graded.py has the notebook's own style). The graded tests' extra diagnoses (orders, the course's
conventions, second runs) only speak when a result is wrong."""

import copy

import numpy as np
import pytest

from dnn_utils import graded, linear_activation_forward, relu_backward, sigmoid_backward


def course_linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache


def while_L_model_forward(X, parameters):
    caches, A, l = [], X, 1
    L = len(parameters) // 2
    while l <= L:
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             activation)
        caches.append(list(cache))
        l += 1
    return A, caches


def mean_compute_cost(AL, Y):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def course_compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (-1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    return np.squeeze(cost)


def course_linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def course_linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    else:
        dZ = sigmoid_backward(dA, activation_cache)
    return course_linear_backward(dZ, linear_cache)


def by_hand_linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = np.array(dA, copy=True)
        dZ[Z <= 0] = 0
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    return course_linear_backward(dZ, linear_cache)


def counting_down_L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads[f"dW{l}"], grads[f"db{l}"] = course_linear_activation_backward(
            dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
    return grads


def zipped_L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l, cache in zip(range(L, 0, -1), reversed(caches)):
        dA, dW, db = by_hand_linear_activation_backward(dA, cache,
                                                        "sigmoid" if l == L else "relu")
        grads.update({f"dA{l - 1}": dA, f"dW{l}": dW, f"db{l}": db})
    return grads


def shortcut_L_model_backward(AL, Y, caches):
    # Notebook 02's shortcut, used right: AL - Y is dZ[L], given to linear_backward.
    grads = {}
    L = len(caches)
    linear_cache, _ = caches[L - 1]
    dA, grads[f"dW{L}"], grads[f"db{L}"] = course_linear_backward(AL - Y, linear_cache)
    grads[f"dA{L - 1}"] = dA
    for l in range(L - 1, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = course_linear_activation_backward(
            dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def comprehension_update_parameters(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def deepcopy_update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    for l in range(len(parameters) // 2):
        parameters["W" + str(l + 1)] -= learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] -= learning_rate * grads["db" + str(l + 1)]
    return parameters


def course_initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) \
            / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


RIGHT = [
    ("linear_forward", course_linear_forward),
    ("L_model_forward", while_L_model_forward),
    ("compute_cost", mean_compute_cost),
    ("compute_cost", course_compute_cost),
    ("linear_backward", course_linear_backward),
    ("linear_activation_backward", course_linear_activation_backward),
    ("linear_activation_backward", by_hand_linear_activation_backward),
    ("L_model_backward", counting_down_L_model_backward),
    ("L_model_backward", zipped_L_model_backward),
    ("L_model_backward", shortcut_L_model_backward),
    ("update_parameters", comprehension_update_parameters),
    ("update_parameters", deepcopy_update_parameters),
    ("initialize_parameters_deep", course_initialize_parameters_deep),
]


@pytest.mark.parametrize("exercise, target", RIGHT,
                         ids=[target.__name__ for _, target in RIGHT])
def test_a_right_function_in_any_style_passes(exercise, target, capsys):
    getattr(graded, f"{exercise}_test")(target)
    assert capsys.readouterr().out == f"{exercise}_test: all tests passed.\n"
