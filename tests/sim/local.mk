# Simulator tests (issue 3/4).
