"""The training benchmark's correctness: the same costs as the textbook loop, and a
breakdown run that changes only what it says. Its timings are not tested: timing belongs
to ``python benchmarks/bench_training.py``; here the script runs for a few iterations only,
to show it still runs and prints every figure."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_training.py"


def _bench_training():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import bench_training
    finally:
        sys.path.remove(str(SCRIPT.parent))
    return bench_training


@pytest.mark.slow
def test_L_layer_model_trains_the_same_costs_as_the_direct_implementation():
    # What the benchmark prints as "cost trajectories agree": the published model on the
    # cat data, 101 iterations (costs at 0 and 100) of each, to 1e-9.
    bench = _bench_training()
    from dnn_utils import L_layer_model

    X, Y, _ = bench.load_inputs()
    _, direct = bench.direct_L_layer_model(X, Y, bench.LAYERS, 0.0075, 101)
    _, ours = L_layer_model(X, Y, bench.LAYERS, 0.0075, 101)
    assert len(direct) == len(ours) == 2
    assert max(abs(a - b) for a, b in zip(direct, ours)) <= 1e-9, (direct, ours)


def test_the_benchmark_script_runs_and_prints_every_figure():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--iterations", "2", "--repeats", "1", "--breakdown"],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout
    assert re.search(r"\(a\) speed-up over the direct implementation: \d+\.\d\dx", out)
    assert re.search(r"\(b\) L_layer_model / floor: \d+\.\d\dx \(median of 1 alternating runs", out)
    assert re.search(r"stricter: median L_layer_model per iteration / best floor run: \d+\.\d\dx", out)
    assert re.search(r"cost trajectories agree to \S+ \(goal <= 1e-9\): yes", out)
    assert re.search(r"without the W1 update .*: \d+\.\d\d ms per iteration", out)
    assert re.search(r"\(c\) validation: L_layer_model's checks take \d+\.\d\d ms .*of its time", out)
    assert re.search(r"a loop of the public blocks .* spends -?\d+\.\d% of its time", out)


def test_breakdown_skips_only_W1_and_leaves_the_real_update_alone():
    # The breakdown passes its own update step for one run; W1 alone must stay as it
    # was initialized, and L_layer_model must still update W1, before and after an error.
    bench_training = _bench_training()
    from dnn_utils import L_layer_model, initialize_parameters_deep

    X, Y = np.random.RandomState(0).rand(6, 10), np.array([[0, 1] * 5])
    initial = initialize_parameters_deep([6, 3, 1])
    trained, _ = L_layer_model(X, Y, [6, 3, 1], 0.1, 5)
    parameters, _ = bench_training.L_layer_model_without_W1_update(X, Y, [6, 3, 1], 0.1, 5)
    np.testing.assert_array_equal(parameters["W1"], initial["W1"])
    assert not np.array_equal(parameters["W2"], initial["W2"])
    after, _ = L_layer_model(X, Y, [6, 3, 1], 0.1, 5)
    assert not np.array_equal(after["W1"], initial["W1"])
    np.testing.assert_array_equal(after["W1"], trained["W1"])
    with pytest.raises(ValueError):
        bench_training.L_layer_model_without_W1_update(X, Y, [7, 3, 1], 0.1, 1)
    after_error, _ = L_layer_model(X, Y, [6, 3, 1], 0.1, 5)
    np.testing.assert_array_equal(after_error["W1"], trained["W1"])
