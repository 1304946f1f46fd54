"""A class: submissions in, every notebook graded, grades and what went wrong out.

In: a class folder (``<learner>/<notebook>.ipynb``, read without following links:
:mod:`.folder`), made from an LMS's or nbgrader's download by :mod:`.intake` (layouts in
:mod:`.intake_layouts`, sources in :mod:`.intake_sources`). :mod:`.batch` grades each
submission in its own process (:mod:`dnn_utils.workbook.grading`), in parallel, keeping
results to resume; :mod:`.shards` splits a class over cluster tasks and merges them. Out
(the ``--out`` folder): the gradebook and feedback pages (:mod:`.gradebook`), the class
report that leads with the top mistakes (:mod:`.report`, :mod:`.mistakes`), files the LMS
imports (:mod:`.lms_export`), and cluster sizes from measurements (:mod:`.sizing`).
:mod:`.cli` and :mod:`.lms_cli` are the command-line parts.
"""
