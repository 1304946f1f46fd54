"""The command line: argument errors, shapes, a short real training run, predict, bad files."""

import contextlib
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from dnn_utils import initialize_parameters, initialize_parameters_deep, predict, training_run
from dnn_utils.cli import main
from dnn_utils.params import ParamsFileError, load_parameters, save_parameters
from dnn_utils.shapes import format_shapes

CLASSES = np.array([b"non-cat", b"cat"])


def run(argv):
    """``main(argv)`` with its output captured: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- argument parsing

@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["train", "--layers", "12288,abc"], ["--layers", "'abc'", "whole number"]),
        (["train", "--layers", "12288"], ["--layers", "at least two"]),
        (["train", "--layers", "12288,0,1"], ["--layers", "positive"]),
        (["train", "--learning-rate", "-1"], ["--learning-rate", "'-1'", "greater than 0"]),
        (["train", "--learning-rate", "nan"], ["--learning-rate", "finite"]),
        (["train", "--learning-rate", "fast"], ["--learning-rate", "'fast'"]),
        (["train", "--iterations", "0"], ["--iterations", "got 0", ">= 1"]),
        (["train", "--iterations", "1.5"], ["--iterations", "'1.5'"]),
        (["train", "--seed", "-1"], ["--seed", ">= 0"]),
        (["train", "--layers", "100,5,1"], ["--layers", "12288", "64 x 64 x 3"]),
        (["train", "--layers", "12288,5,2"], ["--layers", "must be 1"]),
        (["train", "--model", "two-layer", "--layers", "12288,5,3,1"],
         ["two-layer", "exactly 3"]),
        (["train", "--model", "shallow"], ["--model", "'shallow'"]),
        (["shapes", "4,x,1"], ["'x'"]),
        (["shapes", "--m", "0"], ["--m", "got 0"]),
        (["predict", "cat.jpg"], ["--params"]),
        ([], ["COMMAND"]),
        (["fly"], ["'fly'"]),
    ],
)
def test_bad_arguments_are_usage_errors(argv, words):
    code, out, err = run(argv)
    assert code == 2
    assert out == ""
    assert "usage: python -m dnn_utils" in err
    assert "error:" in err and "Traceback" not in err
    for word in words:
        assert word in err


def test_help_exits_0():
    code, out, _ = run(["train", "--help"])
    assert code == 0
    for option in ("--model", "--layers", "--learning-rate", "--iterations", "--seed",
                   "--data-dir", "--out"):
        assert option in out


@pytest.fixture
def fake_training(monkeypatch, tmp_path):
    """Replace both models with instant fakes that record their arguments."""
    calls = []

    def fake(name):
        def train(X, Y, layer_dims, learning_rate, num_iterations, *, seed, callback):
            calls.append((name, X.shape, Y.shape, list(layer_dims), learning_rate,
                          num_iterations, seed))
            if name == "two_layer_model":
                parameters = initialize_parameters(*layer_dims, seed=seed)
            else:
                parameters = initialize_parameters_deep(layer_dims, seed=seed)
            callback(num_iterations - 1, 0.5, parameters)
            return parameters, [0.7, 0.5]

        return train

    monkeypatch.setattr(training_run, "L_layer_model", fake("L_layer_model"))
    monkeypatch.setattr(training_run, "two_layer_model", fake("two_layer_model"))
    return calls


def test_train_defaults_are_the_published_settings(fake_training, tmp_path):
    code, out, _ = run(["train", "--out", str(tmp_path), "--no-progress"])
    assert code == 0, out
    assert fake_training == [
        ("L_layer_model", (12288, 209), (1, 209), [12288, 20, 7, 5, 1], 0.0075, 2500, 1)
    ]
    assert (tmp_path / "deep_params.npz").is_file()
    assert "replacing" not in out
    code, out, _ = run(["train", "--out", str(tmp_path), "--no-progress"])
    assert code == 0
    assert f"{tmp_path / 'deep_params.npz'} (replacing the previous one)" in out
    assert f"{tmp_path / 'deep_costs.png'} (replacing the previous one)" in out


def test_train_two_layer_and_custom_options(fake_training, tmp_path):
    code, _, _ = run(["train", "--model", "two-layer", "--out", str(tmp_path), "--no-progress"])
    assert code == 0
    code, _, _ = run(["train", "--model", "two-layer", "--layers", "12288,3,1",
                      "--learning-rate", "0.01", "--iterations", "7", "--seed", "3",
                      "--out", str(tmp_path), "--no-progress", "--force"])
    assert code == 0
    assert [c[0] for c in fake_training] == ["two_layer_model"] * 2
    assert fake_training[0][3:] == ([12288, 7, 1], 0.0075, 2500, 1)
    assert fake_training[1][3:] == ([12288, 3, 1], 0.01, 7, 3)
    _, dims, _ = load_parameters(tmp_path / "two-layer_params.npz")
    assert dims == [12288, 3, 1]


# ---------------------------------------------------------------- shapes

def test_shapes_prints_the_dimension_table():
    code, out, err = run(["shapes", "12288,20,7,5,1", "--m", "209"])
    assert code == 0 and err == ""
    assert out == format_shapes([12288, 20, 7, 5, 1], 209) + "\n"
    assert "(20, 12288)" in out and "(1, 209)" in out


def test_shapes_defaults_to_the_deep_cat_network():
    assert run(["shapes"])[1] == run(["shapes", "12288,20,7,5,1", "--m", "209"])[1]


# ---------------------------------------------------------------- a real training run

@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """101 real iterations of the deep model: (out dir, exit code, stdout, stderr)."""
    out_dir = tmp_path_factory.mktemp("runs")
    code, out, err = run(["train", "--iterations", "101", "--out", str(out_dir)])
    return out_dir, code, out, err


def test_train_writes_parameters_and_cost_curve(trained):
    out_dir, code, out, err = trained
    assert code == 0, err
    # The tqdm bar reached the end and showed the cost.
    assert "101/101" in err and "cost=" in err
    with np.load(out_dir / "deep_params.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(
            ["classes", "layer_dims"] + [f"{p}{l}" for l in range(1, 5) for p in "Wb"]
        )
        assert npz["layer_dims"].tolist() == [12288, 20, 7, 5, 1]
        assert npz["classes"].tolist() == [b"non-cat", b"cat"]
        assert npz["W1"].shape == (20, 12288)
    with Image.open(out_dir / "deep_costs.png") as png:
        assert png.format == "PNG" and png.size[0] > 100
    assert not [p for p in os.listdir(out_dir) if p.endswith(".tmp")]
    assert f"Saved the parameters to {out_dir / 'deep_params.npz'}" in out


def test_train_prints_accuracies_of_the_saved_parameters(trained, cat_data):
    from dnn_utils.data import flatten_images

    out_dir, _, out, _ = trained
    parameters, _, _ = load_parameters(out_dir / "deep_params.npz")
    train_x_orig, train_y, test_x_orig, test_y, _ = cat_data
    for name, X, Y in (("Train", flatten_images(train_x_orig), train_y),
                       ("Test", flatten_images(test_x_orig), test_y)):
        correct = int(np.sum(predict(X, None, parameters) == Y))
        assert f"{name} accuracy: {correct / Y.shape[1]:.4f} ({correct}/{Y.shape[1]} correct)" \
            in out
    assert "Cost after iteration 100: " in out


def test_predict_with_the_saved_parameters(trained, tmp_path):
    from dnn_utils.images import demo_image_path, predict_image

    out_dir = trained[0]
    params = out_dir / "deep_params.npz"
    picture = tmp_path / "noise.png"
    pixels = np.random.default_rng(0).integers(0, 256, size=(48, 80, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(picture)
    images = [picture, demo_image_path()]
    code, out, err = run(["predict", *map(str, images), "--params", str(params)])
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == len(images)
    parameters, _, classes = load_parameters(params)
    for path, line in zip(images, lines, strict=True):
        label, probability = predict_image(path, parameters, classes)
        assert line == f"{path}: {label} (probability of cat: {probability:.4f})"
        assert label == ("cat" if probability > 0.5 else "non-cat")


def test_predict_goes_on_after_a_bad_picture(trained, tmp_path):
    params = trained[0] / "deep_params.npz"
    good = tmp_path / "grey.png"
    Image.new("RGB", (64, 64), (128, 128, 128)).save(good)
    not_a_picture = tmp_path / "notes.txt"
    not_a_picture.write_text("no pixels here")
    code, out, err = run(["predict", str(tmp_path / "missing.jpg"), str(not_a_picture),
                          str(good), "--params", str(params)])
    assert code == 1
    assert out.startswith(f"{good}: ")
    assert "missing.jpg" in err and "notes.txt" in err and "Traceback" not in err


# ---------------------------------------------------------------- bad parameter files

@pytest.fixture
def good_params(tmp_path):
    dims = [12288, 4, 3, 1]
    return tmp_path, initialize_parameters_deep(dims, seed=2), dims


def test_saved_parameters_round_trip(good_params):
    folder, parameters, dims = good_params
    save_parameters(folder / "p.npz", parameters, dims, CLASSES)
    loaded, loaded_dims, classes = load_parameters(folder / "p.npz")
    assert loaded_dims == dims
    assert classes.tolist() == CLASSES.tolist()
    assert loaded.keys() == parameters.keys()
    for key in parameters:
        np.testing.assert_array_equal(loaded[key], parameters[key])


def _broken(parameters, dims, change):
    arrays = dict(parameters, layer_dims=np.array(dims), classes=CLASSES)
    change(arrays)
    return arrays


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda a: a.pop("W2"), ["lacks ['W2']"]),
        (lambda a: a.pop("layer_dims"), ["lacks ['layer_dims']"]),
        (lambda a: a.pop("classes"), ["lacks ['classes']"]),
        (lambda a: a.update(W1=np.zeros((4, 100))), ["W1", "(4, 100)", "(4, 12288)"]),
        (lambda a: a.update(layer_dims=np.array([100, 4, 3, 1])), ["layer_dims", "12288"]),
        (lambda a: a.update(layer_dims=np.array([12288, 5, 3, 1])), ["W1", "(5, 12288)"]),
        (lambda a: a.update(layer_dims=np.array([12288, 4, 3])), ["n[L] = 1"]),
        (lambda a: a.update(layer_dims=np.array([12288.0, 4, 3, 1])), ["whole numbers"]),
        (lambda a: a.update(W4=np.zeros((1, 1)), b4=np.zeros((1, 1))), ["['W4', 'b4']"]),
        (lambda a: a.update(b3=np.zeros((1, 2))), ["b3", "(1, 2)", "(1, 1)"]),
        (lambda a: a["W2"].__setitem__((0, 0), np.nan), ["non-finite"]),
        (lambda a: a.update(W3=np.ones((1, 3), dtype=int)), ["W3", "dtype"]),
        (lambda a: a.update(classes=np.array([b"cat"])), ["classes"]),
    ],
)
def test_bad_parameters_file_is_named(good_params, change, words):
    folder, parameters, dims = good_params
    path = folder / "bad.npz"
    np.savez(path, **_broken(parameters, dims, change))
    with pytest.raises(ParamsFileError) as info:
        load_parameters(path)
    message = str(info.value)
    assert str(path) in message and "Fix:" in message
    for word in words:
        assert word in message


def test_files_that_are_not_npz_archives(tmp_path):
    picture = tmp_path / "cat.png"
    Image.new("RGB", (8, 8)).save(picture)
    single = tmp_path / "w.npy"
    np.save(single, np.zeros(3))
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    for path in (picture, single, empty, tmp_path):
        with pytest.raises(ParamsFileError, match="npz"):
            load_parameters(path)
    with pytest.raises(ParamsFileError, match="no such file"):
        load_parameters(tmp_path / "missing.npz")


def test_predict_with_a_bad_parameters_file_is_a_clean_error(good_params):
    folder, parameters, dims = good_params
    path = folder / "bad.npz"
    np.savez(path, **_broken(parameters, dims, lambda a: a.update(W1=np.zeros((4, 100)))))
    for params in (path, folder / "missing.npz"):
        code, out, err = run(["predict", "any.jpg", "--params", str(params)])
        assert code == 1 and out == ""
        assert err.startswith("python -m dnn_utils predict: error: parameters file")


# ---------------------------------------------------------------- other failures

def test_missing_data_set_is_a_clean_error(tmp_path):
    code, out, err = run(["train", "--data-dir", str(tmp_path), "--out", str(tmp_path)])
    assert code == 1 and out == ""
    assert "Could not find the cat dataset" in err and str(tmp_path) in err
    assert "--data-dir" in err and "Traceback" not in err


def test_divergence_is_a_clean_error_and_saves_nothing(tmp_path):
    code, _, err = run(["train", "--learning-rate", "1e6", "--iterations", "101",
                        "--out", str(tmp_path), "--no-progress"])
    assert code == 1
    assert "error: L_layer_model: training diverged" in err
    assert "--learning-rate" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "runs"
    blocker.write_text("")
    code, _, err = run(["train", "--iterations", "1", "--out", str(blocker)])
    assert code == 1
    assert "cannot create the output folder --out" in err


# ---------------------------------------------------------------- python -m dnn_utils

def _python_m(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "dnn_utils", *args], cwd=tmp_path, capture_output=True,
        text=True, timeout=120,
    )


def test_python_m_shapes(tmp_path):
    result = _python_m(tmp_path, "shapes", "12288,7,1", "--m", "50")
    assert result.returncode == 0, result.stderr
    assert result.stdout == format_shapes([12288, 7, 1], 50) + "\n"


def test_python_m_user_mistakes_have_no_traceback(tmp_path):
    result = _python_m(tmp_path, "train", "--layers", "12288,abc")
    assert result.returncode == 2
    assert "argument --layers" in result.stderr and "Traceback" not in result.stderr
    result = _python_m(tmp_path, "predict", "cat.jpg", "--params", "missing.npz")
    assert result.returncode == 1
    assert "missing.npz: no such file" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- issue 10: a bad run is not kept

def test_a_learning_rate_that_makes_the_cost_rise_warns_and_keeps_the_saved_model(
        trained, tmp_path):
    good = trained[0] / "deep_params.npz"
    saved = tmp_path / "deep_params.npz"
    saved.write_bytes(good.read_bytes())
    argv = ["train", "--learning-rate", "50", "--iterations", "101", "--out", str(tmp_path),
            "--no-progress"]
    code, out, err = run(argv)
    assert code == 1 and "Traceback" not in err
    assert "warning: L_layer_model: the cost ended higher than it started" in err
    assert "learning_rate = 50.0 is too large" in err
    assert f"worse than the one saved in {saved}" in err and "--force" in err
    assert saved.read_bytes() == good.read_bytes()
    assert not (tmp_path / "deep_costs.png").exists()
    code, out, err = run([*argv, "--force"])
    assert code == 0, err
    assert "warning: L_layer_model: the cost ended higher" in err
    assert f"Saved the parameters to {saved} (replacing the previous one)" in out
    assert saved.read_bytes() != good.read_bytes()


def test_a_model_with_a_higher_training_cost_does_not_replace_the_saved_one(
        fake_training, monkeypatch, tmp_path):
    code, _, _ = run(["train", "--out", str(tmp_path), "--no-progress"])
    assert code == 0
    saved = (tmp_path / "deep_params.npz").read_bytes()

    def worse(X, Y, layer_dims, learning_rate, num_iterations, *, seed, callback):
        parameters = initialize_parameters_deep(layer_dims, seed=seed)
        parameters["b4"] = np.full((1, 1), 20.0)  # "cat" for every picture: a high cost
        callback(num_iterations - 1, 5.0, parameters)
        return parameters, [0.7, 5.0]

    monkeypatch.setattr(training_run, "L_layer_model", worse)
    code, out, err = run(["train", "--out", str(tmp_path), "--no-progress"])
    assert code == 1
    assert "its cost on the training data is" in err and "higher than the saved model's" in err
    assert (tmp_path / "deep_params.npz").read_bytes() == saved
    code, out, err = run(["train", "--out", str(tmp_path), "--no-progress", "--force"])
    assert code == 0 and (tmp_path / "deep_params.npz").read_bytes() != saved


def test_divergence_suggests_a_rate_that_can_work(tmp_path):
    code, _, err = run(["train", "--learning-rate", "1e6", "--iterations", "101",
                        "--out", str(tmp_path), "--no-progress"])
    assert code == 1
    assert "try a smaller one, e.g. 0.0075." in err
    assert "e.g. 100000" not in err


def test_the_cli_prints_costs_with_eight_decimals(trained):
    out = trained[2]
    line = next(line for line in out.splitlines() if line.startswith("Cost after iteration"))
    assert len(line.split(": ")[1].split(".")[1]) == 8


def test_negative_layer_size_is_not_a_positive_number_of_units():
    code, _, err = run(["shapes", "12288,20,-7,1"])
    assert code == 2
    assert "size 2 is -7, expected a positive number of units" in err
    assert "whole number" not in err


def test_relative_paths_are_relative_to_the_current_folder(trained, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = trained[0] / "deep_params.npz"
    code, _, err = run(["predict", "no_such_picture.jpg", "--params", str(params)])
    assert code == 1
    assert "relative to the current folder" in err and str(tmp_path) in err
    assert "notebook" not in err
    assert "relative to the current folder" in run(["train", "--help"])[1]


# ---------------------------------------------------------------- issue 12: bad inputs

def test_a_network_too_large_for_the_memory_is_refused_before_training(
        fake_training, monkeypatch, tmp_path):
    from dnn_utils import resources

    monkeypatch.setattr(resources, "available_memory", lambda: 8 * 2**30)
    code, out, err = run(["train", "--layers", "12288,100000,1", "--out", str(tmp_path),
                          "--no-progress"])
    assert code == 1 and out == "" and "Traceback" not in err
    assert "training layers [12288, 100000, 1] on 209 pictures needs about 2" in err
    assert "more than the 8 GB available" in err and "--layers" in err
    assert fake_training == []


def test_training_memory_counts_parameters_gradients_and_activations():
    from dnn_utils.resources import training_memory

    # 12288 * 100000 weights: 9.8 GB each for W1, dW1 and the previous dW1.
    assert training_memory([12288, 100000, 1], 209) > 29e9
    assert training_memory([12288, 20, 7, 5, 1], 209) < 50e6
    assert training_memory([3, 2, 1], 5) == 8 * (3 * 5 + 3 * (3 * 2 + 2 + 2 * 1 + 1)
                                                  + 4 * (2 + 1) * 5)


def test_out_where_the_parameters_file_is_a_folder_fails_before_training(
        fake_training, tmp_path):
    (tmp_path / "deep_params.npz").mkdir()
    code, out, err = run(["train", "--out", str(tmp_path), "--no-progress"])
    assert code == 1 and out == ""
    assert "deep_params.npz exists and is not a file" in err
    assert fake_training == []


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_params_that_is_not_a_regular_file_is_refused_without_reading(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "params.npz"
        os.mkfifo(path)
    else:
        path = "/dev/zero"
    # In a subprocess with a timeout: opening a FIFO would block forever.
    result = _python_m(tmp_path, "predict", "x.jpg", "--params", str(path))
    assert result.returncode == 1
    assert ("named pipe" if kind == "fifo" else "a device") in result.stderr
    assert "expected a regular file" in result.stderr and "Traceback" not in result.stderr
