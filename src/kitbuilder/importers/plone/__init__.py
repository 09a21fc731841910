"""`kitbuilder import plone`: a collective.exportimport export (Plone 4.3 to 6) → a project.

reading (the export's files, streamed) → items/index (first pass: a light model of every
item, translations, default pages, ordering) → selection/planning (the workshop folder in each
language, its pages, events and files) → convert (second pass: html cleaning, links, pandoc,
files) and events (the agenda) → writing (staged, hashed, never over a file edited since) →
report/summary.
"""

from .issues import ExportError, Issue, UsageError
from .run import ImportResult, Options, import_plone

__all__ = ["ExportError", "ImportResult", "Issue", "Options", "UsageError", "import_plone"]
