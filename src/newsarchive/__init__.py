"""newsarchive: a static site generator for news archives."""

__version__ = "0.1.0"
