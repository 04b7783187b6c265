/*
 * pane_note.c: panes whose data comes with later issues (ui_pane_note.h):
 * today only the Checklist pane, until its TUI part lands.
 * Each says plainly what will appear there, so the layout, focus, zoom and
 * tab strip work today and the panes can be filled in one at a time.
 */
#include <stdlib.h>

#include "opsdeck/ui_pane_note.h"

struct note {
	const char *lines[6];  /* NULL-terminated */
};

static const struct note checklist_note = { {
	"Today's checklist from the profile: items due, done and failing,",
	"checking themselves where a machine can.",
	"(Arrives with the checklists issue.)",
	NULL } };

static void note_draw(struct pane *p, const struct canvas *c, bool focused)
{
	const struct note *n = p->state;

	(void)focused;
	for (int i = 0; n->lines[i]; i++)
		draw_text(c, i, 1, n->lines[i], c->r.w - 2, canvas_attr(c, THEME_PANE_HINT));
}

/* The state is the pane's static note: nothing to allocate or free. */
#define NOTE_PANE(ops_name, pname, ptitle, note_var)                          \
	static enum od_status ops_name##_init(struct pane *p, struct err *e) \
	{                                                                    \
		(void)e;                                                     \
		p->state = (void *)&note_var;                                \
		return OD_OK;                                                \
	}                                                                    \
	const struct pane_ops ops_name = {                                   \
		.name = pname,                                               \
		.title = ptitle,                                             \
		.init = ops_name##_init,                                     \
		.draw = note_draw,                                           \
	};

NOTE_PANE(pane_checklist_ops, "checklist", "Checklist", checklist_note)
