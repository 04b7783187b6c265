/*
 * ui_progress.h: the progress bar an action shows while the dashboard
 * follows it (step 5). The fraction is read from the engine's progress line
 * (kubectl's rollout-status wording, replica and pod counts, readyToUse,
 * PVC phase), so the bar and the words under it never disagree.
 */
#ifndef OPSDECK_UI_PROGRESS_H
#define OPSDECK_UI_PROGRESS_H

#include <stdbool.h>

#include "opsdeck/ui_draw.h"

/*
 * How far a follow has come, 0..1, from its latest line; done gives 1.
 * Lines without counts give a fixed midway value for a known waiting state
 * ("readyToUse: false", "phase: Pending", "... is terminating") and 0 else.
 */
double progress_fraction(const char *line, bool done);

/* "[#####-----]  50%" (ASCII) or with block characters, w columns at (y, x). */
void progress_draw(const struct canvas *c, int y, int x, int w, double frac, int attr);

#endif
