"""The district's view of its kiosks, read from the folder they upload to (kiosk.upload).

`kiosk fleet status` reads every kiosk's latest heartbeat; `kiosk fleet report` adds up the
statistics of a quarter over every kiosk with DuckDB (its JSON reader and Hive partitioning,
both built into the pip wheel: no extension is downloaded at run time).

Uploaded batches are immutable and many (one per kiosk per hour), and opening hundreds of
thousands of small files is what costs, whatever reads them. So `cache` first packs each day's
batches (read once by DuckDB's JSON reader) into one Parquet file per `dt=` partition in a
local cache, redone only for a day whose folders changed (a kiosk that was offline uploads
late), and DuckDB reads the packed days.
Modules: `source` (a folder, or the same folder over HTTP mirrored into the cache), `cache`,
`status`, `report`, `cli`, `texts`.
"""
