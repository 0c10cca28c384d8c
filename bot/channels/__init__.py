"""Channels translate between a chat protocol and the core services."""
