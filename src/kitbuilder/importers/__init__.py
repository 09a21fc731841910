"""Importers: content from other systems turned into a kitbuilder project."""
