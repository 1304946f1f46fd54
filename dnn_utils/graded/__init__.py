"""Graded tests of the workbook's exercises: ``graded.<name>_test(<name>)``.

Each test prints one line when the learner's function is right, and raises
:class:`~dnn_utils.graded.feedback.GradedTestFailure` with a precise message
(what is wrong, expected vs got, the likely mistake) when it is not; IPython shows
such a failure as its message alone.

``graded.see_result(function, *args, names=...)`` runs an exercise on an example
for the "see your result" cells (see :mod:`dnn_utils.graded.results`).

A new module of tests is added with one import line below and its names in ``__all__``.
"""

from .blocks import (
    L_model_backward_test,
    L_model_forward_test,
    compute_cost_test,
    initialize_parameters_deep_test,
    initialize_parameters_test,
    linear_activation_backward_test,
    linear_activation_forward_test,
    linear_backward_test,
    linear_forward_test,
    update_parameters_test,
)
from .concepts import (
    A1_shape_test,
    W2_shape_test,
    W_general_shape_test,
    b_general_shape_test,
    backward_activation_test,
    backward_order_test,
    brain_analogy_test,
    cache_content_test,
    deeper_layers_test,
    hidden_layers_test,
    hyperparameter_letters_test,
    init_loop_test,
    layer_loop_test,
    logistic_regression_layers_test,
    number_of_layers_test,
    number_of_parameters_test,
    output_gradient_test,
    pieces_on_a_line_test,
    relu_derivative_test,
)
from .depth import count_linear_pieces_test, tent_composition_test
from .dimensions import (
    count_parameters_test,
    layer_dims_from_parameters_test,
    network_shapes_test,
)
from .feedback import GradedTestFailure
from .hyperparameters import best_checkpoint_test, quantity_kinds_test
from .models import L_layer_model_test, two_layer_model_test
from .results import see_result

__all__ = [
    "GradedTestFailure",
    "see_result",
    # 01 notation and dimensions
    "network_shapes_test",
    "layer_dims_from_parameters_test",
    "count_parameters_test",
    # 02 building blocks
    "initialize_parameters_test",
    "initialize_parameters_deep_test",
    "linear_forward_test",
    "linear_activation_forward_test",
    "L_model_forward_test",
    "compute_cost_test",
    "linear_backward_test",
    "linear_activation_backward_test",
    "L_model_backward_test",
    "update_parameters_test",
    # 03 application
    "two_layer_model_test",
    "L_layer_model_test",
    # 04 hyperparameters
    "quantity_kinds_test",
    "best_checkpoint_test",
    # 05 depth
    "tent_composition_test",
    "count_linear_pieces_test",
    # 06 key concepts
    "number_of_layers_test",
    "hidden_layers_test",
    "number_of_parameters_test",
    "W_general_shape_test",
    "b_general_shape_test",
    "W2_shape_test",
    "A1_shape_test",
    "logistic_regression_layers_test",
    "cache_content_test",
    "layer_loop_test",
    "relu_derivative_test",
    "output_gradient_test",
    "backward_order_test",
    "backward_activation_test",
    "init_loop_test",
    "hyperparameter_letters_test",
    "deeper_layers_test",
    "pieces_on_a_line_test",
    "brain_analogy_test",
]
