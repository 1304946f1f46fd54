"""Command line: ``python -m dnn_utils train | predict | shapes``.

Exit codes: 0 success, 1 the command could not be carried out (missing data set,
unreadable parameters file or picture, training diverged), 2 the command line
itself is wrong (argparse usage error). A user mistake never ends in a traceback;
a bug in the code still does.
"""

import argparse
import math
import re
import sys
import zipfile
from pathlib import Path

import numpy as np

from .files import write_atomically
from .models import L_layer_model, TrainingDivergedError, predict, two_layer_model
from .shapes import format_shapes
from .validation import check_layer_dims, check_parameters

PROG = "python -m dnn_utils"

#: Inputs of the cat data: 64 x 64 RGB pictures, flattened.
CAT_N_X = 64 * 64 * 3

#: The published settings of the course's two models.
DEFAULT_LAYERS = {"deep": [CAT_N_X, 20, 7, 5, 1], "two-layer": [CAT_N_X, 7, 1]}
DEFAULT_LEARNING_RATE = 0.0075
DEFAULT_ITERATIONS = 2500
DEFAULT_SEED = 1
DEFAULT_M = 209  # training examples in the cat data


class CLIError(Exception):
    """A user-caused failure: printed as one error message, exit code 1."""


class ParamsFileError(ValueError):
    """A parameters file that is missing, unreadable or inconsistent."""


# ---------------------------------------------------------------- argument types

def _layer_sizes(text):
    """argparse type: ``"12288,20,7,5,1"`` -> ``[12288, 20, 7, 5, 1]``."""
    example = "such as 12288,20,7,5,1"
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected at least two comma-separated layer sizes "
            f"(input size, ..., output size) {example}"
        )
    sizes = []
    for l, part in enumerate(parts):
        if not re.fullmatch(r"\+?\d+", part):
            raise argparse.ArgumentTypeError(
                f"got {text!r}: size {l} is {part!r}, expected a whole number. "
                f"Give comma-separated sizes without spaces, {example}"
            )
        n = int(part)
        if n <= 0:
            raise argparse.ArgumentTypeError(
                f"got {text!r}: size {l} is {n}, expected a positive number of units"
            )
        sizes.append(n)
    return sizes


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected a number such as {DEFAULT_LEARNING_RATE}"
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected a finite number greater than 0, such as "
            f"{DEFAULT_LEARNING_RATE}"
        )
    return value


def _int_at_least(minimum, maximum=None):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"got {text!r}, expected a whole number >= {minimum}"
            ) from None
        if value < minimum or (maximum is not None and value > maximum):
            top = "" if maximum is None else f" and <= {maximum}"
            raise argparse.ArgumentTypeError(
                f"got {value}, expected a whole number >= {minimum}{top}"
            )
        return value

    return parse


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
        "--layers", type=_layer_sizes, metavar="N0,N1,...,NL",
        help="layer sizes n[0],...,n[L]; n[0] must be 12288 (64 x 64 x 3) and n[L] 1",
    )
    train.add_argument(
        "--learning-rate", type=_positive_float, default=DEFAULT_LEARNING_RATE,
        metavar="ALPHA", help=f"gradient descent step (default {DEFAULT_LEARNING_RATE})",
    )
    train.add_argument(
        "--iterations", type=_int_at_least(1), default=DEFAULT_ITERATIONS, metavar="N",
        help=f"number of gradient descent iterations (default {DEFAULT_ITERATIONS})",
    )
    train.add_argument(
        "--seed", type=_int_at_least(0, 2**32 - 1), default=DEFAULT_SEED,
        help=f"seed of the weight initialization (default {DEFAULT_SEED})",
    )
    train.add_argument(
        "--data-dir", type=Path, metavar="DIR",
        help="folder holding train_catvnoncat.h5 and test_catvnoncat.h5 (default: "
        "$DNN_DATA_DIR when set, else datasets/ in the repository)",
    )
    train.add_argument(
        "--out", type=Path, default=Path("runs"), metavar="DIR",
        help="folder for the outputs, created if needed; existing outputs of the same "
        "model are replaced (default runs/)",
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
                      help="parameters file written by `train`, e.g. runs/deep_params.npz")

    shapes = commands.add_parser(
        "shapes", help="print the shape of every array of a network",
        description="Print the shapes of W, b, Z, A and their gradients for every layer.",
    )
    shapes.add_argument(
        "layers", type=_layer_sizes, nargs="?", default=DEFAULT_LAYERS["deep"],
        metavar="N0,N1,...,NL", help="layer sizes (default 12288,20,7,5,1)",
    )
    shapes.add_argument(
        "--m", type=_int_at_least(1), default=DEFAULT_M,
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


# ---------------------------------------------------------------- files

def save_parameters(path, parameters, layer_dims, classes):
    """Save trained parameters to an ``.npz`` file, atomically.

    Parameters
    ----------
    path : str or os.PathLike
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) for l = 1..L.
    layer_dims : sequence of int, length L + 1
    classes : numpy.ndarray, shape (2,)
        Names of label 0 and 1, e.g. ``array([b'non-cat', b'cat'])``.
    """
    arrays = dict(parameters)
    arrays["layer_dims"] = np.asarray(layer_dims, dtype=np.int64)
    # Plain byte strings: h5py's string dtype carries metadata that .npz cannot store.
    arrays["classes"] = np.array(
        [c if isinstance(c, bytes) else str(c).encode("utf-8") for c in classes], dtype="S"
    )
    write_atomically(path, lambda f: np.savez(f, **arrays))


def _bad(path, problem, fix="Fix: train again with `python -m dnn_utils train`, "
         "which writes runs/deep_params.npz."):
    return ParamsFileError(f"parameters file {path}: {problem}. {fix}")


def load_parameters(path):
    """Load and check a parameters file written by :func:`save_parameters`.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    parameters : dict
        ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1) float arrays for l = 1..L.
    layer_dims : list of int, length L + 1
        With n[0] = 12288 and n[L] = 1.
    classes : numpy.ndarray, shape (2,)

    Raises
    ------
    ParamsFileError
        The file is missing, not an ``.npz`` archive, lacks a key, or its arrays do
        not agree with ``layer_dims`` or with the cat pictures.
    """
    path = Path(path)
    if not path.exists():
        raise _bad(path, f"no such file (absolute: {path.absolute()})")
    if path.is_dir():
        raise _bad(path, "is a folder, expected an .npz file")
    try:
        # Recognise other kinds of file first: np.load would call a picture "pickled data".
        with open(path, "rb") as f:
            start = f.read(6)
        if start == b"\x93NUMPY":
            raise _bad(path, "is a single NumPy array (.npy), expected an .npz archive")
        if not zipfile.is_zipfile(path):
            raise _bad(path, "is not an .npz archive (it is not even a zip file)")
        archive = np.load(path, allow_pickle=False)
        with archive:
            contents = {key: archive[key] for key in archive.files}
    except ParamsFileError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        # np.load reports a file of another kind, or a damaged archive, in varied ways.
        raise _bad(path, f"is not a readable .npz archive ({exc})") from None

    missing = [key for key in ("layer_dims", "classes") if key not in contents]
    if missing:
        raise _bad(path, f"lacks {missing} (it has {sorted(contents)})")
    dims = contents["layer_dims"]
    if dims.ndim != 1 or dims.dtype.kind not in "iu":
        raise _bad(path, f"layer_dims is {dims!r}, expected a 1-D array of whole numbers")
    try:
        dims = check_layer_dims(dims.tolist(), "layer_dims")
    except (TypeError, ValueError) as exc:
        raise _bad(path, str(exc)) from None
    if dims[0] != CAT_N_X or dims[-1] != 1:
        raise _bad(
            path, f"layer_dims is {dims}, expected n[0] = {CAT_N_X} (64 x 64 x 3 pixels) "
            "and n[L] = 1 (one output unit)",
        )
    L = len(dims) - 1
    expected = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    missing = [key for key in expected if key not in contents]
    if missing:
        raise _bad(path, f"lacks {missing}, needed by layer_dims = {dims}")
    extra = sorted(k for k in contents if re.fullmatch(r"[Wb]\d+", k) and k not in expected)
    if extra:
        raise _bad(path, f"has {extra}, more layers than layer_dims = {dims} describes")
    parameters = {}
    for l in range(1, L + 1):
        for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            array = contents[name]
            if array.shape != shape:
                raise _bad(
                    path, f"{name} has shape {array.shape}, expected {shape} from "
                    f"layer_dims = {dims}",
                )
            if array.dtype.kind != "f":
                raise _bad(path, f"{name} has dtype {array.dtype}, expected floats")
            parameters[name] = array
    try:
        check_parameters(parameters, "load_parameters")
    except (TypeError, ValueError, KeyError) as exc:
        raise _bad(path, str(exc)) from None
    classes = contents["classes"]
    if classes.shape != (2,) or classes.dtype.kind not in "SU":
        raise _bad(path, f"classes is {classes!r}, expected two names such as "
                   "[b'non-cat', b'cat']")
    return parameters, dims, classes


# ---------------------------------------------------------------- commands

def _name(label):
    return label.decode("utf-8") if isinstance(label, bytes) else str(label)


def _accuracy(X, Y, parameters):
    p = predict(X, None, parameters)
    correct = int(np.sum(p == Y))
    return correct / Y.shape[1], correct, Y.shape[1]


def _cmd_train(args):
    from tqdm import tqdm

    from .data import flatten_images, load_data
    from .plots import plot_costs

    try:
        train_x_orig, train_y, test_x_orig, test_y, classes = load_data(args.data_dir)
    except FileNotFoundError as exc:
        raise CLIError(f"{exc}\nOn this command line: --data-dir DIR.") from None
    except (ValueError, OSError) as exc:
        # A corrupt or unreadable data file (data.DatasetError is a ValueError).
        raise CLIError(str(exc)) from None
    train_x, test_x = flatten_images(train_x_orig), flatten_images(test_x_orig)
    if train_x.shape[0] != args.layers[0]:
        raise CLIError(
            f"the pictures in the data set have {train_x.shape[0]} numbers each, but "
            f"--layers starts with {args.layers[0]}"
        )
    # Create the output folder before training, so a bad --out does not waste a run.
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"cannot create the output folder --out {args.out}: {exc}") from None

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
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                parameters, costs = train(
                    train_x, train_y, args.layers, args.learning_rate, args.iterations,
                    seed=args.seed, callback=callback,
                )
        except TrainingDivergedError as exc:
            bar.close()
            raise CLIError(
                f"{exc}\nNothing was saved. Fix: pass a smaller --learning-rate "
                f"(the published one is {DEFAULT_LEARNING_RATE})."
            ) from None

    i, cost = last_cost[0]
    print(f"Cost after iteration {i}: {cost:.6f}")
    for name, X, Y in (("Train", train_x, train_y), ("Test", test_x, test_y)):
        accuracy, correct, m = _accuracy(X, Y, parameters)
        print(f"{name} accuracy: {accuracy:.4f} ({correct}/{m} correct)")

    params_path = args.out / f"{args.model}_params.npz"
    costs_path = args.out / f"{args.model}_costs.png"
    fig = plot_costs(costs, args.learning_rate)
    # Say so when a previous run's outputs are replaced, rather than overwrite silently.
    notes = {p: " (replacing the previous one)" if p.exists() else ""
             for p in (params_path, costs_path)}
    try:
        save_parameters(params_path, parameters, args.layers, classes)
        write_atomically(costs_path, lambda f: fig.savefig(f, format="png"))
    except OSError as exc:
        raise CLIError(f"cannot write the outputs into --out {args.out}: {exc}") from None
    print(f"Saved the parameters to {params_path}{notes[params_path]}")
    print(f"Saved the cost curve to {costs_path}{notes[costs_path]}")
    return 0


def _cmd_predict(args):
    from .images import predict_image

    try:
        parameters, _, classes = load_parameters(args.params)
    except ParamsFileError as exc:
        raise CLIError(str(exc)) from None
    status = 0
    cat = _name(classes[1])
    for path in args.images:
        try:
            label, probability = predict_image(path, parameters, classes)
        except (OSError, ValueError) as exc:
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
    except CLIError as exc:
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted.", file=sys.stderr)
        return 130
