#ifndef _SCHED_H
#define _SCHED_H
int sched_yield(void);
/* The CPU the caller runs on (node: 0); either pointer may be NULL. */
int getcpu(unsigned int *cpu, unsigned int *node);
#endif
