"""``uses_exercise``: a cell that runs the learner's functions, while they are unfinished.

An ungraded cell that trains with the learner's ``two_layer_model`` (or plots their
``tent_composition``, ...) is written inside ``with graded.uses_exercise(...)``::

    with graded.uses_exercise("two_layer_model"):
        parameters_2layer, costs_2layer = two_layer_model(train_x, train_y, ...)

    with graded.uses_exercise("two_layer_model"):
        plot_costs(costs_2layer, learning_rate)

With the exercise done, the ``with`` changes nothing. Before it is done, the stub's
``NotImplementedError`` becomes one printed line instead of a traceback, so Run All goes
on to the next cell::

    two_layer_model is not written yet: do its exercise first.

A later cell that needs what such a cell would have computed meets a name that was never
defined; when that ``NameError`` is raised by the cell's own code (not inside a function
it calls) and an exercise the cell uses was found unfinished in this kernel, it too
becomes one line::

    costs_2layer is missing: two_layer_model is not written yet.

Nothing else is hidden: any other error, or a ``NameError`` with every exercise the cell
uses finished (a misspelt name, a cell skipped), is raised as usual. The line printed
names the function that raised (the innermost frame of the traceback: for a function of
the learner that calls another unfinished one, the one to write first).
"""

import re

from .failure import wrap_feedback

__all__ = ["UNFINISHED", "uses_exercise"]

#: The exercises found unfinished in this kernel, each with the function that raised when it
#: ran (itself, or an unfinished exercise it calls); a cell that completes clears its own.
UNFINISHED = {}

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def uses_exercise(*names):
    """The context manager of a cell that runs the learner's exercises ``names``.

    Parameters
    ----------
    *names : str
        The exercises (the learner's functions) the cell runs or needs the results of,
        e.g. ``"two_layer_model"``.

    Returns
    -------
    context manager
        Changes nothing when the cell runs; turns an unfinished exercise into one line
        (see the module's docstring).

    Raises
    ------
    TypeError
        When no name is given or a name is not a Python identifier.
    """
    if not names or not all(isinstance(n, str) and _IDENTIFIER.match(n) for n in names):
        raise TypeError(
            f"uses_exercise: got {names!r}, expected the names of the exercises the cell "
            "uses, as strings, e.g. uses_exercise(\"two_layer_model\")."
        )
    return _Guard(names)


class _Guard:
    """See :func:`uses_exercise`."""

    def __init__(self, names):
        self.names = names

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            for name in self.names:
                UNFINISHED.pop(name, None)
            return False
        if issubclass(kind, NotImplementedError):
            raiser = _raiser(traceback) or self.names[0]
            UNFINISHED.update(dict.fromkeys((*self.names, raiser), raiser))
            return _say(f"{raiser} is not written yet: do its exercise first.")
        waiting = [UNFINISHED[n] for n in self.names if n in UNFINISHED]
        # Only a name the cell itself reads (the traceback has no deeper frame), and only
        # while an exercise it uses is known to be unfinished.
        if issubclass(kind, NameError) and traceback.tb_next is None and waiting:
            missing = getattr(error, "name", None) or "a result"
            return _say(f"{missing} is missing: {waiting[0]} is not written yet.")
        return False


def _raiser(traceback):
    """The name of the function in which the exception was raised, or None for a cell."""
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    name = traceback.tb_frame.f_code.co_name
    return name if _IDENTIFIER.match(name) else None


def _say(line):
    """Print ``line`` (wrapped like all feedback) and swallow the exception."""
    print("\n".join(wrap_feedback(line)))
    return True
