"""kitbuilder: turn a workshop's content into per-country kits (PDF, DOCX, HTML)."""

__version__ = "0.1.0"
