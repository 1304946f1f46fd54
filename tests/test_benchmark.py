"""The benchmark script runs and reports both ratios (timings themselves are not asserted)."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_training.py"


@pytest.mark.slow
def test_benchmark_reports_both_ratios_and_equal_costs():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--iterations", "101", "--repeats", "1", "--breakdown"],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout
    assert re.search(r"\(a\) speed-up over the direct implementation: \d+\.\d\dx", out)
    assert re.search(r"\(b\) L_layer_model / floor: \d+\.\d\dx \(median of 1 alternating runs", out)
    assert re.search(r"stricter: median L_layer_model per iteration / best floor run: \d+\.\d\dx", out)
    # Same cost trajectory as the textbook formulation: this part is not timing.
    assert re.search(r"cost trajectories agree to \S+ \(goal <= 1e-9\): yes", out)
    assert re.search(r"without the W1 update .*: \d+\.\d\d ms per iteration", out)
    assert re.search(r"\(c\) validation: L_layer_model's checks take \d+\.\d\d ms .*of its time", out)
    assert re.search(r"a loop of the public blocks .* spends -?\d+\.\d% of its time", out)


def test_breakdown_skips_only_W1_and_leaves_the_real_update_alone():
    # The breakdown passes its own update step for one run; W1 alone must stay as it
    # was initialized, and L_layer_model must still update W1, before and after an error.
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import bench_training
    finally:
        sys.path.remove(str(SCRIPT.parent))
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
