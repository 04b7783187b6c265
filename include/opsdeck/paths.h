/*
 * paths.h: where opsdeck keeps and finds its files.
 *
 * XDG base directories (relative values are ignored, as the spec says), the
 * data directory that holds data/ and themes/, and directory creation with
 * owner-only modes.
 */
#ifndef OPSDECK_PATHS_H
#define OPSDECK_PATHS_H

#include <stddef.h>
#include <sys/types.h>

#include "opsdeck/err.h"

#define PATHS_MAX 4096

enum xdg_kind {
	XDG_CONFIG,   /* $XDG_CONFIG_HOME, else ~/.config */
	XDG_DATA,     /* $XDG_DATA_HOME, else ~/.local/share */
	XDG_STATE,    /* $XDG_STATE_HOME, else ~/.local/state (history belongs here) */
	XDG_CACHE     /* $XDG_CACHE_HOME, else ~/.cache */
};

/* Writes the base directory of kind (without "opsdeck"). Fails only without a usable HOME. */
enum od_status paths_xdg_base(enum xdg_kind kind, char *out, size_t n, struct err *e);

/* Writes "<base>/opsdeck/<rel>" (rel may be NULL or ""). */
enum od_status paths_xdg(enum xdg_kind kind, const char *rel, char *out, size_t n,
			 struct err *e);

/*
 * Writes the directory that holds data/ and themes/, first of:
 * $OPSDECK_DATADIR; the executable's directory if it holds themes/ (a build
 * tree); the configure-time source tree if this executable is not the
 * installed one (an out-of-tree build); the installed $(pkgdatadir).
 */
enum od_status paths_datadir(char *out, size_t n, struct err *e);

/* Writes "<datadir>/<rel>". */
enum od_status paths_data_file(const char *rel, char *out, size_t n, struct err *e);

/* Joins a and b with one '/'; OD_ELIMIT if it does not fit. */
enum od_status paths_join(char *out, size_t n, const char *a, const char *b, struct err *e);

/* mkdir -p with mode for every directory it creates. Existing ones are left alone. */
enum od_status paths_mkdir_p(const char *dir, mode_t mode, struct err *e);

/* Writes the directory part of path ("." when there is none). */
void paths_dirname(const char *path, char *out, size_t n);

#endif
