"""Translators' workflow: blocks, recorded source hashes, status, fallback, catalogs, glossary."""
