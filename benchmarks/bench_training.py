"""Benchmark: dnn_utils.L_layer_model against a direct implementation of the textbook.

Both train the model [12288, 20, 7, 5, 1] on the cat data (or random data of the
same shape when the data set is absent), in float64, for the same number of
iterations, alternating several times in this one run so that both see the same
machine. It prints

(a) the median speed ratio, direct time / L_layer_model time;
(b) the median ratio, L_layer_model time / floor time, where the floor is a run
    doing nothing but the two large matrix products one iteration cannot avoid
    (W1 @ X forward and dZ1 @ X.T backward), with the forward product in
    whichever of its two orientations was faster in that alternation. Like (a),
    each ratio is of two runs timed side by side; the stricter ratio of the
    median L_layer_model time to the best floor run of the whole benchmark is
    printed too (it compares a median with a minimum, so it grows with the
    machine's noise, not only with the loop's cost);

and checks that both produce the same cost trajectory (to 1e-9). It also prints
(c) what validation costs: L_layer_model's own checks, and the share of a learner's
loop of public blocks spent in their checks.

Run:  python benchmarks/bench_training.py [--iterations 300] [--repeats 5]
"""

import argparse
import statistics
import time

import numpy as np

from dnn_utils import (
    L_layer_model,
    L_model_backward,
    L_model_forward,
    compute_cost,
    initialize_parameters_deep,
    models,
    update_parameters,
)
from dnn_utils.contracts import check_training_data

LAYERS = [12288, 20, 7, 5, 1]


def load_inputs():
    """Return (X (12288, 209) float64, Y (1, 209)), from the cat data if it is there."""
    try:
        from dnn_utils.data import flatten_images, load_data

        train_x_orig, train_y, *_ = load_data()
        return flatten_images(train_x_orig), train_y, "the cat data"
    except (FileNotFoundError, ValueError) as error:
        print(f"(cat data not available: {str(error).splitlines()[0]})")
        rng = np.random.RandomState(0)
        X = rng.randint(0, 256, size=(209, 12288)).T / 255.0  # same layout as the real X
        Y = (rng.rand(1, 209) < 72 / 209).astype(np.int64)
        return X, Y, "random data of the cat data's shape"


# --- the direct implementation: the textbook formulation, written out plainly ----------

def direct_L_layer_model(X, Y, layer_dims, learning_rate, num_iterations):
    """Textbook training loop: every layer returns dA_prev (dA0 included), the
    activation backward copies dA, and the cost is computed at every iteration."""
    rng = np.random.RandomState(1)
    params = {}
    for l in range(1, len(layer_dims)):
        params["W" + str(l)] = rng.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(
            layer_dims[l - 1])
        params["b" + str(l)] = np.zeros((layer_dims[l], 1))
    L = len(layer_dims) - 1
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        caches = []
        A = X
        for l in range(1, L + 1):
            A_prev = A
            Z = np.dot(params["W" + str(l)], A_prev) + params["b" + str(l)]
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
            caches.append((A_prev, params["W" + str(l)], params["b" + str(l)], Z))
        AL = A
        cost = float(np.squeeze((1.0 / m) * (-np.dot(Y, np.log(AL).T)
                                            - np.dot(1 - Y, np.log(1 - AL).T))))
        grads = {}
        dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        for l in range(L, 0, -1):
            A_prev, W, b, Z = caches[l - 1]
            if l == L:
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = np.array(dA, copy=True)
                dZ[Z <= 0] = 0
            grads["dW" + str(l)] = 1.0 / m * np.dot(dZ, A_prev.T)
            grads["db" + str(l)] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
            dA = np.dot(W.T, dZ)
            grads["dA" + str(l - 1)] = dA
        for l in range(1, L + 1):
            params["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
            params["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
        if i % 100 == 0:
            costs.append(cost)
    return params, costs


def floor_run(X, n, forward_transposed):
    """n iterations of only the two matrix products one iteration cannot avoid.

    W1 @ X (forward) and dZ1 @ X.T (backward), nothing else. The forward product is
    computed either as written or as (X.T @ W1.T).T, the same numbers in the other
    orientation; the floor is the faster of the two, so that it is the machine's
    best, not merely the layout L_layer_model happens to use.
    """
    rng = np.random.RandomState(0)
    W1 = rng.randn(LAYERS[1], X.shape[0])
    dZ1 = rng.randn(LAYERS[1], X.shape[1])
    for _ in range(n):
        Z1 = (X.T @ W1.T).T if forward_transposed else W1 @ X
        dW1 = dZ1 @ X.T
    return Z1, dW1


def L_layer_model_without_W1_update(X, Y, layer_dims, learning_rate, num_iterations):
    """L_layer_model with W1 never updated: wrong training, timed only (--breakdown).

    Everything else in the loop runs as usual, so the time it saves is what updating
    the 2 MB W1 costs per iteration, beyond the two products of the floor.
    """
    def update_all_but_W1(parameters, steps):
        models.update_in_place({k: v for k, v in parameters.items() if k != "W1"}, steps)
        return parameters

    X, Y, dims = check_training_data(X, Y, layer_dims, "L_layer_model")
    parameters = initialize_parameters_deep(dims)
    return models.train(X, Y, parameters, learning_rate, num_iterations,
                        update=update_all_but_W1, where="L_layer_model")


def L_layer_model_check_seconds(X, Y, n):
    """Time L_layer_model's own checks for one run of n iterations, timed on their own.

    The data and sizes are checked once per run; each iteration only checks that
    training has not diverged.
    """
    AL, _ = L_model_forward(X, initialize_parameters_deep(LAYERS))
    once = min(timed(check_training_data, X, Y, LAYERS, "bench")[0] for _ in range(5))
    Y = np.asarray(Y, dtype=np.float64)
    calls = 1000
    start = time.perf_counter()
    for i in range(calls):
        models.check_not_diverged(AL, Y, i, 0.0075, "bench")
    per_iteration = (time.perf_counter() - start) / calls
    return once + n * per_iteration


def public_blocks_check_share(X, Y, n):
    """Share of a learner's training loop spent in the public blocks' checks.

    The loop of notebook 03 (L_model_forward, compute_cost, L_model_backward,
    update_parameters) against the same loop with ``check=False``; their steps
    are interleaved, in alternating order, so that both see the same machine.
    """
    Y = np.asarray(Y, dtype=np.float64)

    def public_step(parameters):
        AL, caches = L_model_forward(X, parameters)
        compute_cost(AL, Y)
        return update_parameters(parameters, L_model_backward(AL, Y, caches), 0.0075)

    def unchecked_step(parameters):
        AL, caches = L_model_forward(X, parameters, check=False)
        compute_cost(AL, Y, check=False)
        grads = L_model_backward(AL, Y, caches, check=False)
        return update_parameters(parameters, grads, 0.0075, check=False)

    steps = [public_step, unchecked_step]
    parameters = [initialize_parameters_deep(LAYERS), initialize_parameters_deep(LAYERS)]
    seconds = [0.0, 0.0]
    for i in range(n):
        for k in ((0, 1) if i % 2 else (1, 0)):
            start = time.perf_counter()
            parameters[k] = steps[k](parameters[k])
            seconds[k] += time.perf_counter() - start
    return (seconds[0] - seconds[1]) / seconds[0]


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--breakdown", action="store_true",
                        help="also time L_layer_model with the W1 update left out")
    args = parser.parse_args()

    X, Y, source = load_inputs()
    n = args.iterations
    print(f"Model {LAYERS}, {n} iterations per run, {args.repeats} alternating runs, on {source}, "
          f"float64.")

    direct_times, ours_times, no_W1_update_times = [], [], []
    floor_times = {False: [], True: []}
    for _ in range(args.repeats):
        t_direct, (_, direct_costs) = timed(direct_L_layer_model, X, Y, LAYERS, 0.0075, n)
        t_ours, (_, our_costs) = timed(L_layer_model, X, Y, LAYERS, 0.0075, n)
        direct_times.append(t_direct)
        ours_times.append(t_ours)
        for transposed, times in floor_times.items():
            times.append(timed(floor_run, X, n, transposed)[0])
        if args.breakdown:
            no_W1_update_times.append(
                timed(L_layer_model_without_W1_update, X, Y, LAYERS, 0.0075, n)[0])
    # Each alternation's floor is the faster orientation in that alternation, so that
    # (b), like (a), divides two runs timed side by side. The best floor of all runs
    # gives the stricter figure printed after it.
    floors = [min(pair) for pair in zip(*floor_times.values())]
    floor = min(floors) / n

    worst = max(abs(a - b) for a, b in zip(direct_costs, our_costs))
    ratios = [d / o for d, o in zip(direct_times, ours_times)]
    floor_ratios = [o / f for o, f in zip(ours_times, floors)]
    per_iter_direct = statistics.median(direct_times) / n
    per_iter_ours = statistics.median(ours_times) / n

    def runs(times):
        return ", ".join(f"{t / n * 1e3:.2f}" for t in times)

    print(f"direct implementation: {per_iter_direct * 1e3:6.2f} ms per iteration (median; "
          f"runs: {runs(direct_times)})")
    print(f"dnn_utils.L_layer_model: {per_iter_ours * 1e3:6.2f} ms per iteration (median; "
          f"runs: {runs(ours_times)})")
    print(f"floor (W1 @ X and dZ1 @ X.T only, best run, faster orientation): "
          f"{floor * 1e3:6.2f} ms per iteration")
    print(f"  runs with W1 @ X as written: {runs(floor_times[False])}; "
          f"as (X.T @ W1.T).T: {runs(floor_times[True])}")
    print(f"(a) speed-up over the direct implementation: {statistics.median(ratios):.2f}x "
          f"(median of {len(ratios)} alternating runs; goal >= 1.8x)")
    print(f"(b) L_layer_model / floor: {statistics.median(floor_ratios):.2f}x (median of "
          f"{len(floor_ratios)} alternating runs; goal <= 1.25x; runs: "
          f"{', '.join(f'{r:.2f}' for r in floor_ratios)})")
    print(f"    stricter: median L_layer_model per iteration / best floor run: "
          f"{per_iter_ours / floor:.2f}x (best run {min(ours_times) / n / floor:.2f}x)")
    print(f"cost trajectories agree to {worst:.1e} (goal <= 1e-9): "
          f"{'yes' if worst <= 1e-9 else 'NO'}")
    checks = L_layer_model_check_seconds(X, Y, n)
    print(f"(c) validation: L_layer_model's checks take {checks * 1e3:.2f} ms per run of {n} "
          f"iterations, {checks / statistics.median(ours_times):.2%} of its time "
          "(goal < 2%)")
    print(f"    a loop of the public blocks (L_model_forward, compute_cost, L_model_backward, "
          f"update_parameters) spends {public_blocks_check_share(X, Y, n):.1%} of its time "
          "in their checks")
    if args.breakdown:
        per_iter = statistics.median(no_W1_update_times) / n
        speed_up = statistics.median(d / t for d, t in zip(direct_times, no_W1_update_times))
        to_floor = statistics.median(t / f for t, f in zip(no_W1_update_times, floors))
        print(f"breakdown: L_layer_model without the W1 update (wrong training, timing only): "
              f"{per_iter * 1e3:.2f} ms per iteration (runs: {runs(no_W1_update_times)}); "
              f"it would give (a) {speed_up:.2f}x and (b) {to_floor:.2f}x, so the "
              f"W1 update costs {(per_iter_ours - per_iter) * 1e3:.2f} ms per iteration")
        print(f"breakdown: a loop doing nothing but the two products would give (a) "
              f"{statistics.median(d / f for d, f in zip(direct_times, floors)):.2f}x: no "
              "loop that also trains can reach that")


if __name__ == "__main__":
    main()
