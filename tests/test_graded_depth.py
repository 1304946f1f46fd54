"""The graded tests of notebook 5 pass right answers and name each usual mistake."""

import re

import numpy as np
import pytest
from graded_failures import expect_failure

from dnn_utils.graded import depth


def relu(z):
    return np.maximum(0, z)


def tent_right(x, k):
    a = np.asarray(x, dtype=float)
    for _ in range(k):
        a = 2 * relu(a) - 4 * relu(a - 0.5)
    return a


def test_tent_composition_passes_a_right_answer(capsys):
    depth.tent_composition_test(tent_right)
    assert capsys.readouterr().out.strip() == "tent_composition_test: all tests passed."
    # a list back is fine too
    depth.tent_composition_test(lambda x, k: tent_right(x, k).tolist())


def test_the_reference_tent_has_2_to_the_k_pieces():
    x = np.linspace(0, 1, 2 ** 8 + 1)
    for k in range(6):
        assert depth.reference_count_linear_pieces(x, depth.reference_tent_composition(x, k)) \
            == 2 ** k


TENT_MISTAKES = {
    "one too few": (lambda x, k: tent_right(x, max(k - 1, 0)), r"one tent too few"),
    "one too many": (lambda x, k: tent_right(x, k + 1), r"one tent too many"),
    "applied to x every time": (lambda x, k: tent_right(x, min(k, 1)),
                                r"applied to x instead of to the previous result"),
    "identity for k = 0 forgotten": (lambda x, k: tent_right(x, max(k, 1)),
                                     r"k = 0.*x itself"),
    "weight -2": (lambda x, k: 2 * relu(tent_right(x, k - 1)) - 2 * relu(tent_right(x, k - 1) - 0.5)
                  if k else tent_right(x, 0), r"change of -4"),
    "never applied": (lambda x, k: np.asarray(x, dtype=float), r"never applied"),
    "row vector": (lambda x, k: tent_right(x, k).reshape(1, -1), r"shape \(1, 33\), expected \(33,\)"),
    "a single number": (lambda x, k: float(tent_right(x, k).sum()), r"expected 33 numbers"),
}


@pytest.mark.parametrize("mistake", TENT_MISTAKES)
def test_tent_composition_names_the_mistake(mistake):
    target, pattern = TENT_MISTAKES[mistake]
    message = expect_failure(depth.tent_composition_test, target, r"^tent_composition: ",
                             pattern)
    if "shape" not in pattern and "numbers" not in pattern:
        assert "expected" in message and "got" in message


def test_tent_composition_needs_an_implementation():
    def stub(x, k):
        raise NotImplementedError

    expect_failure(depth.tent_composition_test, stub, r"not implemented yet")


def pieces_right(x, y):
    s = np.diff(y) / np.diff(x)
    return 1 + int(np.sum(~np.isclose(s[1:], s[:-1], rtol=1e-9, atol=1e-9)))


def test_count_linear_pieces_passes_a_right_answer(capsys):
    depth.count_linear_pieces_test(pieces_right)
    assert capsys.readouterr().out.strip() == "count_linear_pieces_test: all tests passed."


def _slopes(x, y):
    return np.diff(np.asarray(y)) / np.diff(np.asarray(x))


COUNT_MISTAKES = {
    "kinks": (lambda x, y: pieces_right(x, y) - 1, r"counted the kinks, not the pieces"),
    "exact ==": (lambda x, y: 1 + int(np.sum(_slopes(x, y)[1:] != _slopes(x, y)[:-1])),
                 r"compared slopes with == or !=.*np.isclose"),
    "turning points": (lambda x, y: 1 + int(np.sum(np.sign(_slopes(x, y)[1:])
                                                   * np.sign(_slopes(x, y)[:-1]) < 0)),
                       r"keeps its sign is a kink too"),
    "segments": (lambda x, y: len(x) - 1, r"number of segments between sample points"),
    "float": (lambda x, y: float(pieces_right(x, y)), r"expected a whole number"),
}


@pytest.mark.parametrize("mistake", COUNT_MISTAKES)
def test_count_linear_pieces_names_the_mistake(mistake):
    target, pattern = COUNT_MISTAKES[mistake]
    message = expect_failure(depth.count_linear_pieces_test, target, r"^count_linear_pieces: ",
                             pattern)
    if mistake != "float":
        assert re.search(r"expected: \d+\n\s+got:\s+\d+", message), message


def test_count_linear_pieces_gets_plain_lists():
    seen = []

    def spy(x, y):
        seen.append((type(x), type(y)))
        return pieces_right(x, y)

    depth.count_linear_pieces_test(spy)
    assert set(seen) == {(list, list)}
