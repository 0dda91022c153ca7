"""呼叫工作人员: a resident asks for a person with one tap.

With a hall server (`[hall] url`) the call goes to `POST /api/help` and shows on the counter
pages until staff clear it or the resident cancels (`DELETE /api/help/<kiosk>`); without one,
the kiosk chimes and notes the call for the admin screen. No Kivy here: `calls.py` is plain
HTTP and bookkeeping that the UI runs on a worker thread.
"""
