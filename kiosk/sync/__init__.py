"""Content sync: every kiosk of the district pulls the signed, built pack from a static server.

The threat model is The Update Framework's, cut down to one signing key: a pack is installed
only if its manifest is signed by the pinned key, newer than the active one, not expired, and
every object matches the size and sha256 the manifest gives. Objects are content-addressed, so
a new version downloads only what changed; a pack becomes active by one atomic rename, only
when all its objects are verified, and the previous pack is kept as the last known good.

Modules: `serve` (the development/test server), `fetch` (HTTP client), `installed` (the
store on disk), `engine` (one sync run), `status` (what staff see), `cli` (the verbs).
"""
