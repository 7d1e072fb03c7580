"""The devtools app: registered so that Django finds its management commands."""

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Developer tooling (DESIGN §7): the demo and bench commands; no models, no pages. The last
    project app: it may read from every other one, and none reads from it."""

    name = "devtools"
