"""好差评 and 投诉建议: ratings (一次一评, five levels), 差评 follow-up items, complaints.

`items.rate(settings, level, channel=..., service=..., counter=..., ticket=..., reasons=...,
phone=...)` keeps a rating (an anonymous kiosk.stats event; a 差评 also a follow-up item);
`items.complain(settings, category, message, phone)` keeps a 投诉建议; staff work the items with
`items.update(settings, id, status, note)` (admin screen, `kiosk feedback list|update`).
The evaluator (`[kiosk] mode = evaluator`) follows the hall server with kiosk.feedback.hallwatch.
"""
