"""Graded key-concept questions of notebook 6, one test per question.

Each answer is a variable the learner sets: a letter for a multiple-choice question,
a number or a shape tuple otherwise. The feedback of a wrong answer explains the
right one; for the usual wrong choices it first says why that choice is wrong. The
answers live here, in the package, so that the learner edition of the notebook
does not show them.

The drawn network of the notebook is ``DRAWN_LAYER_DIMS = [4, 5, 3, 1]``.
"""

import numbers

from .feedback import fail, graded_test

DRAWN_LAYER_DIMS = [4, 5, 3, 1]


def _letters(name, got, options):
    """The learner's answer as a set of lowercase letters among ``options``."""
    if isinstance(got, str):
        letters = [c for c in got.lower() if not c.isspace() and c not in ",;"]
    elif isinstance(got, (set, list, tuple, frozenset)) and all(isinstance(c, str) for c in got):
        letters = [c.strip().lower() for c in got]
    else:
        fail(name, f"{name} is {got!r} ({type(got).__name__}), expected a string of letters "
             f"among {', '.join(options)}.",
             hint=f'write the letter in quotes, e.g. {name} = "{options[0]}".')
    bad = [c for c in letters if c not in options]
    if bad or not letters:
        fail(name, f"{name} is {got!r}, expected letters among {', '.join(options)}.",
             hint=f'write the letter(s) in quotes, e.g. {name} = "{options[0]}".')
    return set(letters)


def _choice(name, options, answer, why_right, why_wrong):
    """Build the test of a question with exactly one right letter."""

    @graded_test(name, expects_function=False)
    def check(got):
        letters = _letters(name, got, options)
        if len(letters) != 1:
            fail(name, f"{name} is {got!r}: pick exactly one letter.",
                 hint=f'e.g. {name} = "{options[0]}".')
        (letter,) = letters
        if letter != answer:
            fail(name, f"{letter!r} is not the best answer.",
                 details=[why_wrong.get(letter, "")] if why_wrong.get(letter) else (),
                 hint=f"the answer is {answer!r}: {why_right}")

    check.__name__ = check.__qualname__ = f"{name}_test"
    check.__doc__ = f"Graded test of the key-concept question ``{name}``."
    return check


def _whole_number(name, got, expected, wrong, why_right):
    if isinstance(got, bool) or not isinstance(got, numbers.Integral):
        fail(name, f"{name} is {got!r} ({type(got).__name__}), expected a whole number.",
             hint=f"e.g. {name} = 7 (no quotes).")
    if got != expected:
        fail(name, f"{name} = {got} is wrong.",
             details=[wrong[got]] if got in wrong else (),
             hint=why_right)


def _shape(name, got, expected, wrong, why_right):
    if isinstance(got, list):
        got = tuple(got)
    if not isinstance(got, tuple) or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in got
    ):
        fail(name, f"{name} is {got!r}, expected a shape tuple of whole numbers.",
             hint=f"e.g. {name} = (2, 7).")
    if got != expected:
        fail(name, f"{name} = {got} is wrong.",
             details=[wrong[got]] if got in wrong else (),
             hint=why_right)


# ------------------------------------------------------------------ questions


@graded_test("number_of_layers", expects_function=False)
def number_of_layers_test(got):
    _whole_number(
        "number_of_layers", got, 3,
        {4: "4 counts the input layer. The input is layer 0 and is not counted: it computes "
            "nothing.",
         2: "2 counts only the hidden layers; the output layer counts too."},
        "L counts the layers that compute something: the hidden layers and the output layer, "
        "not the input. layer_dims = [4, 5, 3, 1] has L = len(layer_dims) - 1 = 3.")


@graded_test("W2_shape", expects_function=False)
def W2_shape_test(got):
    _shape(
        "W2_shape", got, (3, 5),
        {(5, 3): "(5, 3) is transposed.",
         (5, 4): "(5, 4) is the shape of W[1].",
         (1, 3): "(1, 3) is the shape of W[3].",
         (3, 1): "(3, 1) is the shape of b[2]."},
        "W[l] has one row per unit of layer l and one column per unit of layer l-1: "
        "(n[2], n[1]) = (3, 5), so that W[2] A[1] is defined.")


@graded_test("A1_shape", expects_function=False)
def A1_shape_test(got):
    _shape(
        "A1_shape", got, (5, 10),
        {(10, 5): "(10, 5) is transposed: examples are columns.",
         (5, 1): "(5, 1) is one example; with m = 10 examples stacked as columns A[1] has "
                 "10 columns.",
         (4, 10): "(4, 10) is the input X = A[0]: 4 features per example.",
         (5, 4): "(5, 4) is the shape of W[1], which does not depend on m."},
        "A[l] has one row per unit of layer l and one column per example: (n[1], m) = (5, 10).")


@graded_test("number_of_parameters", expects_function=False)
def number_of_parameters_test(got):
    _whole_number(
        "number_of_parameters", got, 47,
        {38: "38 counts the weights only; add one bias per unit of layers 1 to L: 5 + 3 + 1.",
         51: "51 gives the 4 input units biases too; the input layer has no parameters."},
        "for each layer n[l] * n[l-1] weights plus n[l] biases: (4*5 + 5) + (5*3 + 3) + "
        "(3*1 + 1) = 25 + 18 + 4 = 47.")


cache_content_test = _choice(
    "cache_content", "abcd", "c",
    "the backward step of layer l needs g'(Z[l]) to get dZ[l] = dA[l] * g'(Z[l]), so Z[l] is "
    "the essential thing to keep; A[l-1] (for dW[l] = dZ[l] A[l-1]^T / m) and W[l] (for "
    "dA[l-1] = W[l]^T dZ[l]) are stored too, for convenience, so the backward step has all "
    "it needs without recomputing or looking anything up.",
    {"a": "the gradients are what the backward pass computes; they do not exist yet during "
          "the forward pass.",
     "b": "A[l] alone is not enough: the backward step needs Z[l] (for g'(Z[l])) and the "
          "layer's input A[l-1] (for dW[l]).",
     "d": "nothing is stored to save memory; the cache costs memory. It is kept to avoid "
          "recomputing Z[l] and to have A[l-1] and W[l] at hand in the backward step."},
)

HYPERPARAMETER_OPTIONS = "abcdefg"


@graded_test("hyperparameter_letters", expects_function=False)
def hyperparameter_letters_test(got):
    name = "hyperparameter_letters"
    letters = _letters(name, got, HYPERPARAMETER_OPTIONS)
    expected = set("bdeg")
    why = {
        "a": "W[1] is a parameter: gradient descent learns it.",
        "b": "the learning rate is a hyperparameter: you choose it.",
        "c": "b[2] is a parameter: gradient descent learns it (it only starts at zero).",
        "d": "the number of hidden units n[l] is a hyperparameter: it fixes W's shape.",
        "e": "the number of iterations is a hyperparameter: you decide how long to train.",
        "f": "dW[2] is neither: a gradient computed at every iteration.",
        "g": "the choice of activation (ReLU, sigmoid) is a hyperparameter.",
    }
    if letters != expected:
        missing, extra = sorted(expected - letters), sorted(letters - expected)
        fail(name, f"{name} = {got!r} is not the set of hyperparameters"
             + (f"; missing {', '.join(missing)}" if missing else "")
             + (f"; should not include {', '.join(extra)}" if extra else "") + ".",
             details=[why[c] for c in extra + missing],
             hint="hyperparameters are what you choose and gradient descent never changes; "
             "parameters (W, b) are learned; gradients and activations are computed.")


deeper_layers_test = _choice(
    "deeper_layers", "abcd", "b",
    "each layer computes a function of the previous layer's output, so deeper layers combine "
    "simple features (edges, in the lecture's face example) into more complex ones (parts, "
    "then faces): features built out of features.",
    {"a": "deeper layers do not see the raw pixels: layer l only sees A[l-1], what layer l-1 "
          "computed.",
     "c": "depth does not copy: every layer has its own W[l] and b[l] and computes a new "
          "representation.",
     "d": "the layers are not averaged; they are composed, one after the other."},
)

layer_loop_test = _choice(
    "layer_loop", "abcd", "a",
    "layer l needs A[l-1], which only exists once layer l-1 is computed, so the layers are "
    "computed one after another in an explicit for-loop over l = 1..L. The m examples, in "
    "contrast, are independent and are all processed at once as the columns of a matrix.",
    {"b": "it is the other way round: the examples are vectorized (the columns of A), the "
          "layers are looped over.",
     "c": "a loop over layers is needed even with NumPy: layer l cannot start before layer "
          "l-1 is finished, since its input is A[l-1].",
     "d": "the layers do not have to have the same size; the loop works for any layer_dims."},
)

relu_derivative_test = _choice(
    "relu_derivative", "abcd", "c",
    "relu(z) = max(0, z) has slope 1 where z > 0 and slope 0 where z < 0 (at z = 0 either "
    "value is used; the code uses 0), so dZ = dA * (Z > 0).",
    {"a": "that is the sigmoid's derivative, g(z) (1 - g(z)).",
     "b": "relu is not the identity: its slope is 0 for negative z.",
     "d": "relu(z) itself is not its derivative: the derivative is 0 or 1, not z."},
)

output_gradient_test = _choice(
    "output_gradient", "abcd", "b",
    "for a sigmoid output and the cross-entropy loss, da = -(y/a) + (1-y)/(1-a) and "
    "g'(z) = a (1 - a); their product simplifies to dz[L] = a[L] - y, for each example. "
    "The 1/m appears in dW and db, where the examples are summed.",
    {"a": "that is da[L], the loss's derivative with respect to a; multiplied by "
          "g'(z) = a (1-a) it simplifies to a - y.",
     "c": "the sign is wrong: the gradient of the loss is a - y (too high a prediction "
          "gives a positive gradient, and gradient descent lowers it).",
     "d": "dz[L] is per example; the 1/m enters when dW and db average over the examples."},
)

@graded_test("logistic_regression_layers", expects_function=False)
def logistic_regression_layers_test(got):
    _whole_number(
        "logistic_regression_layers", got, 1,
        {0: "0 would be no computation at all; logistic regression computes one layer, "
            "sigmoid(w^T x + b).",
         2: "2 counts the input; the input layer is layer 0 and is not counted."},
        "logistic regression is the shallowest network: one layer (L = 1), the output unit "
        "sigmoid(W x + b), with no hidden layer.")


pieces_on_a_line_test = _choice(
    "pieces_on_a_line", "abcd", "d",
    "a unit relu(w x + b) of one hidden layer has one kink, at x = -b/w, so n units give at "
    "most n kinks and n + 1 pieces; composing k tents of 2 units each doubles the pieces at "
    "every layer, 2^k pieces for 2k units. Both are piecewise linear; depth changes how "
    "many pieces a given number of units can make.",
    {"a": "both networks are piecewise linear; neither draws curves.",
     "b": "the hidden units of a one-layer network are shared too: the output unit uses all "
          "of them. The difference is the number of levels of composition.",
     "c": "depth makes many pieces possible, but it is not automatic: the 2^k pieces need "
          "the right weights, and randomly initialized deep networks have far fewer."},
)

brain_analogy_test = _choice(
    "brain_analogy", "abcd", "c",
    "a unit (a weighted sum followed by a non-linearity) is a very loose cartoon of a neuron; "
    "how real neurons learn is still largely unknown, and nothing says the brain runs "
    "backpropagation. The analogy is a picture, not an explanation.",
    {"a": "a neuron is far more complex than a weighted sum and a threshold, and whether the "
          "brain learns by gradient descent is not known.",
     "b": "the workbook's network was designed from mathematics (composition, gradients), "
          "not copied from the brain's wiring.",
     "d": "the analogy is not useless as an image, only misleading when taken literally."},
)

backward_order_test = _choice(
    "backward_order", "abcd", "b",
    "the backward pass starts at the output, where dA[L] comes from the loss, and goes "
    "l = L, L-1, ..., 1: each step turns dA[l] and the cache of layer l into dW[l], db[l] "
    "and dA[l-1], the input of the next step.",
    {"a": "layer 1's gradients depend on dA[1], which comes from layer 2's backward step: "
          "the backward pass cannot start at layer 1.",
     "c": "the layers' gradients depend on each other (dA[l-1] comes from layer l), so they "
          "are computed in order, not independently.",
     "d": "the cache holds the forward values, not the gradients; the gradients are "
          "computed in the backward pass."},
)

__all__ = [name for name in dir() if name.endswith("_test") and name != "graded_test"]
