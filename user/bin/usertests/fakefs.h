/* usertests: the fake file server of suite ufd (fakefs.c). */
#ifndef USERTESTS_FAKEFS_H
#define USERTESTS_FAKEFS_H

#include <fcntl.h>
#include <sys/stat.h>

#define FAKE_STATS 200          /* w0: memobj requests seen, w1: open files closed (no senders) */

struct fakefs {
	int ep;                 /* the mount's endpoint (we keep it: we are its client) */
	int pid;
	const char *path;       /* set before fakefs_start: where FS_UNMOUNT unmounts it from */
};

/* Fork the server; "prog" holds the prog_size bytes at prog (may be 0). */
int fakefs_start(struct fakefs *fs, const void *prog, unsigned long prog_size);
void fakefs_stop(struct fakefs *fs);
/* usertests --serve PATH */
int fakefs_serve(int argc, char **argv);
int fakefs_stats(struct fakefs *fs, unsigned long *memobj_reqs, unsigned long *nr_closes);
/* The size of the memory object the last memobj request lent (its I/O
 * buffer, or the caller's own pages), -1 on an error. */
long fakefs_last_lent(struct fakefs *fs);

#endif
