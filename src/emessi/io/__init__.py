"""Adapters: documents (JSON, TOML) and, later, calendars."""

from emessi.io.documents import dump, dumps, formats, from_data, load, loads, to_data

__all__ = ["dump", "dumps", "formats", "from_data", "load", "loads", "to_data"]
