"""`python -m devtools.bench` (what `make bench` runs): see devtools.bench.run."""

import sys

from devtools.bench.run import main

sys.exit(main())
