/* Exception facts shared by the trap entry code of both builds. */
#ifndef ASM_TRAPNR_H
#define ASM_TRAPNR_H

/* The exceptions for which the CPU pushes an error code; the entry stubs
 * push a zero for every other vector so that all frames look alike. */
#define TRAP_HAS_ERROR_CODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || \
	(v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

#endif
