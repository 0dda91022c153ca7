"""Errors that end a command with a one-line, human reason instead of a traceback."""


class KioskError(Exception):
    """A failure the user can act on; `str()` is the whole message."""

    exit_code = 1


class ConfigError(KioskError):
    """kiosk.ini is missing, unreadable or holds a bad value."""

    exit_code = 2
