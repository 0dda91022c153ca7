"""The hall queue (叫号): counters call tickets, displays show who is called, calls are spoken.

The hall's host (kiosk.ini [hall] host = yes) runs the hall server (kiosk.hall.server) inside
`kiosk run` or alone with `kiosk hall serve`; it keeps the queue in the ticket ledger
(kiosk.hall.queue). Counter staff work in the browser page /counter, screens show /display,
other programs read GET /api/state and GET /api/events (contract in the README). The hall's
other dispensers hand their tickets to the host (kiosk.hall.dispatch) and keep issuing while
it is away. Modules: queue (the actions), view (what is shown), counters, keys, schema,
handin (tickets handed in), server, api, pages, routes, voice, dispatch, cli, texts.
"""
