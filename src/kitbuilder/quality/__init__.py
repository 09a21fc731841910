"""Document quality: checks that run before rendering (glyph coverage) and helpers that
inspect the rendered kits (proof sheets)."""
