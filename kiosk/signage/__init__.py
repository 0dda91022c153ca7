"""Signage beyond slides: the hall's queue from the hall server, and the one line a door-head
LED strip scrolls. Plain Python (the screens are kiosk/ui/screens/signage.py and strip.py)."""
