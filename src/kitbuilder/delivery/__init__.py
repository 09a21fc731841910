"""Delivery: per-country packages, recipients and mail (issue 6)."""
