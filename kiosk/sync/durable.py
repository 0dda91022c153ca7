"""Moved to `kiosk.durable` (core: any feature writes crash-safe files). Kept so branches
started before the move still import; new code imports `kiosk.durable`."""

from kiosk.durable import exclusive, fsync_dir, read_json, tree_size, write_bytes, write_json

__all__ = ["exclusive", "fsync_dir", "read_json", "tree_size", "write_bytes", "write_json"]
