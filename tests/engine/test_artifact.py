"""engine/artifact.py: deleting only files inside the output folder."""

from __future__ import annotations

from kitbuilder.engine.artifact import inside, remove_files


def test_inside_refuses_paths_that_leave_the_folder(tmp_path):
    output = tmp_path / "output"
    (output / "mx").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (output / "link").symlink_to(tmp_path / "elsewhere")
    assert inside(output, "mx/kit.pdf") == output / "mx" / "kit.pdf"
    for hostile in ("../x", "mx/../../x", "/etc/passwd", "", "link/x"):
        assert inside(output, hostile) is None, hostile


def test_remove_files_deletes_files_only_and_prunes_emptied_folders(tmp_path):
    output = tmp_path / "output"
    (output / "gt" / "es").mkdir(parents=True)
    (output / "gt" / "es" / "kit.html").write_text("x")
    (output / "mx").mkdir()
    (output / "mx" / "mine.txt").write_text("x")
    (output / "mx" / "kit.html").write_text("x")
    removed = remove_files(output, ["gt/es/kit.html", "mx/kit.html", "mx", "missing.pdf"])
    assert removed == ["gt/es/kit.html", "mx/kit.html"]
    assert not (output / "gt").exists() and (output / "mx" / "mine.txt").is_file()
    assert output.is_dir()
