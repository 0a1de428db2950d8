"""Benchmarks: `make bench` prints latency and throughput figures."""
