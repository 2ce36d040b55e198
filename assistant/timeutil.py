"""Timestamps stored as ISO-8601 UTC text, sortable as strings."""

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
