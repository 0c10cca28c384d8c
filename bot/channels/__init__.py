"""Channels translate between a chat protocol and the core services.

Each channel is a package here with one entry point, ``setup(app, services, settings)``: it adds
its routes to the project's aiohttp application and its start and stop to ``app.cleanup_ctx``
(polling, a sender loop, a client session), using only ``services``. ``bot/app.py`` lists them.
"""

from __future__ import annotations


class ChannelError(Exception):
    """A channel cannot start (a token refused, a server unreachable): said in one line."""
