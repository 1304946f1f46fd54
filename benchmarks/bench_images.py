"""How long ``load_image`` takes on a 12-megapixel JPEG (goal: under 1 s).

A phone photo is about 12 megapixels; the network looks at 64 x 64 of them, and the JPEG
decoder shrinks the picture while decoding (tests/test_images.py checks that it does).
Prints the median and best of ``--repeats`` loads of a 4000 x 3000 JPEG made here. Usage::

    python benchmarks/bench_images.py [--repeats 7]
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from dnn_utils.images import load_image


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    blocks = np.random.RandomState(0).randint(0, 256, (6, 8, 3)).astype(np.uint8)
    photo = Image.fromarray(blocks).resize((4000, 3000), Image.Resampling.NEAREST)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        photo.save(path, quality=90)
        seconds = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            load_image(path)
            seconds.append(time.perf_counter() - start)
    print(f"load_image on a 4000 x 3000 JPEG: {statistics.median(seconds):.3f} s median, "
          f"{min(seconds):.3f} s best of {args.repeats} (goal < 1 s)")


if __name__ == "__main__":
    main()
