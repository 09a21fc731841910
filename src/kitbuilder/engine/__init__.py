"""The build engine: what each artifact was made from, writing it, and the worker pool."""
