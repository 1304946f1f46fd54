"""Bound what the trusted side parses: count a JSON text's values before building them.

Python's ``json`` makes an object of every value it reads, and nbformat then copies the
notebook and walks it: 60 MB of ``[],`` (15.5 million empty lists) took a grader to 3.5 GB.
Counting first costs a few passes over the text: with the strings taken out, every value
and key but the first of its container is marked by a ``,`` or ``:``, and that first one
by its container's ``[`` or ``{``. A notebook with more than :data:`MAX_JSON_VALUES` is
refused before anything is built from it; the workbook's own notebooks hold about 2,000.
"""

from __future__ import annotations

import re

#: The most JSON values (and keys) a notebook read by the workbook may hold: 500 times
#: the workbook's largest, small enough that parsing stays within a few hundred MB.
MAX_JSON_VALUES = 1_000_000
# A JSON string once its escapes are gone.
_STRING = re.compile(r'"[^"]*"')


def count_values(text: str) -> int:
    """A bound on the number of values and keys in the JSON ``text``: the commas, colons
    and opening brackets outside strings, plus one. For valid JSON it is at least the
    number of values and keys and at most twice it, plus one.

    Escapes are removed first, with ``str.replace`` (a regular expression that steps over
    them one by one takes seconds on 60 MB of ``\\"``): pairs of backslashes, then each
    backslash-quote, which leaves every string a plain ``"..."``.
    """
    plain = text.replace("\\\\", "").replace('\\"', "")
    skeleton = _STRING.sub("", plain)
    return 1 + sum(skeleton.count(mark) for mark in ",:[{")
