"""Developer tooling, apart from the platform: sample data for `make run` (`manage.py
demo_data`, in `devtools.demo`) and the national-scale benchmark (`manage.py bench_data` and
`make bench`, in `devtools.bench`). Nothing in the platform imports from here."""
