"""Command line: ``python -m dnn_utils train | predict | shapes``: arguments and printing.

The work is done elsewhere: the models (:mod:`dnn_utils.models`), parameter files
(:mod:`dnn_utils.params`), pictures (:mod:`dnn_utils.images`) and memory checks
(:mod:`dnn_utils.resources`). A relative path on the command line is relative to
the current folder.

Exit codes: 0 success, 1 the command could not be carried out (missing data set,
unreadable parameters file or picture, training diverged), 2 the command line
itself is wrong (argparse usage error). A user mistake never ends in a traceback;
a bug in the code still does.
"""

import argparse
import sys
import warnings
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
    accuracy,
    two_layer_model,
)
from .params import CAT_N_X, ParamsFileError, load_parameters, save_parameters
from .resources import require_memory, training_memory
from .shapes import format_shapes
from .validation import parse_count, parse_layer_dims, parse_positive_number

PROG = "python -m dnn_utils"

#: The published settings of the course's two models.
DEFAULT_LAYERS = {"deep": [CAT_N_X, 20, 7, 5, 1], "two-layer": [CAT_N_X, 7, 1]}
DEFAULT_LEARNING_RATE = PUBLISHED_LEARNING_RATE
DEFAULT_ITERATIONS = 2500
DEFAULT_SEED = 1
DEFAULT_M = 209  # training examples in the cat data


class _CLIError(Exception):
    """A user-caused failure: printed as one error message, exit code 1."""


# ---------------------------------------------------------------- argument types

def _argument_type(parse, *args):
    """An argparse ``type`` calling ``parse(text, *args)``; its ValueError is a usage error."""
    def convert(text):
        try:
            return parse(text, *args)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert


def build_parser():
    """The ``argparse`` parser of ``python -m dnn_utils``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Train, use and inspect the deep L-layer cat classifier of the workbook.",
        epilog="Exit codes: 0 success, 1 the command failed (e.g. data set not found, "
        "training diverged), 2 bad command line.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser(
        "train", help="train a model on the cat data and save its parameters",
        description="Train the 2-layer or the L-layer model on the cat / non-cat data with "
        "gradient descent, print the train and test accuracy, and save the parameters "
        "(OUT/<model>_params.npz) and the cost curve (OUT/<model>_costs.png).",
    )
    train.add_argument(
        "--model", choices=["deep", "two-layer"], default="deep",
        help="deep: [LINEAR->RELU]x(L-1) -> LINEAR->SIGMOID (default layers "
        "12288,20,7,5,1); two-layer: LINEAR->RELU->LINEAR->SIGMOID (default layers "
        "12288,7,1). Default: deep.",
    )
    train.add_argument(
        "--layers", type=_argument_type(parse_layer_dims), metavar="N0,N1,...,NL",
        help="layer sizes n[0],...,n[L]; n[0] must be 12288 (64 x 64 x 3) and n[L] 1",
    )
    train.add_argument(
        "--learning-rate", default=DEFAULT_LEARNING_RATE,
        type=_argument_type(parse_positive_number, str(DEFAULT_LEARNING_RATE)),
        metavar="ALPHA", help=f"gradient descent step (default {DEFAULT_LEARNING_RATE})",
    )
    train.add_argument(
        "--iterations", type=_argument_type(parse_count, 1), default=DEFAULT_ITERATIONS,
        metavar="N",
        help=f"number of gradient descent iterations (default {DEFAULT_ITERATIONS})",
    )
    train.add_argument(
        "--seed", type=_argument_type(parse_count, 0, 2**32 - 1), default=DEFAULT_SEED,
        help=f"seed of the weight initialization (default {DEFAULT_SEED})",
    )
    train.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="folder holding train_catvnoncat.h5 and test_catvnoncat.h5 (default: "
        "$DNN_DATA_DIR when set, else datasets/ in the repository); a relative path is "
        "relative to the current folder",
    )
    train.add_argument(
        "--out", type=Path, default=Path("runs"), metavar="DIR",
        help="folder for the outputs, created if needed (default runs/); a relative path "
        "is relative to the current folder. An existing parameters file of the same model "
        "is replaced only by a model that is not worse, see --force",
    )
    train.add_argument(
        "--force", action="store_true",
        help="replace an existing parameters file even when the new model is worse (a "
        "higher cost on the training data, or a warning about the learning rate)",
    )
    train.add_argument(
        "--no-progress", action="store_true", help="do not show the progress bar",
    )
    # Checks that involve several options report their usage error through this parser.
    train.set_defaults(subparser=train)

    pred = commands.add_parser(
        "predict", help="classify pictures with saved parameters",
        description="Classify each picture as cat / non-cat with the parameters saved by "
        "`train`. Prints one line per picture: its label and the probability of a cat.",
    )
    pred.add_argument("images", nargs="+", type=Path, metavar="IMAGE",
                      help="picture files (JPEG, PNG, ...)")
    pred.add_argument("--params", type=Path, required=True, metavar="FILE",
                      help="parameters file written by `train`, e.g. runs/deep_params.npz (a "
                      "relative path is relative to the current folder)")

    shapes = commands.add_parser(
        "shapes", help="print the shape of every array of a network",
        description="Print the shapes of W, b, Z, A and their gradients for every layer.",
    )
    shapes.add_argument(
        "layers", type=_argument_type(parse_layer_dims), nargs="?",
        default=DEFAULT_LAYERS["deep"],
        metavar="N0,N1,...,NL", help="layer sizes (default 12288,20,7,5,1)",
    )
    shapes.add_argument(
        "--m", type=_argument_type(parse_count, 1), default=DEFAULT_M,
        help=f"number of examples (default {DEFAULT_M}, the cat training set)",
    )
    return parser


def _check_train_layers(parser, args):
    """Fill in and check ``args.layers`` for the cat data; usage error when wrong."""
    if args.layers is None:
        args.layers = list(DEFAULT_LAYERS[args.model])
    text = ",".join(map(str, args.layers))
    if args.layers[0] != CAT_N_X:
        parser.error(
            f"argument --layers: got {text}, but the first size n[0] must be {CAT_N_X}: "
            f"the cat pictures are 64 x 64 x 3 = {CAT_N_X} numbers"
        )
    if args.layers[-1] != 1:
        parser.error(
            f"argument --layers: got {text}, but the last size n[L] must be 1: "
            "one sigmoid unit giving the probability of a cat"
        )
    if args.model == "two-layer" and len(args.layers) != 3:
        parser.error(
            f"argument --layers: got {text} ({len(args.layers)} sizes), but --model "
            f"two-layer needs exactly 3 ({CAT_N_X},n_h,1); use --model deep for more layers"
        )


# ---------------------------------------------------------------- commands

def _check_outputs(out, model):
    """Create ``out`` and check its two output paths can be written, before training.

    Returns
    -------
    params_path, costs_path : pathlib.Path
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _CLIError(f"cannot create the output folder --out {out}: {exc}") from None
    paths = out / f"{model}_params.npz", out / f"{model}_costs.png"
    for path in paths:
        if path.exists() and not path.is_file():
            raise _CLIError(
                f"--out {out}: {path} exists and is not a file (a folder?), so the results "
                "could not be saved. Fix: move it away, or pass another --out."
            )
    return paths


def _saved_cost(path, X, Y, layer_dims):
    """Training cost of the model saved at ``path``, or None when there is none to keep."""
    if not path.exists():
        return None
    try:
        parameters, dims, _ = load_parameters(path)
    except ParamsFileError:
        return None  # an unreadable file is not worth keeping
    if dims[0] != X.shape[0]:
        return None
    return compute_cost(L_model_forward(X, parameters)[0], Y, check=False)


def _cmd_train(args):
    from tqdm import tqdm

    from .data import flatten_images, load_data
    from .plots import plot_costs

    # Everything that can be checked is checked before the run, so no run is wasted.
    params_path, costs_path = _check_outputs(args.out, args.model)
    try:
        train_x_orig, train_y, test_x_orig, test_y, classes = load_data(args.data_dir)
    except FileNotFoundError as exc:
        raise _CLIError(f"{exc}\nOn this command line: --data-dir DIR.") from None
    except (ValueError, OSError) as exc:
        # A corrupt or unreadable data file (data.DatasetError is a ValueError).
        raise _CLIError(str(exc)) from None
    if train_x_orig[0].size != args.layers[0]:
        raise _CLIError(
            f"the pictures in the data set have {train_x_orig[0].size} numbers each, but "
            f"--layers starts with {args.layers[0]}"
        )
    try:
        require_memory(
            training_memory(args.layers, train_x_orig.shape[0]),
            f"training layers {args.layers} on {train_x_orig.shape[0]} pictures",
            "Fix: use smaller --layers (the published ones are "
            f"{','.join(map(str, DEFAULT_LAYERS[args.model]))}).",
        )
    except MemoryError as exc:
        raise _CLIError(str(exc)) from None
    train_x, test_x = flatten_images(train_x_orig), flatten_images(test_x_orig)

    train = L_layer_model if args.model == "deep" else two_layer_model
    print(
        f"Training the {args.model} model, layers {args.layers}, on {train_x.shape[1]} "
        f"pictures: learning rate {args.learning_rate}, {args.iterations} iterations, "
        f"seed {args.seed}."
    )
    last_cost = []
    with tqdm(total=args.iterations, desc=args.model, unit="it", file=sys.stderr,
              disable=args.no_progress) as bar:
        def callback(i, cost, parameters):
            bar.set_postfix(cost=f"{cost:.6f}", refresh=False)
            bar.update(i + 1 - bar.n)
            last_cost[:] = [(i, cost)]

        try:
            # Overflow on the way to divergence is expected; the model detects it and
            # raises TrainingDivergedError with a better message than NumPy's warnings.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"), \
                    warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", LearningRateWarning)
                parameters, costs = train(
                    train_x, train_y, args.layers, args.learning_rate, args.iterations,
                    seed=args.seed, callback=callback,
                )
        except TrainingDivergedError as exc:
            bar.close()
            raise _CLIError(
                f"{exc}\nNothing was saved. Fix: pass a smaller --learning-rate "
                f"(the published one is {DEFAULT_LEARNING_RATE})."
            ) from None
    rate_warnings = [str(w.message) for w in caught
                     if issubclass(w.category, LearningRateWarning)]
    for message in rate_warnings:
        print(f"{PROG} train: warning: {message}", file=sys.stderr)

    i, cost = last_cost[0]
    print(f"Cost after iteration {i}: {cost:.8f}")
    for name, X, Y in (("Train", train_x, train_y), ("Test", test_x, test_y)):
        fraction = accuracy(X, Y, parameters)
        m = Y.shape[1]
        print(f"{name} accuracy: {fraction:.4f} ({round(fraction * m)}/{m} correct)")

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        old_cost = _saved_cost(params_path, train_x, train_y, args.layers)
        new_cost = compute_cost(L_model_forward(train_x, parameters)[0], train_y,
                                check=False)
    if old_cost is not None and not args.force:
        reason = None
        if rate_warnings:
            reason = "training ended with the warning above"
        elif new_cost > old_cost:
            reason = (f"its cost on the training data is {new_cost:.8f}, higher than the "
                      f"saved model's {old_cost:.8f}")
        if reason is not None:
            raise _CLIError(
                f"the new model is worse than the one saved in {params_path}: {reason}. "
                "The saved model was kept and nothing was written. Fix: pass --force to "
                "replace it anyway, or another --out."
            )

    fig = plot_costs(costs, args.learning_rate)
    # Say so when a previous run's outputs are replaced, rather than overwrite silently.
    notes = {p: " (replacing the previous one)" if p.exists() else ""
             for p in (params_path, costs_path)}
    try:
        save_parameters(params_path, parameters, args.layers, classes)
        write_atomically(costs_path, lambda f: fig.savefig(f, format="png"))
    except OSError as exc:
        raise _CLIError(f"cannot write the outputs into --out {args.out}: {exc}") from None
    print(f"Saved the parameters to {params_path}{notes[params_path]}")
    print(f"Saved the cost curve to {costs_path}{notes[costs_path]}")
    return 0


def _cmd_predict(args):
    from .data import class_name
    from .images import predict_image

    try:
        parameters, _, classes = load_parameters(args.params)
    except ParamsFileError as exc:
        raise _CLIError(str(exc)) from None
    status = 0
    cat = class_name(classes, 1)
    for path in args.images:
        try:
            label, probability = predict_image(path, parameters, classes)
        except (OSError, ValueError, MemoryError) as exc:
            print(f"{PROG} predict: error: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{path}: {label} (probability of {cat}: {probability:.4f})")
    return status


def _cmd_shapes(args):
    print(format_shapes(args.layers, args.m))
    return 0


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 success, 1 failure, 2 bad command line.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command == "train":
            _check_train_layers(args.subparser, args)
    except SystemExit as exc:
        # argparse exits on --help and on usage errors; report its code instead so
        # that main() can be called from Python.
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    commands = {"train": _cmd_train, "predict": _cmd_predict, "shapes": _cmd_shapes}
    try:
        return commands[args.command](args)
    except _CLIError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted.", file=sys.stderr)
        return 130
