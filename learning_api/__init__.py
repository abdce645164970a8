"""Keelerada: an open, self-hostable backend for adaptive self-study of Estonian."""

__version__ = "0.1.0"  # the one place: pyproject.toml reads it, `keelerada --version` and OpenAPI show it
