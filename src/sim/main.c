/*
 * main.c: opsdeck-sim's entry point (placeholder until issue 3 lands).
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("opsdeck-sim %s\n", PACKAGE_VERSION);
		return 0;
	}
	printf("Usage: opsdeck-sim [--help] [--version]\n");
	return argc > 1 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
