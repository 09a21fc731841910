"""A problem's line shows every path the same way: relative inside the working folder."""

from __future__ import annotations

from kitbuilder.errors import Problems


def test_paths_in_a_message_are_shown_like_the_problems_own(tmp_path, monkeypatch):
    project = tmp_path / "ws"
    (project / "content" / "es").mkdir(parents=True)
    monkeypatch.chdir(project)
    problems = Problems()
    outside = tmp_path.parent / "elsewhere" / "x.yaml"
    problems.warning(project / "content/es/agenda.yaml", 3,
                     f"the en text was deleted from {project / 'content/en/agenda.yaml'}; run "
                     f"`kitbuilder translations confirm {project / 'content/es/agenda.yaml'}` "
                     f"(see {outside}, file://{project}/x)")
    assert str(problems.items[0]) == (
        "content/es/agenda.yaml:3: warning: the en text was deleted from "
        "content/en/agenda.yaml; run `kitbuilder translations confirm content/es/agenda.yaml` "
        f"(see {outside}, file://{project}/x)")
