"""Graded tests of the workbook's exercises: ``graded.<name>_test(<name>)``.

Each test prints one line when the learner's function is right, and raises
:class:`~dnn_utils.graded.feedback.GradedTestFailure` with a precise message
(what is wrong, expected vs got, the likely mistake) when it is not; IPython shows
such a failure as its message alone.

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
from .dimensions import (
    W_shape_test,
    b_shape_test,
    count_parameters_test,
    network_shapes_test,
)
from .feedback import GradedTestFailure
from .models import (
    L_layer_model_test,
    two_layer_model_test,
)

__all__ = [
    "GradedTestFailure",
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
    "two_layer_model_test",
    "L_layer_model_test",
    "W_shape_test",
    "b_shape_test",
    "network_shapes_test",
    "count_parameters_test",
]
