"""No network and nothing outside content/ and layouts/ while a PDF renders."""

import shutil
from pathlib import Path

import pytest

from kitbuilder.errors import KitError
from kitbuilder.pipeline import build
from kitbuilder.render.fetcher import RefusedResource, allowed_path
from kitbuilder.settings import Settings


def test_allowed_path_refuses_network_and_outside_files(tmp_path):
    roots = (tmp_path / "layouts",)
    (tmp_path / "layouts").mkdir()
    inside = tmp_path / "layouts" / "a.css"
    assert allowed_path(inside.as_uri(), roots) == inside
    for url in ("https://example.org/x.css", "http://127.0.0.1/x", "ftp://host/x",
                Path("/etc/hostname").as_uri(),
                (tmp_path / "layouts" / ".." / "secret.txt").as_uri()):
        with pytest.raises(RefusedResource):
            allowed_path(url, roots)


@pytest.mark.slow
@pytest.mark.parametrize("source", ['url("https://example.org/font.ttf")',
                                    'url("file:///etc/fonts/fonts.conf")'])
def test_a_layout_reaching_out_fails_the_build_and_says_why(tmp_path, root, source):
    layouts = tmp_path / "layouts"
    shutil.copytree(root / "layouts", layouts)
    css = layouts / "styles" / "print.css"
    css.write_text(f'@font-face {{ font-family: "Leak"; src: {source}; }}\n'
                   'html { font-family: "Leak", "Noto Sans"; }\n' + css.read_text())
    with pytest.raises(KitError) as failure:
        build(Settings(content=root / "tests/projects/minimal/content", output=tmp_path / "out",
                       layouts=layouts, formats=("pdf",), countries=("CA",), jobs=1))
    assert any("refused to" in p.message for p in failure.value.problems), failure.value.problems
    assert not (tmp_path / "out" / "ca").exists()
