"""Property: whatever YAML values and Markdown a content file holds, loading and checking it
ends in a result or in path:line problems, never in an exception, and fast. The Markdown
renderer's own property (sanitised HTML for any input) is test_property_markdown.py: the two
run side by side on a busy test run."""

from __future__ import annotations

import shutil
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitbuilder.pipeline import load_and_check
from kitbuilder.settings import Settings
from tests.conftest import PROJECTS, ROOT
from tests.hostile.markdown_strategies import markdown

# CPU seconds for load + check of one generated project: a bound on the work done,
# which other processes on a busy machine do not move (the number of examples is the
# profile's, tests/conftest.py).
PER_EXAMPLE = 3.0

YAML_FILES = ("workshop.yaml", "countries.yaml", "en/workshop.yaml", "en/agenda.yaml",
              "en/participants.yaml", "es/workshop.yaml")
TRICKY = ("2021-02-30", "2021-13-01", "09:15", "9:15", "25:00", "~", "null", "yes", "no",
          "0x1F", "0o17", "1e400", "-.inf", ".nan", "&a", "*a", "<<", "!!python/object",
          "{{ 7*7 }}", "{% raw %}", "<script>alert(1)</script>", "../../etc/passwd",
          "javascript:alert(1)", "https://example.org/j/1", "\ufeff", "\u2028", "en", "es",
          "America/Mexico_City", "Mars/Olympus", "CA", "ZZ", "a4", "letter", "x" * 70)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(),
                    st.text(max_size=40), st.sampled_from(TRICKY))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                      max_leaves=12)

@st.composite
def mutations(draw):
    """(file, new bytes) for one content file."""
    kind = draw(st.sampled_from(("value", "value", "slot", "text", "bytes")))
    name = draw(st.sampled_from(YAML_FILES))
    original = (PROJECTS / "minimal/content" / name).read_text(encoding="utf-8")
    if kind == "text":
        return name, draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return name, draw(st.binary(max_size=200))
    data = yaml.safe_load(original)
    if kind == "slot" and name == "en/agenda.yaml":
        target = data["slots"][draw(st.integers(0, len(data["slots"]) - 1))]
    else:
        target = data
    key = draw(st.sampled_from(sorted(target)) | st.text(max_size=10))
    target[key] = draw(values)
    return name, yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One copy of the minimal project; each example first puts back the files examples
    change."""
    root = tmp_path_factory.mktemp("property")
    shutil.copytree(PROJECTS / "minimal", root / "project")
    return root


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(change=mutations(), body=markdown)
def test_any_content_loads_or_fails_with_path_line_problems(workdir, change, body):
    content = workdir / "project" / "content"
    name, data = change
    for changed_file in (*YAML_FILES, "en/concept-note.md"):  # undo the previous example
        shutil.copyfile(PROJECTS / "minimal/content" / changed_file, content / changed_file)
    (content / name).write_bytes(data)
    (content / "en/concept-note.md").write_text(f"---\ntitle: Note\n---\n{body}\n",
                                                encoding="utf-8")
    started = time.process_time()
    project, problems = load_and_check(Settings(content=content, layouts=ROOT / "layouts",
                                                locales=ROOT / "locales"))
    changed = {str(content / name), str(content / "en/concept-note.md")}
    for problem in problems.items:
        assert problem.path and problem.message and problem.line >= 0, problem
        if problem.path in changed and problem.level == "error":  # in the text: say where
            assert problem.line >= 1, problem
    if project is None:
        assert problems.errors
    assert time.process_time() - started < PER_EXAMPLE
