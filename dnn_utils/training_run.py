"""One training run of the cat classifier: the work behind ``python -m dnn_utils train``.

Everything that can be checked is checked before the run, so no run is wasted: the
layers fit the cat data (:func:`check_cat_layers`), both outputs can be written
(:func:`output_paths`), the data loads and the network fits in memory
(:func:`load_cat_data`). Then :func:`train_cat_model` trains, :func:`check_not_worse`
refuses to replace a better saved model, and :func:`save_run` writes the parameters
and the cost curve, each atomically. A failure the user can fix raises
:class:`RunError`, whose message names the command line's option to change, since
that is where it is read; :mod:`dnn_utils.cli` prints it.
"""

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .cost import compute_cost
from .files import write_atomically
from .forward import L_model_forward
from .models import (
    PUBLISHED_LEARNING_RATE,
    L_layer_model,
    LearningRateWarning,
    TrainingDivergedError,
    two_layer_model,
)
from .params import CAT_N_X, ParamsFileError, load_parameters, save_parameters
from .resources import require_memory, training_memory

#: The published layers of the course's two models, by the name ``--model`` takes.
PUBLISHED_LAYERS = {"deep": [CAT_N_X, 20, 7, 5, 1], "two-layer": [CAT_N_X, 7, 1]}


class RunError(Exception):
    """A training run that cannot be carried out, for a reason the user can fix."""


@dataclass
class TrainedModel:
    """What :func:`train_cat_model` gives back.

    Attributes
    ----------
    parameters : dict
        The trained ``W1, b1, ..., WL, bL``.
    costs : list of float
        The cost every 100 iterations, as the models record it.
    last_iteration : int
        The last iteration the progress callback saw, and ``last_cost`` its cost.
    last_cost : float
    rate_warnings : list of str
        The messages of the :class:`~dnn_utils.models.LearningRateWarning` of the run.
    """

    parameters: dict
    costs: list
    last_iteration: int
    last_cost: float
    rate_warnings: list


def check_cat_layers(layers, model):
    """The layer sizes of a run of ``model`` on the cat data: ``layers`` or the published ones.

    Parameters
    ----------
    layers : list of int or None
        ``[n[0], ..., n[L]]``; ``None`` means :data:`PUBLISHED_LAYERS` of ``model``.
    model : {"deep", "two-layer"}

    Returns
    -------
    list of int

    Raises
    ------
    ValueError
        ``n[0]`` is not 64 x 64 x 3, ``n[L]`` is not 1, or a two-layer model is given
        other than 3 sizes; the message starts with ``got N0,...,NL``.
    """
    layers = list(PUBLISHED_LAYERS[model]) if layers is None else layers
    text = ",".join(map(str, layers))
    if layers[0] != CAT_N_X:
        raise ValueError(
            f"got {text}, but the first size n[0] must be {CAT_N_X}: "
            f"the cat pictures are 64 x 64 x 3 = {CAT_N_X} numbers"
        )
    if layers[-1] != 1:
        raise ValueError(
            f"got {text}, but the last size n[L] must be 1: "
            "one sigmoid unit giving the probability of a cat"
        )
    if model == "two-layer" and len(layers) != 3:
        raise ValueError(
            f"got {text} ({len(layers)} sizes), but --model two-layer needs exactly 3 "
            f"({CAT_N_X},n_h,1); use --model deep for more layers"
        )
    return layers


def output_paths(out, model):
    """Create the folder ``out`` and check its two output paths can be written.

    Returns
    -------
    params_path, costs_path : pathlib.Path
        ``out/<model>_params.npz`` and ``out/<model>_costs.png``.

    Raises
    ------
    RunError
        The folder cannot be created, or an output path is a folder (or another
        non-file).
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"cannot create the output folder --out {out}: {exc}") from None
    paths = out / f"{model}_params.npz", out / f"{model}_costs.png"
    for path in paths:
        if path.exists() and not path.is_file():
            raise RunError(
                f"--out {out}: {path} exists and is not a file (a folder?), so the results "
                "could not be saved. Fix: move it away, or pass another --out."
            )
    return paths


def load_cat_data(data_dir, layers, model):
    """Load the cat data, check it fits ``layers`` and the memory, and flatten it.

    Parameters
    ----------
    data_dir : pathlib.Path or None
        As :func:`dnn_utils.data.load_data` takes it.
    layers : list of int
    model : {"deep", "two-layer"}
        Names the published layers in the advice when the network is too large.

    Returns
    -------
    train_x, train_y, test_x, test_y, classes
        ``train_x`` (n[0], m_train) and ``test_x`` (n[0], m_test) in [0, 1], the labels
        (1, m) and the class names.

    Raises
    ------
    RunError
        The data set is missing or unreadable, its pictures are not ``layers[0]``
        numbers, or training would need more memory than the machine has.
    """
    from .data import flatten_images, load_data

    try:
        train_x_orig, train_y, test_x_orig, test_y, classes = load_data(data_dir)
    except FileNotFoundError as exc:
        raise RunError(f"{exc}\nOn this command line: --data-dir DIR.") from None
    except (ValueError, OSError) as exc:
        # A corrupt or unreadable data file (data.DatasetError is a ValueError).
        raise RunError(str(exc)) from None
    if train_x_orig[0].size != layers[0]:
        raise RunError(
            f"the pictures in the data set have {train_x_orig[0].size} numbers each, but "
            f"--layers starts with {layers[0]}"
        )
    try:
        require_memory(
            training_memory(layers, train_x_orig.shape[0]),
            f"training layers {layers} on {train_x_orig.shape[0]} pictures",
            "Fix: use smaller --layers (the published ones are "
            f"{','.join(map(str, PUBLISHED_LAYERS[model]))}).",
        )
    except MemoryError as exc:
        raise RunError(str(exc)) from None
    return flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y, classes


def train_cat_model(model, X, Y, layers, learning_rate, iterations, seed, progress=None):
    """Train ``model`` by gradient descent, collecting its learning-rate warnings.

    Parameters
    ----------
    model : {"deep", "two-layer"}
        :func:`~dnn_utils.models.L_layer_model` or
        :func:`~dnn_utils.models.two_layer_model`.
    X, Y : numpy.ndarray
        Training pictures (n[0], m) and labels (1, m).
    layers : list of int
    learning_rate : float
    iterations : int
    seed : int
        Seed of the weight initialization.
    progress : callable, optional
        ``progress(i, cost)``, called as the model reports its cost.

    Returns
    -------
    TrainedModel

    Raises
    ------
    RunError
        Training diverged; nothing was saved.
    """
    train = L_layer_model if model == "deep" else two_layer_model
    last = []

    def callback(i, cost, parameters):
        if progress is not None:
            progress(i, cost)
        last[:] = [(i, cost)]

    try:
        # Overflow on the way to divergence is expected; the model detects it and
        # raises TrainingDivergedError with a better message than NumPy's warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), \
                warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LearningRateWarning)
            parameters, costs = train(X, Y, layers, learning_rate, iterations, seed=seed,
                                      callback=callback)
    except TrainingDivergedError as exc:
        raise RunError(
            f"{exc}\nNothing was saved. Fix: pass a smaller --learning-rate "
            f"(the published one is {PUBLISHED_LEARNING_RATE})."
        ) from None
    rate_warnings = [str(w.message) for w in caught
                     if issubclass(w.category, LearningRateWarning)]
    return TrainedModel(parameters, costs, *last[0], rate_warnings)


def saved_cost(path, X, Y):
    """Cost on ``(X, Y)`` of the model saved at ``path``, or None when there is none to keep.

    A missing or unreadable file, or one for pictures of another size, has no model
    worth keeping.
    """
    if not path.exists():
        return None
    try:
        parameters, dims, _ = load_parameters(path)
    except ParamsFileError:
        return None
    if dims[0] != X.shape[0]:
        return None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return compute_cost(L_model_forward(X, parameters)[0], Y, check=False)


def check_not_worse(params_path, X, Y, trained):
    """Raise :class:`RunError` when ``trained`` is worse than the model saved at ``params_path``.

    Worse: its run ended with a learning-rate warning, or its cost on the training
    data ``(X, Y)`` is higher than the saved model's. Without a saved model (or with
    an unreadable one) nothing is worse.
    """
    old_cost = saved_cost(params_path, X, Y)
    if old_cost is None:
        return
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        new_cost = compute_cost(L_model_forward(X, trained.parameters)[0], Y, check=False)
    reason = None
    if trained.rate_warnings:
        reason = "training ended with the warning above"
    elif new_cost > old_cost:
        reason = (f"its cost on the training data is {new_cost:.8f}, higher than the "
                  f"saved model's {old_cost:.8f}")
    if reason is not None:
        raise RunError(
            f"the new model is worse than the one saved in {params_path}: {reason}. "
            "The saved model was kept and nothing was written. Fix: pass --force to "
            "replace it anyway, or another --out."
        )


def save_run(paths, out, trained, layers, classes, learning_rate):
    """Save the parameters and the cost curve to ``paths`` (from :func:`output_paths`).

    Returns
    -------
    dict of pathlib.Path to bool
        For each of the two paths, whether it replaced a previous run's file.

    Raises
    ------
    RunError
        A file could not be written (``out`` names the folder in the message).
    """
    from .plots import plot_costs

    params_path, costs_path = paths
    fig = plot_costs(trained.costs, learning_rate)
    replaced = {path: Path(path).exists() for path in paths}
    try:
        save_parameters(params_path, trained.parameters, layers, classes)
        write_atomically(costs_path, lambda f: fig.savefig(f, format="png"))
    except OSError as exc:
        raise RunError(f"cannot write the outputs into --out {out}: {exc}") from None
    return replaced
