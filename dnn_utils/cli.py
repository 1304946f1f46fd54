"""Command line: ``python -m dnn_utils train | predict | shapes``: arguments and printing.

The work is done elsewhere: a training run (:mod:`dnn_utils.training_run`), the
models (:mod:`dnn_utils.models`), parameter files (:mod:`dnn_utils.params`),
pictures (:mod:`dnn_utils.images`) and the shapes table (:mod:`dnn_utils.shapes`).
A relative path on the command line is relative to the current folder.

Exit codes: 0 success, 1 the command could not be carried out (missing data set,
unreadable parameters file or picture, training diverged), 2 the command line
itself is wrong (argparse usage error). A user mistake never ends in a traceback;
a bug in the code still does.
"""

import argparse
import sys
from pathlib import Path

from . import training_run
from .models import PUBLISHED_LEARNING_RATE, accuracy
from .params import ParamsFileError, load_parameters
from .shapes import format_shapes
from .validation import parse_count, parse_layer_dims, parse_positive_number

PROG = "python -m dnn_utils"

#: The published settings of the course's two models.
DEFAULT_LAYERS = training_run.PUBLISHED_LAYERS
DEFAULT_LEARNING_RATE = PUBLISHED_LEARNING_RATE
DEFAULT_ITERATIONS = 2500
DEFAULT_SEED = 1
DEFAULT_M = 209  # training examples in the cat data


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
    try:
        args.layers = training_run.check_cat_layers(args.layers, args.model)
    except ValueError as exc:
        parser.error(f"argument --layers: {exc}")


# ---------------------------------------------------------------- commands

def _cmd_train(args):
    from tqdm import tqdm

    paths = training_run.output_paths(args.out, args.model)
    train_x, train_y, test_x, test_y, classes = training_run.load_cat_data(
        args.data_dir, args.layers, args.model)
    print(
        f"Training the {args.model} model, layers {args.layers}, on {train_x.shape[1]} "
        f"pictures: learning rate {args.learning_rate}, {args.iterations} iterations, "
        f"seed {args.seed}."
    )
    with tqdm(total=args.iterations, desc=args.model, unit="it", file=sys.stderr,
              disable=args.no_progress) as bar:
        def progress(i, cost):
            bar.set_postfix(cost=f"{cost:.6f}", refresh=False)
            bar.update(i + 1 - bar.n)

        trained = training_run.train_cat_model(
            args.model, train_x, train_y, args.layers, args.learning_rate, args.iterations,
            args.seed, progress)
    for message in trained.rate_warnings:
        print(f"{PROG} train: warning: {message}", file=sys.stderr)

    print(f"Cost after iteration {trained.last_iteration}: {trained.last_cost:.8f}")
    for name, X, Y in (("Train", train_x, train_y), ("Test", test_x, test_y)):
        fraction = accuracy(X, Y, trained.parameters)
        m = Y.shape[1]
        print(f"{name} accuracy: {fraction:.4f} ({round(fraction * m)}/{m} correct)")

    if not args.force:
        training_run.check_not_worse(paths[0], train_x, train_y, trained)
    # Say so when a previous run's outputs are replaced, rather than overwrite silently.
    replaced = training_run.save_run(paths, args.out, trained, args.layers, classes,
                                     args.learning_rate)
    for what, path in zip(("parameters", "cost curve"), paths, strict=True):
        print(f"Saved the {what} to {path}"
              f"{' (replacing the previous one)' if replaced[path] else ''}")
    return 0


def _cmd_predict(args):
    from .data import class_name
    from .images import predict_image

    try:
        parameters, _, classes = load_parameters(args.params)
    except ParamsFileError as exc:
        print(f"{PROG} predict: error: {exc}", file=sys.stderr)
        return 1
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
    except training_run.RunError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted.", file=sys.stderr)
        return 130
