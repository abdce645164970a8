"""Lesson authoring: read YAML sources with line numbers, validate them as a course, compile them into
lesson documents and publish immutable versions (used by `keelerada content` and /authoring)."""
