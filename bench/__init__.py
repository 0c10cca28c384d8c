"""Benchmarks of Gongkai's matching: run them with ``python -m bench.NAME`` (see README.md)."""
