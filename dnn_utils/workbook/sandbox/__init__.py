"""The sandbox and its protocol: where a learner's code runs, and what may come out of it.

In: the learner's notebook (a private copy), a read-only copy of ``dnn_utils`` with the
notebook's exercises stubbed (:mod:`.package_copy`), limits (time, memory, processes:
:mod:`.cgroups`, :mod:`.process_tree`). :mod:`.session` starts bubblewrap and the
:mod:`.driver`, which runs the cells in a kernel (:mod:`.kernel`). Out: data only, never
objects: the answers to calls of the learner's functions, as JSON plus raw NumPy buffers
of declared dtype and shape (:mod:`.wire`; the kernel side is :mod:`.kernel_call`), bounded
in size. Nothing here decides a verdict: :mod:`.proxy` hands the graded tests a stand-in
that forwards each call, and the grader (:mod:`dnn_utils.workbook.grading`) compares the
answers outside. :mod:`.grading_process` runs one grading in a process of its own, and
:mod:`.redact` takes the host's paths out of what comes back.
"""
