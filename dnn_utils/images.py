"""Reading a picture of your own into the same column layout as the training set."""

import math
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .contracts import check_classes
from .data import class_name
from .files import require_regular_file
from .forward import L_model_forward
from .resources import format_bytes
from .validation import check_parameters, require_count

# Pixel modes with an alpha channel (or a transparent palette entry) are
# composited on white, the background most photos of objects are shown on.
_WHITE = (255, 255, 255, 255)


#: The most pixels :func:`load_image` decodes: 50 megapixels are 200 MB as RGBA, and
#: converting and resizing holds a few such copies, which a learner's laptop can
#: afford. (Pillow's own limit lets a 13,300 x 13,300 RGBA PNG through: 700 MB per copy.)
#: A JPEG counts at the reduced size its decoder produces (see ``draft``).
MAX_PIXELS = 50_000_000


def _check_pixel_budget(path, size, num_px, where):
    """Raise ``ValueError`` if a picture of ``size`` (width, height) exceeds MAX_PIXELS."""
    width, height = size
    if width * height > MAX_PIXELS:
        raise ValueError(
            f"{where}: {path} is {width} x {height} pixels ({width * height / 1e6:.1f} "
            f"megapixels), more than the {MAX_PIXELS / 1e6:g}-megapixel budget of {where} "
            f"(decoding it would take about {format_bytes(4 * width * height)} of memory). "
            f"Fix: scale it down first; the network uses only {num_px} x {num_px} pixels."
        )


class _UnsupportedMode(Exception):
    """A pixel mode Pillow cannot turn into RGB (e.g. LAB without color management)."""


def _to_rgb8(im):
    """Return ``im`` as an 8-bit RGB image, whatever its pixel mode."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit gray: scale 0..65535 down to 0..255 (a plain convert("L") would clip
        # every value above 255 to white).
        gray = np.asarray(im, dtype=np.float64) / 65535.0
        im = Image.fromarray(np.round(np.clip(gray, 0, 1) * 255).astype(np.uint8))
    elif im.mode == "F":
        values = np.asarray(im, dtype=np.float64)
        # Float images either hold 0..1 or 0..255; a maximum above 1 tells which.
        scale = 255.0 if np.nanmax(values) > 1.0 else 1.0
        gray = np.nan_to_num(values / scale, nan=0.0)
        im = Image.fromarray(np.round(np.clip(gray, 0, 1) * 255).astype(np.uint8))
    has_alpha = im.mode in ("RGBA", "RGBa", "LA", "La", "PA")
    if has_alpha or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, _WHITE)
        im = Image.alpha_composite(background, rgba)
    if im.mode == "RGB":
        return im
    try:
        return im.convert("RGB")
    except ValueError:
        raise _UnsupportedMode(im.mode) from None


def load_image(path, num_px=64):
    """Load a picture as one column of numbers in [0, 1], like a flattened training image.

    The picture is turned upright (EXIF orientation), made RGB (transparency is
    composited on white, gray and CMYK are converted, 16-bit is scaled down) and
    resized to ``num_px`` x ``num_px`` pixels with a Lanczos filter. The whole
    picture is kept: a non-square one is squeezed, not cropped.

    Parameters
    ----------
    path : str or os.PathLike
        Any picture Pillow reads: JPEG, PNG, GIF (first frame), BMP, WebP, TIFF, ...
    num_px : int, optional
        Side of the square the picture is resized to (64 for this workbook).

    Returns
    -------
    x : numpy.ndarray, shape (num_px * num_px * 3, 1), float64
        The pixels row by row, R G B, divided by 255: the same layout as one column
        of ``flatten_images``. A 64 x 64 picture is not resampled at all.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        The file is not a picture Pillow can read, or it is damaged.
    """
    where = "load_image"
    require_count(num_px, "num_px", where)
    path = Path(os.fspath(path)).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"{where}: no file at {path} (absolute: {path.absolute()}). Fix: check the "
            f"name and the folder; a relative path is relative to the current folder "
            f"({Path.cwd()})."
        )
    if path.is_dir():
        raise IsADirectoryError(f"{where}: {path} is a folder, expected a picture file.")
    require_regular_file(path, f"{where}: picture", "Fix: pass a picture file (JPEG, PNG, ...).")
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; the budget below is checked instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(path)
        with opened:
            # Lets the JPEG decoder shrink by 2, 4 or 8 while decoding: a 12-megapixel
            # photo then decodes in a fraction of the time. Kept at least 2 * num_px
            # per side so the Lanczos step below still does the real filtering.
            opened.draft(None, (2 * num_px, 2 * num_px))
            _check_pixel_budget(path, opened.size, num_px, where)
            rgb = _to_rgb8(ImageOps.exif_transpose(opened))
            small = rgb.resize((num_px, num_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    except _UnsupportedMode as exc:
        raise ValueError(
            f"{where}: {path} uses the pixel mode {exc.args[0]!r}, which cannot be turned into "
            "RGB here. Fix: save it again as an ordinary RGB JPEG or PNG."
        ) from None
    except UnidentifiedImageError:
        raise ValueError(
            f"{where}: {path} is not a picture Pillow can read. Fix: save it as JPEG or PNG."
        ) from None
    except Image.DecompressionBombError as exc:
        raise ValueError(
            f"{where}: {path} is larger than the {MAX_PIXELS / 1e6:g}-megapixel budget of "
            f"{where} ({exc}). Fix: scale it down first; the network uses only "
            f"{num_px} x {num_px} pixels."
        ) from None
    except PermissionError:
        raise PermissionError(
            f"{where}: {path} cannot be read (permission denied). Fix: copy it somewhere "
            "you can read, or change its permissions."
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        # Truncated or damaged files fail while decoding, with assorted errors.
        raise ValueError(
            f"{where}: {path} could not be decoded: it looks truncated or damaged ({exc}). "
            "Fix: open it in an image viewer and save it again as JPEG or PNG."
        ) from None
    x = np.asarray(small, dtype=np.float64) / 255.0
    return x.reshape(1, -1).T


def predict_image(path, parameters, classes):
    """Classify a picture of your own with a trained network.

    The picture is resized to the size the network was trained on, read from
    ``parameters["W1"]`` (12288 inputs = 64 x 64 x 3).

    Parameters
    ----------
    path : str or os.PathLike
        The picture (see :func:`load_image`).
    parameters : dict
        Trained parameters, ``"Wl"``: (n[l], n[l-1]) and ``"bl"``: (n[l], 1), with
        n[0] = num_px * num_px * 3 and n[L] = 1.
    classes : numpy.ndarray, shape (2,)
        Names of label 0 and 1, e.g. ``array([b'non-cat', b'cat'])`` from ``load_data``.

    Returns
    -------
    label : str
        ``classes[1]`` ("cat") when the probability is above 0.5, else ``classes[0]``.
    probability : float
        The network's output: the probability that the picture shows ``classes[1]``
        (a cat), whatever the label. The probability of "non-cat" is 1 - probability.
    """
    where = "predict_image"
    L = check_parameters(parameters, where)
    n_x = parameters["W1"].shape[1]
    num_px = math.isqrt(n_x // 3)
    if num_px * num_px * 3 != n_x:
        raise ValueError(
            f"{where}: parameters['W1'] has {n_x} inputs, expected num_px * num_px * 3 "
            "(a square RGB picture, e.g. 12288 = 64 * 64 * 3). Fix: pass parameters "
            "trained on flattened images."
        )
    if parameters[f"W{L}"].shape[0] != 1:
        raise ValueError(
            f"{where}: the network has {parameters[f'W{L}'].shape[0]} outputs, expected 1 "
            "(one sigmoid unit giving the probability of a cat)."
        )
    check_classes(classes, where)
    x = load_image(path, num_px=num_px)
    AL, _ = L_model_forward(x, parameters)
    probability = float(AL[0, 0])
    return class_name(classes, probability > 0.5), probability


def demo_image_path():
    """Return the path of the demo picture used by the notebook's own-image cell.

    It is the portrait of Grace Hopper that ships with matplotlib (a person, not a
    cat), so the workbook bundles no picture of its own.

    Returns
    -------
    pathlib.Path
    """
    from matplotlib import cbook

    path = Path(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    if not path.is_file():
        raise FileNotFoundError(
            f"demo_image_path: matplotlib's sample picture is missing ({path}). Fix: "
            "reinstall matplotlib, or use a picture of your own."
        )
    return path
