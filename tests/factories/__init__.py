"""factory_boy factories for the project's models, one module per app.

Values are deterministic sequences in correct Latvian, so a test can assert whole strings with
`==` instead of matching random Faker output. Centres are made without photos: a real photo needs
an image run through `resource_centres.services.add_centre_photo`. `populate_centre` and
`populate_community` fill rows with everything their pages show, for query-count tests.
Grant rounds, applications and assessments are in `tests.factories.grants`.
"""

from .accounts import *  # noqa: F403
from .centres import *  # noqa: F403
from .communities import *  # noqa: F403
from .events import *  # noqa: F403
from .initiatives import *  # noqa: F403
