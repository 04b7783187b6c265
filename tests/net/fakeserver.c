/*
 * fakeserver.c: the scripted HTTP/1.1 test server (fakeserver.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fakeserver.h"

#define MAXCONN 16

struct conn {
	int fd;
	char buf[65536];
	size_t len;
	int hung;
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void log_request(const char *logpath, const char *req, size_t hdrlen)
{
	FILE *f = fopen(logpath, "a");
	const char *eol = memchr(req, '\r', hdrlen);
	char auth[512] = "";

	if (!f)
		return;
	for (const char *p = req; p < req + hdrlen;) {
		const char *nl = memchr(p, '\n', (size_t)(req + hdrlen - p));
		if (!nl)
			break;
		if ((size_t)(nl - p) > 15 && strncasecmp(p, "Authorization: ", 15) == 0)
			snprintf(auth, sizeof(auth), "%.*s", (int)(nl - p - 16), p + 15);
		p = nl + 1;
	}
	fprintf(f, "%.*s auth=%s\n", eol ? (int)(eol - req) : 0, req, auth);
	fclose(f);
}

/* Length of a complete request (headers + Content-Length body) in buf, or 0. */
static size_t request_len(const char *buf, size_t len, size_t *hdrlen)
{
	const char *end = NULL;

	for (size_t i = 0; i + 3 < len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i + 4;
			break;
		}
	if (!end)
		return 0;
	*hdrlen = (size_t)(end - buf);
	size_t body = 0;
	for (const char *p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if (strncasecmp(p, "Content-Length:", 15) == 0)
			body = (size_t)strtoul(p + 15, NULL, 10);
		p = nl + 1;
	}
	return *hdrlen + body <= len ? *hdrlen + body : 0;
}

static void serve(int lfd, const struct fake_response *script, size_t n, const char *logpath)
{
	struct conn conns[MAXCONN];
	size_t next = 0;

	memset(conns, 0, sizeof(conns));
	for (int i = 0; i < MAXCONN; i++)
		conns[i].fd = -1;
	for (;;) {
		struct pollfd pfds[MAXCONN + 1];
		pfds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		for (int i = 0; i < MAXCONN; i++)
			pfds[i + 1] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
		if (poll(pfds, MAXCONN + 1, -1) < 0)
			continue;
		if (pfds[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);
			for (int i = 0; i < MAXCONN && fd >= 0; i++)
				if (conns[i].fd < 0) {
					conns[i].fd = fd;
					conns[i].len = 0;
					conns[i].hung = 0;
					fd = -1;
				}
			if (fd >= 0)
				close(fd);
		}
		for (int i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];
			if (c->fd < 0 || !(pfds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
			if (r <= 0) {
				close(c->fd);
				c->fd = -1;
				continue;
			}
			c->len += (size_t)r;
			size_t hdrlen, rl;
			while (!c->hung && c->fd >= 0 && (rl = request_len(c->buf, c->len, &hdrlen))) {
				log_request(logpath, c->buf, hdrlen);
				memmove(c->buf, c->buf + rl, c->len - rl);
				c->len -= rl;
				const struct fake_response *resp = next < n ? &script[next] : NULL;
				next++;
				if (resp && resp->delay_ms)
					sleep_ms(resp->delay_ms);
				if (!resp) {
					const char *e500 = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\nscript is over";
					write_all(c->fd, e500, strlen(e500));
				} else if (resp->raw) {
					write_all(c->fd, resp->raw, strlen(resp->raw));
				}
				if (!resp || !resp->raw || resp->after == FAKE_CLOSE) {
					close(c->fd);
					c->fd = -1;
				} else if (resp->after == FAKE_HANG) {
					c->hung = 1;
				}
			}
		}
	}
}

int fake_server_start(struct fake_server *s, const struct fake_response *script, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	if (lfd < 0)
		return -1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
		close(lfd);
		return -1;
	}
	s->port = ntohs(a.sin_port);
	snprintf(s->log, sizeof(s->log), "/tmp/opsdeck-fake-%d-%d.log", (int)getpid(), s->port);
	unlink(s->log);
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0) {
		close(lfd);
		return -1;
	}
	if (s->pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		serve(lfd, script, n, s->log);
		_exit(0);
	}
	close(lfd);
	return 0;
}

void fake_server_stop(struct fake_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	unlink(s->log);
}

char *fake_server_log(const struct fake_server *s)
{
	FILE *f = fopen(s->log, "r");
	char *out = calloc(1, 65536);
	size_t n;

	if (!out)
		return NULL;
	if (f) {
		n = fread(out, 1, 65535, f);
		out[n] = '\0';
		fclose(f);
	}
	return out;
}

int fake_server_requests(const struct fake_server *s)
{
	char *log = fake_server_log(s);
	int n = 0;

	for (char *p = log; p && *p; p++)
		n += *p == '\n';
	free(log);
	return n;
}
