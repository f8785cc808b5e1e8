/* t_crashy: a server that crashes as soon as it starts (a NULL store:
 * SIGSEGV), for the test of init's backoff and restart limit
 * (`init --service /bin/t_crashy`, tests/manifest.d/consd.ini). */
int main(void)
{
	*(volatile int *)0 = 1;
	return 0;
}
