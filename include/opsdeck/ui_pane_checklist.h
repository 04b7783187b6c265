/*
 * ui_pane_checklist.h: the Checklist pane. It shows the loaded profile's
 * due checklist (or another one picked with checklist-next) with each
 * item's state, evidence and runbook section; Enter runs the automated
 * items, then walks through the manual ones, "Issues identified", "Notes"
 * and the operator, and finishes the run. An automated result is accepted
 * as measured unless the operator overrides it (check-override), which
 * needs a note.
 *
 * The checks run in a child process, this program exec'd as `opsdeck check
 * NAME --progress-fd 3` (its own loop, connection and store handle; none of
 * the console's descriptors or SQLite state), so the dashboard's loop never
 * blocks on them: the child commits each item as soon as it is known
 * (run_checklist) and writes one line per item to a pipe the loop watches;
 * the pane reloads the run from the store on each line and reaps the child
 * without waiting (WNOHANG on a timer). The child dies with the dashboard
 * (PR_SET_PDEATHSIG), and a killed run resumes when the pane opens again:
 * an unfinished run of the checklist younger than RUN_RESUME_WINDOW_S is
 * shown and continued.
 *
 * The pane also fills the status bar's checklist badges ("daily done 08:12
 * by alice", "weekly due", "monthly overdue 3d") from the schedule and the
 * run history.
 */
#ifndef OPSDECK_UI_PANE_CHECKLIST_H
#define OPSDECK_UI_PANE_CHECKLIST_H

#include "opsdeck/ui_pane.h"

extern const struct pane_ops pane_checklist_ops;

/* Uses the history store at path (NULL or "": the default path). */
void checklist_pane_set_db(struct pane *p, const char *path);

#endif
