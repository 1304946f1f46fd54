"""Graded test of notebook 02's ``update_parameters``: one step of gradient descent."""

from ..update import update_parameters
from .cases import update_cases
from .course import fail_update_into_callers_dict
from .failure import GradedTestFailure
from .feedback import attempt, call, expect_array, expect_keys, graded_test, named
from .orders import same_value


def _wrong_steps(key, old, g, learning_rate):
    return [
        (old + learning_rate * g, named("gradient-ascent", "gradient descent steps against "
                                        f"the gradient: {key} = {key} - learning_rate * d{key}.")),
        (old - g, named("no-learning-rate", "multiply the gradient by the learning rate: "
                        f"{key} = {key} - learning_rate * d{key}.")),
        (old, named("not-updated", f"parameters['{key}'] was not updated: does your loop "
                    "reach every layer l = 1..L (with `for l in range(L)`, use l + 1), and "
                    "update both W and b?")),
    ]


def _expect_not_the_course_update(name, failure, target, parameters, grads, learning_rate,
                                  expected):
    """After ``failure`` (an entry of the caller's dict replaced), fail with the course's
    message if the function is otherwise right; return if not."""
    got = attempt(target, parameters, grads, learning_rate)
    if isinstance(got, dict) and same_value(got, expected):
        fail_update_into_callers_dict(name, failure.detail)


@graded_test("update_parameters", arguments=("parameters", "grads", "learning_rate"))
def update_parameters_test(target):
    """Graded test of ``update_parameters(parameters, grads, learning_rate)``."""
    name = "update_parameters"
    for parameters, grads, learning_rate in update_cases():
        expected = update_parameters(parameters, grads, learning_rate)
        try:
            got = call(target, name, parameters, grads, learning_rate)
        except GradedTestFailure as failure:
            if failure.mistake == "input-entry-replaced":
                _expect_not_the_course_update(name, failure, target, parameters, grads,
                                              learning_rate, expected)
            raise
        expect_keys(name, "the returned parameters", got, expected)
        for key in expected:
            expect_array(name, f"parameters['{key}']", got[key], expected[key],
                         wrong=_wrong_steps(key, parameters[key], grads[f"d{key}"],
                                            learning_rate))
