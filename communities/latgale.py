"""The project's own copy of the real Latgale data (communities/data/latgale.json)."""

import json
from pathlib import Path
from typing import Any

LATGALE_DATA = Path(__file__).resolve().parent / "data" / "latgale.json"


def read_latgale_data(path: Path = LATGALE_DATA) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
