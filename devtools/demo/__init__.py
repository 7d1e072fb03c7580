"""`manage.py demo_data`: clearly marked sample content for trying the platform.

`loader` runs the whole load in one transaction and prints its summary; the content comes from
`people` (demo accounts and activists), `centres_and_events` (hours, contacts, photos, events),
`open_round` (the round open for applications) and `past_rounds`, which replays the initiative's
three past competitions from the data file `devtools/data/past_rounds.json`
(read by `past_round_data`).
"""
