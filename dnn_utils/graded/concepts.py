"""Graded quiz questions of notebook 06, one test per question.

Each answer is a variable the learner sets: a letter for a multiple-choice question,
a number or a shape tuple otherwise. Every question is one call of
:func:`~dnn_utils.graded.questions.choice_question`,
:func:`~dnn_utils.graded.questions.number_question` or
:func:`~dnn_utils.graded.questions.shape_question`: a first wrong answer says why it is wrong
and nudges, without the right answer; a second one shows the answer and its explanation.
The answers live here, in the package, so that the learner edition does not show them.

The networks are the lecture's own: ``NOTATION_LAYER_DIMS = [3, 5, 5, 3, 1]`` (drawn in the
notebook, L = 4) and ``DIMENSIONS_LAYER_DIMS = [2, 3, 5, 4, 2, 1]``.
"""

from .feedback import graded_test
from .questions import (
    MISSES,
    choice_question,
    letters_of,
    miss,
    number_question,
    shape_question,
)

NOTATION_LAYER_DIMS = [3, 5, 5, 3, 1]
DIMENSIONS_LAYER_DIMS = [2, 3, 5, 4, 2, 1]

# ------------------------------------------------------------- 1. notation and shapes

number_of_layers_test = number_question(
    "number_of_layers", 4,
    "L counts the layers that compute something, the hidden layers and the output layer, not "
    "the input: layer_dims = [3, 5, 5, 3, 1] has L = len(layer_dims) - 1 = 4.",
    {5: "5 counts a layer that computes nothing.",
     3: "3 leaves out a layer that computes something."},
    "count the layers that compute something; the input x is layer 0.")

hidden_layers_test = number_question(
    "hidden_layers", 3,
    "the hidden layers are layers 1 to L - 1, all but the output layer: L - 1 = 3.",
    {4: "4 counts a layer that is not hidden.",
     5: "5 counts two layers that are not hidden."},
    "a hidden layer is neither the input nor the output layer.")

number_of_parameters_test = number_question(
    "number_of_parameters", 72,
    "layer l has n[l] * n[l-1] weights and n[l] biases: (3*5 + 5) + (5*5 + 5) + (5*3 + 3) + "
    "(3*1 + 1) = 20 + 30 + 18 + 4 = 72.",
    {58: "58 leaves out part of what each layer learns.",
     75: "75 gives parameters to a layer that has none.",
     14: "14 leaves out the larger part of what each layer learns."},
    "add, layer by layer, the entries of W[l] and of b[l] for l = 1 to L.")

W_general_shape_test = choice_question(
    "W_general_shape", "abcd", "d",
    "W[l] has one row per unit of layer l and one column per unit of layer l-1, "
    "(n[l], n[l-1]), so that W[l] A[l-1] is defined and has n[l] rows.",
    {"a": "with (n[l-1], n[l]) the product W[l] A[l-1] is not defined unless n[l] = n[l-1]; "
          "check it with the rule (p, q) x (q, r) -> (p, r).",
     "b": "(n[l], 1) is one number per unit: that is the shape of a bias vector.",
     "c": "W[l] does not depend on the number of examples m: the same weights serve every "
          "example."},
    "write Z[l] = W[l] A[l-1] + b[l] with A[l-1] of shape (n[l-1], m) and Z[l] of shape "
    "(n[l], m), and ask what W[l] must be for the product to fit.")

b_general_shape_test = choice_question(
    "b_general_shape", "abcd", "c",
    "b[l] has one bias per unit of layer l, as a column: (n[l], 1). Broadcasting adds it to "
    "every one of the m columns of W[l] A[l-1].",
    {"a": "b[l] does not depend on m: one bias per unit, shared by all the examples, which "
          "broadcasting adds to every column.",
     "b": "(1, n[l]) is a row: added to W[l] A[l-1], it is broadcast along the wrong axis "
          "(notebook 01, section 5, and its aside).",
     "d": "a bias belongs to a unit of layer l, not to an input of it."},
    "Z[l] = W[l] A[l-1] + b[l] has one row per unit of layer l; how many numbers does each "
    "unit add, and for how many examples?")

W2_shape_test = shape_question(
    "W2_shape", (5, 3),
    "W[l] has shape (n[l], n[l-1]); with layer_dims = [2, 3, 5, 4, 2, 1], W[2] is "
    "(n[2], n[1]) = (5, 3).",
    {(3, 5): "(3, 5) is not the shape of W[2]; notebook 01, section 2 says which layer gives "
             "the rows of W[l] and which gives its columns.",
     (3, 2): "(3, 2) is the shape of W[1], between the input and layer 1.",
     (4, 5): "(4, 5) is the shape of W[3].",
     (5, 1): "(5, 1) is the shape of b[2], not W[2]."},
    "layer_dims[0] is n[0], the input; use the rule for W[l] of the question before.")

A1_shape_test = shape_question(
    "A1_shape", (3, 10),
    "A[l] has one row per unit of layer l and one column per example: (n[1], m) = (3, 10).",
    {(10, 3): "(10, 3) is not how the lecture lays out the examples; notebook 01's table of "
              "notation says where the m examples go.",
     (3, 1): "(3, 1) holds a single example, but the question feeds m = 10 at once.",
     (2, 10): "(2, 10) is the input X = A[0], with n[0] = 2 features.",
     (3, 2): "(3, 2) is the shape of W[1], which does not depend on m."},
    "A[1] holds the output of every unit of layer 1 for every example.")

logistic_regression_layers_test = number_question(
    "logistic_regression_layers", 1,
    "logistic regression is the shallowest network: one layer (L = 1), the output unit "
    "sigmoid(W x + b), and no hidden layer.",
    {0: "0 would be no computation at all; logistic regression does compute something, "
        "sigmoid(w^T x + b).",
     2: "2 counts a layer that computes nothing."},
    "count the layers that compute something: is there a hidden layer between x and the "
    "output?")

# ---------------------------------------------------------- 2. forward and backward blocks

cache_content_test = choice_question(
    "cache_content", "abcd", "a",
    "the backward step of layer l needs g'(Z[l]) for dZ[l] = dA[l] * g'(Z[l]), so Z[l] is "
    "the essential entry; A[l-1] (for dW[l] = dZ[l] A[l-1]^T / m) and W[l] (for "
    "dA[l-1] = W[l]^T dZ[l]) are stored with it, so nothing must be recomputed.",
    {"b": "the gradients are what the backward pass computes; they do not exist yet during "
          "the forward pass.",
     "c": "the backward step starts from dA[l], which it is handed, not from A[l]; list what "
          "its formulas read.",
     "d": "not every value the forward step computed is read going back, and some that are "
          "read are not among them."},
    "write down the three formulas of the backward step of layer l (notebook 02, section 6) "
    "and list what each one reads.")

layer_loop_test = choice_question(
    "layer_loop", "abcd", "d",
    "layer l needs A[l-1], which only exists once layer l-1 is computed, so the layers are "
    "computed one after another in a for-loop over l = 1..L. The m examples are independent "
    "and are processed at once, as the columns of a matrix.",
    {"a": "the examples are not looped over: they are the columns of A[l], and one matrix "
          "product handles all of them.",
     "b": "no vectorization removes this loop: something makes layer l wait for layer l-1.",
     "c": "with layers of equal sizes the loop would still be needed, so the sizes are not "
          "why it is there."},
    "what does layer l need before it can start?")

relu_derivative_test = choice_question(
    "relu_derivative", "abcd", "c",
    "relu(z) = max(0, z) has slope 1 where z > 0 and slope 0 where z < 0 (at z = 0 either "
    "value is used; the code uses 0), so dZ = dA * (Z > 0).",
    {"a": "that is the sigmoid's derivative, g(z) (1 - g(z)).",
     "b": "that mask is the wrong way round: check on which side of 0 relu is flat.",
     "d": "that is relu(z) itself, not its slope."},
    "draw relu and read off its slope on each side of 0.")

output_gradient_test = choice_question(
    "output_gradient", "abcd", "b",
    "for a sigmoid output and the cross-entropy loss, da = -(y/a) + (1-y)/(1-a) and "
    "g'(z) = a (1 - a); their product simplifies to dz[L] = a[L] - y, for each example. "
    "The 1/m appears in dW and db, where the examples are summed.",
    {"a": "that is da[L], the derivative with respect to a; the chain rule still has to "
          "multiply it by g'(z) = a (1 - a).",
     "c": "the sign is wrong: a prediction that is too high must give a positive gradient, "
          "so that gradient descent lowers it.",
     "d": "dz[L] is per example; the 1/m enters only when dW and db average over the "
          "examples."},
    "multiply da = -(y/a) + (1-y)/(1-a) by g'(z) = a (1 - a) and simplify.")

backward_order_test = choice_question(
    "backward_order", "abcd", "c",
    "the backward pass starts at the output, where dA[L] comes from the loss, and goes "
    "l = L, L-1, ..., 1: each step turns dA[l] and the cache of layer l into dW[l], db[l] "
    "and dA[l-1], the input of the next step.",
    {"a": "layer 1's gradients need dA[1], which comes from layer 2's backward step: the "
          "pass cannot start at layer 1.",
     "b": "layer 0 is the input X: it has no W or b, so it has no backward step of its own.",
     "d": "dA[L] comes from the loss and feeds layer L only; ask where each other layer's "
          "dA[l] comes from."},
    "where is the first gradient known, and what does each step hand on?")

backward_activation_test = choice_question(
    "backward_activation", "abcd", "b",
    "dZ[l] = dA[l] * g'(Z[l]) needs the derivative of the layer's own activation: (Z > 0) "
    "for relu, a (1 - a) for sigmoid. The cache holds Z[l] but not which g made A[l].",
    {"a": "the cache holds Z[l], A[l-1], W[l] and b[l], but not which function g[l] the "
          "forward step applied.",
     "c": "multiplying dA[l] by g(Z[l]) is not the chain rule: what does the chain rule "
          "multiply by?",
     "d": "linear_activation_backward computes dZ[l] the same way for every layer, the output "
          "layer too: its dA[L] comes in like any other dA."},
    "write the first formula of the backward step of layer l and look for the activation.")

init_loop_test = choice_question(
    "init_loop", "abcd", "a",
    "turn l creates the parameters of layer l: W[l] random and small (of shape "
    "(n[l], n[l-1])) and b[l] zeros (of shape (n[l], 1)). Random W breaks the symmetry "
    "between the units; b can start at zero.",
    {"b": "random biases are not what makes the units differ; look again at what notebook "
          "02's initialize_parameters_deep does to each b[l].",
     "c": "with all the weights at zero every unit of a layer computes the same thing and "
          "gets the same gradient: they would never differ.",
     "d": "initialization runs no forward step and needs no A[l]: the shapes come from "
          "layer_dims alone."},
    "what does gradient descent need before its first step, for every layer?")

# ------------------------------------------------------------ 3. hyperparameters and depth

HYPERPARAMETER_OPTIONS = "abcdefg"
_HYPERPARAMETERS = set("bdeg")
_WHY_HYPERPARAMETER = {
    "a": "W[1] is a parameter: gradient descent learns it.",
    "b": "the learning rate is a hyperparameter: you choose it.",
    "c": "b[2] is a parameter: gradient descent learns it (it only starts at zero).",
    "d": "the number of hidden units n[l] is a hyperparameter: it fixes W's shape.",
    "e": "the number of iterations is a hyperparameter: you decide how long to train.",
    "f": "dW[2] is neither: a gradient computed at every iteration.",
    "g": "the choice of activation (ReLU, sigmoid) is a hyperparameter.",
}


@graded_test("hyperparameter_letters", expects_function=False)
def hyperparameter_letters_test(got):
    name = "hyperparameter_letters"
    letters = letters_of(name, got, HYPERPARAMETER_OPTIONS)
    if letters == _HYPERPARAMETERS:
        return
    missing = sorted(_HYPERPARAMETERS - letters)
    extra = sorted(letters - _HYPERPARAMETERS)
    if MISSES.get(name, 0) == 0:
        # Name what was picked wrongly, count what is missing, but do not name it.
        problem = (f"{name} = {got!r} is not the set of hyperparameters"
                   + (f"; {', '.join(extra)} should not be in it" if extra else "")
                   + (f"; {len(missing)} hyperparameter(s) are missing" if missing else "")
                   + ".")
        why = " ".join(_WHY_HYPERPARAMETER[c] for c in extra) or None
    else:
        problem = (f"{name} = {got!r} is not the set of hyperparameters"
                   + (f"; missing {', '.join(missing)}" if missing else "")
                   + (f"; should not include {', '.join(extra)}" if extra else "") + ".")
        why = " ".join(_WHY_HYPERPARAMETER[c] for c in extra + missing)
    miss(name, problem, why,
         "a hyperparameter is what you choose before training and gradient descent never "
         "changes; go through the options one by one.",
         '"' + "".join(sorted(_HYPERPARAMETERS)) + '"',
         "hyperparameters are what you choose; parameters (W, b) are learned; gradients and "
         "activations are computed.")


deeper_layers_test = choice_question(
    "deeper_layers", "abcd", "a",
    "each layer computes a function of the previous layer's output, so deeper layers combine "
    "simple features (edges, in the lecture's face example) into more complex ones (parts, "
    "then faces): features built out of features.",
    {"b": "deeper layers do not see the raw pixels: layer l only sees A[l-1], what layer l-1 "
          "computed.",
     "c": "the first layer sees only raw pixels; ask what a layer can compute directly from "
          "its own input.",
     "d": "no one chooses the features: every layer's W[l] and b[l] are learned by gradient "
          "descent."},
    "what is the input of layer l, and what can it build from it?")

pieces_on_a_line_test = choice_question(
    "pieces_on_a_line", "abcd", "b",
    "a unit relu(w x + b) of one hidden layer has one kink, at x = -b/w, so n units give at "
    "most n kinks and n + 1 pieces; composing k tents of 2 units each doubles the pieces at "
    "every layer: 2^k pieces on [0, 1] (a few more on the whole line) for 2k units. Both are "
    "piecewise linear; depth changes how many pieces a given number of units can make.",
    {"a": "both networks are made of ReLUs and linear maps; neither draws a smooth curve.",
     "c": "depth makes many pieces possible, but it is not automatic: look at notebook 05's "
          "random deep networks.",
     "d": "that holds for one hidden layer; count the pieces of notebook 05's tents against "
          "their units."},
    "recall notebook 05: how many kinks does one ReLU unit put on a line, and what does "
    "composing tents do?")

brain_analogy_test = choice_question(
    "brain_analogy", "abcd", "d",
    "a unit (a weighted sum followed by a non-linearity) is a very loose cartoon of a neuron; "
    "how real neurons learn is still largely unknown; nobody knows whether the brain does "
    "anything like backpropagation. The analogy is a picture, not an explanation.",
    {"a": "a neuron is far more complex than a weighted sum and a threshold, and how the "
          "brain learns is not known.",
     "b": "the workbook's network was designed from mathematics (composition, gradients), "
          "not copied from the brain's wiring.",
     "c": "the analogy is not useless as an image, only misleading when taken literally."},
    "the lecture is cautious about the analogy, neither for it nor against it.")

__all__ = [name for name in dir() if name.endswith("_test") and name != "graded_test"]
