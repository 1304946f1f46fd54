"""``python -m dnn_utils``: see :mod:`dnn_utils.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
