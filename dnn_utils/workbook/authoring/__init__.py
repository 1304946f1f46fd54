"""Authoring: the solution notebooks as the one source of truth, and what is made from them.

In: the instructor's solution notebooks (``notebooks/solutions``). Out: the learner edition
(:mod:`.release`), fresh stored outputs and derived text (:mod:`.execute`: the expected
outputs, the reading time; :mod:`.numbering`: exercise numbers and counts), new exercises
and questions (:mod:`.scaffold`, :mod:`.scaffold_question`), and ``check``'s verdict on
every convention a test requires (:mod:`.check`, the rules in :mod:`.notebook_rules`,
:mod:`.prose`, :mod:`.reading`, :mod:`.prose_counts`, :mod:`.quiz_rules`).
:mod:`.conventions` (how a notebook marks its exercises and graded cells, and how any
notebook, a learner's too, is read within bounds: :mod:`.json_bounds`) is what the other
parts of the workbook tool read notebooks with.
"""
