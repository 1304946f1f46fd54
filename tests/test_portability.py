"""Results that must not depend on the machine: the BLAS's thread count, say.

A learner's laptop may run OpenBLAS with one thread or eight. Splitting a product over
threads changes the order of its sums, so costs may differ in the last bits, but
training the published model must give the same costs to far better than the printed
precision.
"""

import json
import os
import subprocess
import sys

import pytest

TRAIN_100 = """
import json
from dnn_utils import L_layer_model, L_model_forward, compute_cost
from dnn_utils.data import flatten_images, load_data

train_x_orig, train_y, *_ = load_data()
X = flatten_images(train_x_orig)
costs = []
parameters, _ = L_layer_model(X, train_y, [12288, 20, 7, 5, 1], 0.0075, 100,
                              callback=lambda i, cost, p: costs.append(cost))
costs.append(compute_cost(L_model_forward(X, parameters)[0], train_y))
print(json.dumps([repr(float(c)) for c in costs]))
"""


def _costs_with_threads(threads):
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    out = subprocess.run([sys.executable, "-c", TRAIN_100], env=env, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return [float(c) for c in json.loads(out.stdout.splitlines()[-1])]


@pytest.mark.slow
def test_published_model_costs_agree_across_thread_counts():
    one, two = _costs_with_threads(1), _costs_with_threads(2)
    # The costs before iterations 0 and 99 (the callback's), and after the 100th update.
    assert len(one) == len(two) == 3
    assert one[0] == pytest.approx(0.771749, abs=1e-6)  # the published first cost
    assert one[-1] < one[0] - 0.05  # 100 updates of real training happened
    worst = max(abs(a - b) for a, b in zip(one, two))
    assert worst <= 1e-10, f"costs differ by {worst:.2e} between 1 and 2 BLAS threads"
