/* consd, the console server: its parts (main.c the server loop, input.c
 * the input helper). The protocol: <pagoda/console.h>. */
#ifndef CONSD_H
#define CONSD_H

/* Start the input helper, a child of consd blocked in debug_read that
 * hands each burst of typed bytes to the server (CONS_INPUT on ep), or
 * adopt the one a killed consd left behind. Returns its pid or -1. */
int input_helper_start(int ep);

#endif
