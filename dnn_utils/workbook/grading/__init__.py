"""Grading one notebook: which exercises count, which cells run, and the verdict.

In: a learner's notebook file and the solution notebooks. :mod:`.identity` says which
notebook the file is graded as, :mod:`.package_rules` which package functions are stubbed,
:mod:`.time_limits` how long it may take, :mod:`.skipping` which cells the solution lets
the grader skip (:mod:`.cell_names` reads the names they bind; :mod:`.skip_proof` proves
the marks). :mod:`.grader` runs the cells in the sandbox
(:mod:`dnn_utils.workbook.sandbox`) and the unchanged graded tests here, outside it. Out:
the report (score, each exercise's feedback and mistake id, notes, skipped cells, limits),
with the failures that only a wrong block caused labelled knock-ons (:mod:`.knock_on`).
"""
