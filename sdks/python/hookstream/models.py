"""The request and answer models, generated from the API document: ``from hookstream.models import ...``."""

from hookstream._generated.models import *  # noqa: F401,F403 - re-exported as the public name
