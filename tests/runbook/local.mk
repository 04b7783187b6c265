# Tests of profiles, checks and schedules.
