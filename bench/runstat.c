/*
 * bench/runstat.c: runs a command and prints what it cost, from wait4(2):
 *   "cpu_ms=C maxrss_kb=R wall_ms=W exit=X" on stderr.
 * Used to set opsdeck and kubectl side by side in one run, with no
 * dependency on GNU time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opsdeck/timeutil.h"

int main(int argc, char **argv)
{
	struct rusage ru;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: runstat COMMAND [ARGS...]\n");
		return 2;
	}
	uint64_t t0 = time_mono_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("runstat: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runstat: wait4");
		return 2;
	}
	long cpu = ru.ru_utime.tv_sec * 1000L + ru.ru_utime.tv_usec / 1000 +
		   ru.ru_stime.tv_sec * 1000L + ru.ru_stime.tv_usec / 1000;
	fprintf(stderr, "cpu_ms=%ld maxrss_kb=%ld wall_ms=%llu exit=%d\n", cpu, ru.ru_maxrss,
		(unsigned long long)(time_mono_ms() - t0),
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
