"""Reading the content tree into a typed model, and checking it."""
