"""Peak memory of the one image re-encoder (core.images) on the largest legal upload and on a
decompression bomb, each measured in a process of its own so that nothing else the bench holds
counts (issue 11: a 9200×9200 PNG attached to a draft once took a worker from 137 MB to 1.35 GB).

Run by `make bench` through `measure_uploads`; `python -m devtools.bench.uploads <file>` is the
child: it reports the growth of its own peak resident memory while re-encoding the file.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LEGAL = (6000, 6500)  # 39 megapixels, just under the 40-megapixel limit
BOMB = (9200, 9200)  # 85 megapixels in a file of a few hundred kilobytes


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: str) -> dict:
    import django
    from django.conf import settings

    settings.configure(
        PHOTO_MAX_PIXELS=40_000_000, PHOTO_MAX_BYTES=10 * 1024 * 1024, USE_I18N=False
    )
    django.setup()
    from django.core.exceptions import ValidationError

    from core import images

    before = _peak_mb()
    started = time.perf_counter()
    with open(path, "rb") as upload:
        try:
            content, fmt = images.reencoded(
                upload, formats={"JPEG": "jpg", "PNG": "png"}, max_pixels=40_000_000
            )
            outcome = f"accepted ({fmt}, {len(content) / 1024:.0f} KB stored)"
        except ValidationError as error:
            outcome = f"refused ({error.code})"
    return {
        "outcome": outcome,
        "seconds": time.perf_counter() - started,
        "peak_growth_mb": _peak_mb() - before,
    }


def _image(size: tuple[int, int], path: Path) -> int:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 400):
        draw.line([(x, 0), (size[0] - x, size[1])], fill=(30, 90, 60), width=9)
    image.save(path, "PNG")
    image.close()
    return path.stat().st_size


def measure_uploads(out) -> None:
    out.write("\nUploads through the one re-encoder (core.images), each in a fresh process:\n")
    with tempfile.TemporaryDirectory() as folder:
        for label, size in (("largest legal PNG", LEGAL), ("decompression bomb", BOMB)):
            path = Path(folder) / f"{size[0]}x{size[1]}.png"
            kilobytes = _image(size, path) / 1024
            # Our own module on a file we just wrote.
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "devtools.bench.uploads", str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parents[2],
            )
            figures = json.loads(result.stdout)
            megapixels = size[0] * size[1] / 1_000_000
            out.write(
                f"  {label}: {size[0]}×{size[1]} ({megapixels:.0f} MP, {kilobytes:.0f} KB) "
                f"{figures['outcome']} in {figures['seconds']:.2f} s, "
                f"peak memory +{figures['peak_growth_mb']:.0f} MB\n"
            )


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1])))
