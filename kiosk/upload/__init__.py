"""Uploads: the way back from the kiosk to the district (statistics batches and heartbeats).

Everything to send is first committed to an outbox table in the kiosk's SQLite store and
deleted only after the server confirmed it, so a power cut, a dead network or a killed process
never loses a batch. Each batch has a deterministic, immutable object name, Hive-style::

    <kind>/dt=YYYY-MM-DD/site=<site>/kiosk=<kiosk-id>/<seq>.jsonl

and a retry PUTs the same bytes to the same name, so a lost reply never duplicates data.
Heartbeats are the latest state, one object per kiosk, overwritten:
``heartbeat/site=<site>/kiosk=<kiosk-id>.json``.

Modules: `outbox` (the table, bounded by merging then dropping), `target` (HTTP PUT, auth,
errors sorted for staff), `collect` (statistics batches, heartbeats), `sender` (one run and the
kiosk's background thread with capped exponential backoff and jitter), `cli` (the verbs),
`texts` (the Chinese words staff read).
"""
