"""dnn_utils: the building blocks of a deep L-layer neural network, in NumPy.

The functions follow the lecture's blocks: every forward function returns
``(output, cache)`` and every backward function takes ``(gradient, cache)``. Each
public block checks its inputs (``contracts``) and then computes the lecture's
formula in its own body; ``check=False`` skips the checks, which is how the training
loop (``models.train``, home of the speed tricks) calls the same blocks.
"""

from .activations import relu, relu_backward, sigmoid, sigmoid_backward
from .backward import L_model_backward, linear_activation_backward, linear_backward
from .cost import compute_cost
from .forward import L_model_forward, linear_activation_forward, linear_forward
from .initialization import initialize_parameters, initialize_parameters_deep
from .models import (
    L_layer_model,
    LearningRateWarning,
    TrainingDivergedError,
    predict,
    two_layer_model,
)
from .update import update_parameters

__all__ = [
    "sigmoid", "relu", "sigmoid_backward", "relu_backward",
    "initialize_parameters", "initialize_parameters_deep",
    "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost",
    "linear_backward", "linear_activation_backward", "L_model_backward",
    "update_parameters",
    "two_layer_model", "L_layer_model", "predict", "TrainingDivergedError",
    "LearningRateWarning",
]
