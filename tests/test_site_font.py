"""tools/site/build.py: the web font copy drops the hinting tables that browsers reject."""

from __future__ import annotations

import pytest

from tests.support import load_tool

TTLib = pytest.importorskip("fontTools.ttLib")


def test_web_font_drops_tsi_tables_and_keeps_the_glyphs(tmp_path):
    build = load_tool("site/build")
    src = next(build.font_dir().glob("NanumGothic*.ttf"))
    dest = tmp_path / src.name
    build.web_font(src, dest)
    before, after = TTLib.TTFont(src), TTLib.TTFont(dest)
    assert any(t.startswith("TSI") for t in before.keys())  # noqa: SIM118 (TTFont is not a dict)
    assert not any(t.startswith("TSI") for t in after.keys())  # noqa: SIM118
    assert after["maxp"].numGlyphs == before["maxp"].numGlyphs
    assert ord("한") in after.getBestCmap()
