"""The national-scale benchmark (DESIGN §8).

`manage.py bench_data --scale N` fills the database with synthetic volumes (`data`, made family
by family in `places`, `events` and `rounds`); `make bench` (`python -m devtools.bench`, the
program in `run`) loads them into a database of its own and measures every public page listed
in `pages` the way `measure` does, printing the table against the budgets.

Nothing here is imported before `run` has pointed Django at the bench database: `names`,
`pages`, `measure` and `run` import Django's models only inside functions.
"""
