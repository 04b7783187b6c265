/*
 * pane.c: what every pane shares: life cycle and the frame (ui_pane.h).
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/ui_pane.h"

enum od_status pane_init(struct pane *p, const struct pane_ops *ops, struct app *app, int index,
			 struct err *e)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->app = app;
	p->index = index;
	p->dirty = true;
	return ops->init ? ops->init(p, e) : OD_OK;
}

void pane_fini(struct pane *p)
{
	if (p->ops && p->ops->fini)
		p->ops->fini(p);
	p->state = NULL;
}

void pane_paint(struct pane *p, const struct canvas *screen, struct rect box, bool focused)
{
	struct canvas frame = *screen, inner;
	char title[160], info[96] = "";

	frame.r = box;
	if (rect_is_empty(box))
		return;
	if (p->ops->title_info)
		p->ops->title_info(p, info, sizeof(info));
	if (p->index >= 0)
		snprintf(title, sizeof(title), "%d %s%s%s", p->index + 1, p->ops->title,
			 info[0] ? " " : "", info);
	else
		snprintf(title, sizeof(title), "%s%s%s", p->ops->title, info[0] ? " " : "", info);
	draw_clear(&frame, canvas_attr(&frame, THEME_NORMAL));
	draw_box(&frame, title,
		 canvas_attr(&frame, focused ? THEME_PANE_BORDER_FOCUS : THEME_PANE_BORDER),
		 canvas_attr(&frame, THEME_PANE_TITLE));
	inner = frame;
	inner.r = rect_inner(box);
	if (!rect_is_empty(inner.r))
		p->ops->draw(p, &inner, focused);
	p->dirty = false;
}
