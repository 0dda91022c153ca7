"""Why a sync run failed, sorted the way staff need it.

`Offline`: the server could not be reached or did not answer properly; the kiosk keeps serving
what it has and tries again later (offline-but-serving). `Refused`: the server answered with
something that must not be installed (bad signature, rollback, expired, wrong size or hash).
`LocalProblem`: this machine cannot take the pack (disk full, cannot write). Each error has a
stable `code` (for programs and tests) and a one-line Chinese message for staff.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class SyncError(KioskError):
    kind = "failing"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Offline(SyncError):
    kind = "offline"


class Refused(SyncError):
    kind = "refused"


class LocalProblem(SyncError):
    kind = "local"
