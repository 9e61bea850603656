"""The link checker now lives in the package (newsarchive.links); kept so older test modules still import it."""

from newsarchive.links import broken_links  # noqa: F401
