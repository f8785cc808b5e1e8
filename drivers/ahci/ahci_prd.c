/* Building a PRD table: the AHCI form of a DMA scatter list. */
#include "ahci.h"

/*
 * PRD entries from mapped DMA segments. The HBA's rules: at most 4 MiB per
 * entry, an even byte count (stored minus one), a 2-byte aligned address.
 * The interrupt bit goes on the last entry. Returns the count or -EINVAL.
 * Pure code: the host tests compile it.
 */
int ahci_build_prdt(struct ahci_prd *prdt, int max, const struct scatterlist *sg, int n)
{
	/* LAB(6) BEGIN: one PRD entry per DMA segment, checked against the HBA's rules */
	if (n > max)
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		dma_addr_t a = sg_dma_address(&sg[i]);
		unsigned int len = sg_dma_len(&sg[i]);
		if (!len || len > PRD_MAX_BYTES || (len & 1) || (a & 1))
			return -EINVAL;
		prdt[i].dba = (u32)a;
		prdt[i].dbau = (u32)(a >> 32);
		prdt[i].reserved = 0;
		prdt[i].flags_dbc = (len - 1) | (i == n - 1 ? PRD_INTR : 0);
	}
	return n;
	/* LAB(6) STUB
	return -EINVAL;
	*/
	/* LAB(6) END */
}
