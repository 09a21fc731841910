"""`kitbuilder delegates check`: the content the documents need and every registration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.loader import load_project
from ..content.model import Project
from ..errors import Problems
from ..quality import fonts as kit_fonts
from .registrations import Mapping, Registrations, load_mapping, load_registrations


@dataclass
class Checked:
    project: Project | None
    mapping: Mapping
    registrations: Registrations | None
    problems: Problems


def check_delegates(paths, registrations_file: Path) -> Checked:
    problems = Problems()
    project = load_project(paths.content, problems)
    mapping = load_mapping(paths.content, problems)
    if project is None or not project.countries:  # nothing to check the rows against
        return Checked(project, mapping, None, problems)
    # What a main face, a fallback face or an installed system face draws (the delegates'
    # documents take each character from the first face that has it).
    supported = kit_fonts.coverage(paths.layouts) if kit_fonts.main_fonts(paths.layouts) \
        else None
    registrations = load_registrations(registrations_file, project, paths.content, supported,
                                       problems, mapping)
    return Checked(project, mapping, registrations, problems)
