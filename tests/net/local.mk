# Tests of the HTTP/API layer against opsdeck-sim.
