"""load_image / predict_image on pictures of every kind, all made here with Pillow."""

import math

import numpy as np
import pytest
from PIL import Image, ImageFile

from dnn_utils.data import flatten_images
from dnn_utils.images import demo_image_path, load_image, predict_image

RED, BLUE = (255, 0, 0), (0, 0, 255)


def _halves(width=64, height=64):
    """An RGB picture whose left half is red and right half blue."""
    arr = np.zeros((height, width, 3), np.uint8)
    arr[:, : width // 2] = RED
    arr[:, width // 2:] = BLUE
    return Image.fromarray(arr)


def _as_image(x, num_px=64):
    return x.reshape(num_px, num_px, 3)


def _left_red_right_blue(x, num_px=64):
    img = _as_image(x, num_px)
    left, right = img[:, : num_px // 2 - 4], img[:, num_px // 2 + 4:]
    return bool(
        (left[..., 0] > 0.8).all() and (left[..., 2] < 0.2).all()
        and (right[..., 2] > 0.8).all() and (right[..., 0] < 0.2).all()
    )


def test_png_round_trip_of_a_training_image_gives_its_column(cat_data, tmp_path):
    train_x = cat_data[0]
    path = tmp_path / "cat.png"
    Image.fromarray(train_x[7]).save(path)
    x = load_image(path)
    assert x.shape == (12288, 1) and x.dtype == np.float64
    np.testing.assert_array_equal(x, flatten_images(train_x[7:8]))


@pytest.mark.parametrize("ext, lossless", [("png", True), ("bmp", True), ("jpg", False),
                                           ("gif", False), ("webp", False)])
def test_common_formats(tmp_path, ext, lossless):
    path = tmp_path / f"halves.{ext}"
    _halves().save(path)
    x = load_image(path)
    assert x.shape == (12288, 1) and 0.0 <= x.min() and x.max() <= 1.0
    assert _left_red_right_blue(x)
    if lossless:
        np.testing.assert_array_equal(x, np.asarray(_halves()).reshape(-1, 1) / 255)


def test_smaller_num_px_and_non_square_pictures_are_squeezed(tmp_path):
    path = tmp_path / "wide.png"
    _halves(width=200, height=50).save(path)
    x = load_image(path, num_px=16)
    assert x.shape == (16 * 16 * 3, 1)
    assert _left_red_right_blue(x, num_px=16)


def test_rgba_is_composited_on_white(tmp_path):
    arr = np.zeros((64, 64, 4), np.uint8)
    arr[:, :32] = (255, 0, 0, 255)  # opaque red
    arr[:, 32:] = (0, 0, 255, 0)  # fully transparent: the colour must not show
    path = tmp_path / "rgba.png"
    Image.fromarray(arr).save(path)
    img = _as_image(load_image(path))
    assert np.array_equal(img[:, :28], np.broadcast_to([1.0, 0.0, 0.0], (64, 28, 3)))
    assert np.array_equal(img[:, 36:], np.ones((64, 28, 3)))


def test_grey_and_grey_with_alpha(tmp_path):
    grey = np.tile(np.arange(64, dtype=np.uint8) * 4, (64, 1))
    Image.fromarray(grey).save(tmp_path / "l.png")
    img = _as_image(load_image(tmp_path / "l.png"))
    for c in range(3):
        np.testing.assert_array_equal(img[..., c], grey / 255)

    la = Image.merge("LA", [Image.fromarray(grey), Image.new("L", (64, 64), 0)])
    la.save(tmp_path / "la.png")
    assert np.array_equal(load_image(tmp_path / "la.png"), np.ones((12288, 1)))


def test_palette_with_and_without_transparency(tmp_path):
    p = _halves().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    p.save(tmp_path / "p.png")
    assert _left_red_right_blue(load_image(tmp_path / "p.png"))

    blue_index = p.getpixel((60, 10))
    p.save(tmp_path / "p_transparent.png", transparency=blue_index)
    img = _as_image(load_image(tmp_path / "p_transparent.png"))
    assert np.array_equal(img[:, 36:], np.ones((64, 28, 3)))  # transparent blue -> white
    assert (img[:, :28, 0] == 1.0).all() and (img[:, :28, 1] == 0.0).all()


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    levels = np.array([0, 16384, 32768, 65535], np.uint16)
    arr = np.repeat(np.repeat(levels, 16)[np.newaxis], 64, axis=0)
    im16 = Image.fromarray(arr)
    assert im16.mode.startswith("I;16")
    im16.save(tmp_path / "grey16.png")
    img = _as_image(load_image(tmp_path / "grey16.png"))
    expected = np.round(levels / 65535 * 255) / 255
    np.testing.assert_allclose(img[10, [4, 20, 36, 52], 0], expected, atol=1 / 255)
    assert img[..., 0].max() == 1.0 and img[..., 0].min() == 0.0

    Image.fromarray(arr.astype(np.int32)).save(tmp_path / "grey32.tif")  # mode "I"
    np.testing.assert_allclose(load_image(tmp_path / "grey32.tif"), load_image(
        tmp_path / "grey16.png"), atol=1 / 255)


def test_cmyk(tmp_path):
    im = Image.new("CMYK", (64, 64), (0, 255, 255, 0))  # no cyan, full magenta + yellow
    im.paste((0, 0, 0, 0), (32, 0, 64, 64))  # no ink: white
    im.save(tmp_path / "cmyk.jpg", quality=95)
    assert Image.open(tmp_path / "cmyk.jpg").mode == "CMYK"
    img = _as_image(load_image(tmp_path / "cmyk.jpg"))
    left, right = img[:, :24].mean(axis=(0, 1)), img[:, 40:].mean(axis=(0, 1))
    np.testing.assert_allclose(left, [1, 0, 0], atol=0.06)
    np.testing.assert_allclose(right, [1, 1, 1], atol=0.06)


@pytest.mark.parametrize("orientation, stored_as", [
    (6, Image.Transpose.ROTATE_90),  # the camera was turned: stored sideways
    (8, Image.Transpose.ROTATE_270),
    (3, Image.Transpose.ROTATE_180),
])
def test_exif_rotated_photo_comes_out_upright(tmp_path, orientation, stored_as):
    upright = _halves(width=96, height=64)
    stored = upright.transpose(stored_as)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "rotated.jpg"
    stored.save(path, exif=exif, quality=95)
    plain = tmp_path / "plain.jpg"
    stored.save(plain, quality=95)
    assert not _left_red_right_blue(load_image(plain))  # without the tag it is not upright
    assert _left_red_right_blue(load_image(path))


@pytest.fixture
def decoded_sizes(monkeypatch):
    """The size of every picture Pillow decodes during the test, in order."""
    sizes = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        sizes.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def test_twelve_megapixel_photo_is_decoded_small_and_faithful(tmp_path, decoded_sizes):
    # What makes it fast (benchmarks/bench_images.py times it): the JPEG decoder shrinks
    # by 8 while decoding, so 1/64 of the 12 megapixels are ever decoded.
    rng = np.random.RandomState(0)
    small = rng.randint(0, 256, (6, 8, 3)).astype(np.uint8)  # 8 x 6 blocks of colour
    photo = Image.fromarray(small).resize((4000, 3000), Image.Resampling.NEAREST)
    path = tmp_path / "photo.jpg"
    photo.save(path, quality=90)
    x = load_image(path)
    assert decoded_sizes and max(w * h for w, h in decoded_sizes) <= 500 * 375, decoded_sizes
    # the block colours survive: compare block centres with the original colours
    img = _as_image(x)
    rows = [int((r + 0.5) * 64 / 6) for r in range(6)]
    cols = [int((c + 0.5) * 64 / 8) for c in range(8)]
    centres = img[np.ix_(rows, cols)]
    np.testing.assert_allclose(centres, small / 255, atol=0.1)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at .*nope.jpg"):
        load_image(tmp_path / "nope.jpg")


def test_folder(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a folder"):
        load_image(tmp_path)


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("these are not pixels")
    with pytest.raises(ValueError, match="notes.jpg is not a picture"):
        load_image(path)


def test_truncated_image(tmp_path):
    path = tmp_path / "cut.png"
    _halves(256, 256).save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="cut.png could not be decoded"):
        load_image(path)


@pytest.mark.parametrize("num_px", [0, 2.5, True])
def test_bad_num_px(tmp_path, num_px):
    with pytest.raises((TypeError, ValueError), match="num_px"):
        load_image(tmp_path / "any.png", num_px=num_px)


def _colour_detector():
    """A 1-layer network on 4 x 4 pictures: red pixels push towards "cat", blue away."""
    W1 = np.zeros((4, 4, 3))
    W1[..., 0], W1[..., 2] = 1.0, -1.0
    return {"W1": W1.reshape(1, -1), "b1": np.zeros((1, 1))}


def test_predict_image_returns_label_and_probability_of_cat(tmp_path):
    classes = np.array([b"non-cat", b"cat"])
    Image.new("RGB", (50, 30), RED).save(tmp_path / "red.png")
    Image.new("RGB", (50, 30), BLUE).save(tmp_path / "blue.png")
    label, probability = predict_image(tmp_path / "red.png", _colour_detector(), classes)
    assert label == "cat" and probability == pytest.approx(1 / (1 + math.exp(-16)))
    label, probability = predict_image(tmp_path / "blue.png", _colour_detector(), classes)
    assert label == "non-cat" and probability == pytest.approx(1 / (1 + math.exp(16)))
    assert isinstance(probability, float)


def test_predict_image_bad_arguments(tmp_path):
    Image.new("RGB", (8, 8), RED).save(tmp_path / "red.png")
    classes = np.array([b"non-cat", b"cat"])
    odd = {"W1": np.zeros((1, 50)), "b1": np.zeros((1, 1))}
    with pytest.raises(ValueError, match="50 inputs"):
        predict_image(tmp_path / "red.png", odd, classes)
    with pytest.raises(ValueError, match="classes has 3 entries"):
        predict_image(tmp_path / "red.png", _colour_detector(), ["a", "b", "c"])


def test_demo_image_loads():
    path = demo_image_path()
    assert path.is_file()
    x = load_image(path)
    assert x.shape == (12288, 1) and 0.0 <= x.min() and x.max() <= 1.0 and x.std() > 0.05


def _png_header_only(path, width, height, color_type=6):
    """A PNG that declares width x height (RGBA by default) but holds one tiny IDAT."""
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b""))
    return path


def test_a_picture_above_the_pixel_budget_is_refused_before_decoding(tmp_path, decoded_sizes):
    # 13,300 x 13,300 RGBA: 177 megapixels, under Pillow's own error limit (2 x 89.5 M).
    path = _png_header_only(tmp_path / "huge.png", 13_300, 13_300)
    assert 13_300 ** 2 < 2 * Image.MAX_IMAGE_PIXELS
    with pytest.raises(ValueError) as info:
        load_image(path)
    assert decoded_sizes == []  # refused from the header: no pixel was decoded
    message = str(info.value)
    assert "13300 x 13300 pixels (176.9 megapixels)" in message
    assert "50-megapixel budget" in message and "Fix: scale it down" in message


def test_a_picture_within_the_budget_still_loads(tmp_path):
    path = tmp_path / "wide.png"
    _halves(2000, 1000).save(path)
    assert load_image(path).shape == (12288, 1)


def test_a_missing_picture_names_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        load_image("nope.jpg")
    assert f"relative to the current folder ({tmp_path})" in str(info.value)
    assert "notebook" not in str(info.value)


def test_a_device_as_a_picture_is_refused():
    with pytest.raises(ValueError, match=r"/dev/zero: is a device, expected a regular file"):
        load_image("/dev/zero")


def test_a_fifo_as_a_picture_is_refused_without_opening_it(tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "picture.png"
    os.mkfifo(fifo)
    # In a subprocess with a timeout: opening a FIFO would block forever.
    code = ("from dnn_utils.images import load_image\n"
            f"try:\n    load_image({str(fifo)!r})\nexcept ValueError as e:\n    print(e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert "named pipe (FIFO), expected a regular file" in result.stdout, result.stderr
