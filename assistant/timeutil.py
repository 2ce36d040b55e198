"""Timestamps stored as ISO-8601 UTC text, sortable as strings."""

from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
