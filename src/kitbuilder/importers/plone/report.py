"""What an import did, per language, for the CLI to print (this module never prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .issues import Issues
from .writing import Changes


@dataclass
class LanguageReport:
    documents: list[str] = field(default_factory=list)  # file names, kit order
    slots: int = 0
    assets: int = 0
    skipped: list[str] = field(default_factory=list)  # "title (path): why"
    needs_person: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    project: Path
    source_lang: str
    folder: str  # the Plone path of the workshop folder
    zone: str | None
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    changes: Changes = field(default_factory=Changes)
    issues: Issues = field(default_factory=Issues)
    assets: list[str] = field(default_factory=list)  # content/assets/ file names
    unexported: list[tuple[str, str]] = field(default_factory=list)

    def language(self, lang: str) -> LanguageReport:
        return self.languages.setdefault(lang, LanguageReport())

    def lines(self) -> list[str]:
        """The report as text lines, one section per language."""
        out = [f"Imported {self.folder} into {self.project} (source language "
               f"{self.source_lang}{', times in ' + self.zone if self.zone else ''})."]
        for lang, part in self.languages.items():
            out.append(f"{lang}: {len(part.documents)} document(s), {part.slots} agenda "
                       f"slot(s), {part.assets} file(s)")
            for name in part.documents:
                out.append(f"  imported  content/{lang}/{name}")
            for line in part.skipped:
                out.append(f"  skipped   {line}")
            for line in part.needs_person:
                out.append(f"  to check  {line}")
        if self.assets:
            out.append(f"files: {len(self.assets)} in content/assets/")
        for path, message in self.unexported:
            out.append(f"not in the export (Plone could not export it): {path}: {message}")
        out += self._change_lines()
        return out

    def _change_lines(self) -> list[str]:
        changes = self.changes
        out = [f"project files: {len(changes.new)} new, {len(changes.updated)} updated, "
               f"{len(changes.unchanged)} unchanged, {len(changes.kept)} kept (edited since "
               f"the last import), {len(changes.overwritten)} overwritten"]
        out += [f"  updated   {name}" for name in changes.updated]
        out += [f"  kept      {name} (edited since the last import; --force replaces it)"
                for name in changes.kept]
        out += [f"  overwrote {name} (it had been edited)" for name in changes.overwritten]
        out += [f"  gone      {name} (no longer in the export; left in place: delete it, and "
                "its line in content/kit.yaml, if it should go)" for name in changes.gone]
        return out
