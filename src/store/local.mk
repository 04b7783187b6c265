# store: the SQLite history (samples, rollups, events archive, audit, runs, incidents).
