"""The training loops: same numbers as the public blocks composed by hand, and their contract."""

import numpy as np
import pytest

from dnn_utils import (
    L_layer_model,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters,
    initialize_parameters_deep,
    predict,
    two_layer_model,
    update_parameters,
)


def data(n_x=12, m=40, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_x, m)
    Y = (X[:1] + 0.5 * X[1:2] > 0).astype(np.int64)  # learnable labels
    return X, Y


def by_hand(X, Y, parameters, learning_rate, num_iterations):
    """The textbook loop written with the public blocks only."""
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@pytest.mark.parametrize("layer_dims", [[12, 1], [12, 5, 1], [12, 8, 4, 3, 1]])
def test_L_layer_model_matches_the_blocks_composed_by_hand(layer_dims):
    X, Y = data()
    params, costs = L_layer_model(X, Y, layer_dims, learning_rate=0.05, num_iterations=301)
    expected_params, expected_costs = by_hand(X, Y, initialize_parameters_deep(layer_dims),
                                              0.05, 301)
    assert len(costs) == 4
    np.testing.assert_allclose(costs, expected_costs, rtol=0, atol=1e-9)
    for key in expected_params:
        np.testing.assert_allclose(params[key], expected_params[key], rtol=1e-9, atol=1e-12)
    assert costs[-1] < costs[0]


def test_two_layer_model_matches_the_blocks_composed_by_hand():
    X, Y = data()
    params, costs = two_layer_model(X, Y, (12, 6, 1), learning_rate=0.1, num_iterations=201)
    expected_params, expected_costs = by_hand(X, Y, initialize_parameters(12, 6, 1), 0.1, 201)
    np.testing.assert_allclose(costs, expected_costs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(params["W1"], expected_params["W1"], rtol=1e-9, atol=1e-12)


def test_print_cost_format_and_last_iteration(capsys):
    X, Y = data()
    _, costs = L_layer_model(X, Y, [12, 3, 1], num_iterations=250, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Cost after iteration 0", "Cost after iteration 100", "Cost after iteration 200",
        "Cost after iteration 249",
    ]
    # Eight decimals (issue 10): the digits beyond depend on the BLAS.
    assert lines[0].split(": ")[1] == f"{costs[0]:.8f}"
    assert all(len(line.split(": ")[1].split(".")[1]) == 8 for line in lines)
    assert len(costs) == 3


def test_no_output_without_print_cost(capsys):
    X, Y = data()
    L_layer_model(X, Y, [12, 3, 1], num_iterations=150)
    assert capsys.readouterr().out == ""


def test_callback_sees_copies_and_cannot_break_training():
    X, Y = data()
    seen = []

    def callback(i, cost, parameters):
        seen.append((i, cost, parameters))
        parameters["W1"][...] = 1e9  # vandalise what it was given

    params, costs = L_layer_model(X, Y, [12, 3, 1], num_iterations=201, callback=callback)
    reference, reference_costs = L_layer_model(X, Y, [12, 3, 1], num_iterations=201)
    assert [i for i, _, _ in seen] == [0, 100, 200]
    assert [c for _, c, _ in seen] == costs == reference_costs
    np.testing.assert_array_equal(params["W1"], reference["W1"])


def test_inputs_untouched_and_layout_does_not_matter():
    X, Y = data()
    X_c, X_f = np.ascontiguousarray(X), np.asfortranarray(X)
    before = X.copy(), Y.copy()
    params_c, costs_c = L_layer_model(X_c, Y, [12, 4, 1], num_iterations=101)
    params_f, costs_f = L_layer_model(X_f, Y, [12, 4, 1], num_iterations=101)
    np.testing.assert_array_equal(X_c, before[0])
    np.testing.assert_array_equal(X_f, before[0])
    np.testing.assert_array_equal(Y, before[1])
    np.testing.assert_allclose(costs_c, costs_f, rtol=0, atol=1e-12)
    np.testing.assert_allclose(params_c["W1"], params_f["W1"], rtol=1e-12)


def test_seed_changes_the_start_not_the_global_state():
    X, Y = data()
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    _, costs_1 = L_layer_model(X, Y, [12, 4, 1], num_iterations=1, seed=1)
    _, costs_2 = L_layer_model(X, Y, [12, 4, 1], num_iterations=1, seed=2)
    assert np.random.rand() == expected
    assert costs_1 != costs_2


def test_predict_thresholds_and_prints_accuracy(capsys):
    X, Y = data()
    params, _ = L_layer_model(X, Y, [12, 4, 1], learning_rate=0.1, num_iterations=500)
    p = predict(X, Y, params)
    AL, _ = L_model_forward(X, params)
    np.testing.assert_array_equal(p, (AL > 0.5).astype(float))
    accuracy = float(np.mean(p == Y))
    assert capsys.readouterr().out == f"Accuracy: {accuracy}\n"
    assert accuracy > 0.9
    assert predict(X, None, params).shape == (1, 40)
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------- issue 10: a learning rate too large

def test_check_cost_history_warns_on_a_rise_or_an_oscillation():
    import warnings

    from dnn_utils.models import LearningRateWarning, check_cost_history

    cases = {
        (0.7, 0.6, 0.5, 0.45): None,
        (0.7, 0.6, 0.601, 0.5): None,  # one small bump is not an oscillation
        (0.7, 0.9): "ended higher than it started",
        (0.7, 0.5, 0.6, 0.4, 0.5, 0.3): "went up and down",
        (0.7,): None,
    }
    for costs, words in cases.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            message = check_cost_history(list(costs), 0.5, "L_layer_model")
        if words is None:
            assert message is None and caught == [], costs
        else:
            assert words in message and "learning_rate = 0.5 is too large" in message
            assert [w.category for w in caught] == [LearningRateWarning]
            shown = warnings.formatwarning(caught[0].message, caught[0].category,
                                           caught[0].filename, caught[0].lineno)
            # No path or source line of this machine: a notebook can store it.
            assert shown == f"<L_layer_model>:0: LearningRateWarning: {message}\n"


def test_suggested_rate_is_below_the_largest_known_to_work():
    from dnn_utils.models import LARGEST_KNOWN_GOOD_LEARNING_RATE, suggest_learning_rate

    assert suggest_learning_rate(1e6) == 0.0075
    assert suggest_learning_rate(5.0) == 0.0075
    for rate in (0.05, 0.1, 10 * LARGEST_KNOWN_GOOD_LEARNING_RATE):
        assert suggest_learning_rate(rate) == pytest.approx(rate / 10)
        assert suggest_learning_rate(rate) <= LARGEST_KNOWN_GOOD_LEARNING_RATE


def test_training_whose_cost_rises_ends_with_the_warning():
    # The update step is an argument of train: gradient *ascent* makes the cost rise.
    import warnings

    from dnn_utils.contracts import check_training_data
    from dnn_utils.models import LearningRateWarning, train

    def ascent(parameters, steps):
        return {key: W + steps["d" + key] for key, W in parameters.items()}

    X, Y, dims = check_training_data(*data(), [12, 3, 1], "test")
    with pytest.warns(LearningRateWarning, match=r"train: the cost ended higher.*0\.01 is too"):
        _, costs = train(X, Y, initialize_parameters_deep(dims), 0.01, 201, update=ascent)
    assert costs[-1] > costs[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train(X, Y, initialize_parameters_deep(dims), 0.01, 201)  # descent: no warning
