"""Gongkai's benchmarks: run one with ``python -m bench.NAME`` (see README.md)."""
