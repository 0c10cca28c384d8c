"""``python -m bot``: the same as the ``gongkai`` command."""

from .cli import main

main()
