# runbook: profiles, checks, schedules, reports.
