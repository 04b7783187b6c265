/*
 * term.c: terminal set-up, restore, suspend and the crash handler (ui_term.h).
 *
 * The crash handler's state is the one static in the UI: a signal handler
 * cannot be handed a pointer, so what it needs (the fd, the saved termios and
 * the precomputed reset bytes) is copied here once, before it can run.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "opsdeck/ui_term.h"

#define RESET_MAX 256

struct ui_term {
	SCREEN *scr;
	FILE *in, *out;      /* owned only in headless mode (the /dev/null streams) */
	int in_fd, out_fd;
	bool headless;
	bool have_termios;
	struct termios saved;
	int colors;
	bool default_colors;
	bool mouse;
	char name[64];
	bool fell_back;
};

static struct {
	volatile sig_atomic_t armed;
	int fd;
	struct termios termios;
	bool have_termios;
	char reset[RESET_MAX];
	size_t reset_len;
} crash;

static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
#define NCRASH (sizeof(crash_signals) / sizeof(crash_signals[0]))

void term_emergency_restore(void)
{
	if (!crash.armed)
		return;
	crash.armed = 0;
	if (crash.have_termios)
		tcsetattr(crash.fd, TCSANOW, &crash.termios);
	if (crash.reset_len) {
		ssize_t w = write(crash.fd, crash.reset, crash.reset_len);

		(void)w;
	}
}

static void crash_handler(int signo)
{
	term_emergency_restore();
	/* SA_RESETHAND put the default action back: the re-raised signal kills us as before. */
	raise(signo);
}

static void append_cap(const char *cap)
{
	char *s = tigetstr((char *)cap);

	if (!s || s == (char *)-1)
		return;
	size_t len = strlen(s);

	if (crash.reset_len + len >= RESET_MAX)
		return;
	memcpy(crash.reset + crash.reset_len, s, len);
	crash.reset_len += len;
}

static void crash_arm(struct ui_term *t)
{
	struct sigaction sa;

	memset(&crash, 0, sizeof(crash));
	crash.fd = t->out_fd;
	crash.have_termios = t->have_termios;
	crash.termios = t->saved;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmkx");
	if (t->mouse) {
		static const char mouse_off[] = "\033[?1000l\033[?1006l";

		if (crash.reset_len + sizeof(mouse_off) < RESET_MAX) {
			memcpy(crash.reset + crash.reset_len, mouse_off, sizeof(mouse_off) - 1);
			crash.reset_len += sizeof(mouse_off) - 1;
		}
	}
	append_cap("rmcup");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, NULL);
	crash.armed = 1;
}

static void crash_disarm(void)
{
	struct sigaction sa;

	crash.armed = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, NULL);
}

/*
 * True when terminfo knows name. Asking setupterm first keeps newterm from
 * failing, which leaks its half-built screen inside ncurses.
 */
static bool term_known(const char *name, int fd)
{
	TERMINAL *saved = cur_term, *probe;
	int err = 0;

	if (setupterm((char *)name, fd, &err) != OK)
		return false;
	probe = cur_term;
	set_curterm(saved);
	del_curterm(probe);
	return true;
}

/* Tries name, then basic terminals that exist nearly everywhere. */
static SCREEN *open_screen(struct ui_term *t, const char *name)
{
	static const char *const fallbacks[] = { "xterm", "vt100", "ansi", "dumb" };
	SCREEN *scr = NULL;

	if (name && *name && term_known(name, t->out_fd)) {
		scr = newterm((char *)name, t->out, t->in);
		if (scr) {
			snprintf(t->name, sizeof(t->name), "%s", name);
			return scr;
		}
	}
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		/* Without TERM assume an xterm; an unknown TERM gets only the basic ones. */
		if ((i == 0 && name && *name) || !term_known(fallbacks[i], t->out_fd))
			continue;
		scr = newterm((char *)fallbacks[i], t->out, t->in);
		if (scr) {
			snprintf(t->name, sizeof(t->name), "%s", fallbacks[i]);
			t->fell_back = name && *name;
			return scr;
		}
	}
	return NULL;
}

static void setup_colors(struct ui_term *t, const struct term_opts *o)
{
	t->colors = 0;
	if (o->no_color || !has_colors())
		return;
	if (start_color() != OK)
		return;
	t->default_colors = use_default_colors() == OK;
	t->colors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : COLORS >= 8 ? 8 : 0;
	if (COLOR_PAIRS < 64)
		t->colors = 0;
}

static enum od_status open_streams(struct ui_term *t, const struct term_opts *o, struct err *e)
{
	if (o->headless) {
		t->in = fopen("/dev/null", "r");
		t->out = fopen("/dev/null", "w");
		if (!t->in || !t->out)
			return err_set(e, OD_EIO, "cannot open /dev/null: %s", strerror(errno));
		t->in_fd = -1;
		t->out_fd = fileno(t->out);
		return OD_OK;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(e, OD_EUSAGE,
			       "the dashboard needs a terminal on stdin and stdout; "
			       "use a command (see 'opsdeck --help') in scripts");
	t->in = stdin;
	t->out = stdout;
	t->in_fd = STDIN_FILENO;
	t->out_fd = STDOUT_FILENO;
	t->have_termios = tcgetattr(t->in_fd, &t->saved) == 0;
	return OD_OK;
}

enum od_status term_open(struct ui_term **out, const struct term_opts *o, struct err *e)
{
	struct ui_term *t = calloc(1, sizeof(*t));
	enum od_status rc;

	*out = NULL;
	if (!t)
		return err_set(e, OD_ENOMEM, "out of memory");
	t->headless = o->headless;
	t->mouse = o->mouse && !o->headless;
	rc = open_streams(t, o, e);
	if (rc != OD_OK)
		goto out;
	/* Headless dumps must not depend on the caller's terminal. */
	t->scr = open_screen(t, o->headless ? "xterm-256color" : getenv("TERM"));
	if (!t->scr) {
		rc = err_set(e, OD_ECONFIG, "no usable terminal description (TERM=%s)",
			     getenv("TERM") ? getenv("TERM") : "");
		goto out;
	}
	set_term(t->scr);
	if (o->headless)
		resizeterm(o->rows, o->cols);
	else
		crash_arm(t);
	setup_colors(t, o);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (t->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	*out = t;
out:
	if (rc != OD_OK)
		term_close(&t);
	return rc;
}

void term_close(struct ui_term **tp)
{
	struct ui_term *t = tp ? *tp : NULL;

	if (!t)
		return;
	if (t->scr) {
		set_term(t->scr);
		if (t->mouse)
			mousemask(0, NULL);
		curs_set(1);
		endwin();
		delscreen(t->scr);
	}
	if (!t->headless) {
		crash_disarm();
		if (t->have_termios)
			tcsetattr(t->in_fd, TCSANOW, &t->saved);
		fflush(stdout);
	} else {
		if (t->in)
			fclose(t->in);
		if (t->out)
			fclose(t->out);
	}
	free(t);
	*tp = NULL;
}

int term_input_fd(const struct ui_term *t)
{
	return t->in_fd;
}

int term_colors(const struct ui_term *t)
{
	return t->colors;
}

bool term_default_colors(const struct ui_term *t)
{
	return t->default_colors;
}

const char *term_name(const struct ui_term *t)
{
	return t->name;
}

bool term_fell_back(const struct ui_term *t)
{
	return t->fell_back;
}

void term_suspend(struct ui_term *t)
{
	struct sigaction dfl, old;

	if (t->headless)
		return;
	endwin();
	fflush(stdout);
	/* Stop for real: default action for SIGTSTP, then put the loop's handler back. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &old, NULL);
	/* Back after SIGCONT: the shell may have changed the terminal's modes. */
	if (t->have_termios && tcgetattr(t->in_fd, &t->saved) == 0)
		crash.termios = t->saved;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

void term_resize(struct ui_term *t, int cols, int rows)
{
	struct winsize ws;

	if (t->headless) {
		resizeterm(rows, cols);
		return;
	}
	if (ioctl(t->out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}
