"""Picture panels of composite images (``engine.panels``): gutters between photos split an
image, blank rows of a rendered document on white paper do not."""

from __future__ import annotations

import numpy as np
import pytest

from ocrframe.engine.panels import find_panels


def _photo(h: int, w: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 200, (h, w, 3), dtype=np.uint8)


def test_grid_of_photos_with_white_gutters():
    img = _photo(400, 600)
    img[195:201] = 255
    img[:, 296:303] = 255
    assert find_panels(img) == [(0, 0, 296, 195), (0, 201, 296, 400), (303, 0, 600, 195), (303, 201, 600, 400)]


def test_photo_with_white_border_along_part_of_its_edge_still_splits():
    # the panel right of the gutter shows white paper along 60 % of its edge (a white ticket)
    img = _photo(300, 500)
    img[:, 240:247] = 255
    img[:180, 247:260] = 255
    assert find_panels(img) == [(0, 0, 240, 300), (247, 0, 500, 300)]


@pytest.mark.parametrize("gap_rows", [(150, 170), (150, 154)])
def test_render_on_white_is_one_picture(gap_rows):
    # a rendered invoice: a title line above a blank band, a table (its border) below
    img = np.full((600, 800, 3), 255, np.uint8)
    img[100:140:6, 300:500] = 0             # the title's strokes: sparse dark rows
    a, b = gap_rows
    img[b:b + 2, 40:760] = 0                # the table's top border
    img[b + 40:560:40, 40:760] = 0          # its rows
    img[b:560, 40:42] = img[b:560, 758:760] = 0
    assert find_panels(img) == [(0, 0, 800, 600)]


def test_margins_and_hairlines_are_no_gutters():
    img = _photo(300, 400)
    img[:, :10] = 255      # a white margin at the border
    img[:, 200:202] = 255  # a hairline: narrower than a gutter
    assert find_panels(img) == [(0, 0, 400, 300)]
