"""The service directory: search, browsing, duty rosters and opening hours (no Kivy here).

Residents find an office, a window, a service product or today's duty lawyer by tapping or by
typing pinyin letters on the on-screen keyboard. Everything here is plain Python so the tests
run in milliseconds; `kiosk/ui/screens/directory*.py` only displays what these modules compute.
"""
