# Benchmarks: make bench (later issues).
