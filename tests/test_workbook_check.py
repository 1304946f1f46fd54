"""The convention check recognises the graded import however an import sorter writes it."""

from dnn_utils.workbook.check import imports_graded


def test_imports_graded_forms():
    assert imports_graded("from dnn_utils import graded")
    assert imports_graded("import numpy as np\n\nfrom dnn_utils import (\n    L_model_forward,\n"
                          "    graded,\n)\n%matplotlib inline")
    assert not imports_graded("from dnn_utils import L_model_forward")
    assert not imports_graded("from dnn_utils import graded as g")
    assert not imports_graded("# from dnn_utils import graded")
