// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static void foo_flush(struct device *dev, void __iomem *base)
{
	u32 *cmd;
	dma_addr_t cmd_dma;

	cmd = dma_alloc_coherent(dev, PAGE_SIZE, &cmd_dma, GFP_KERNEL);
	if (!cmd)
		return;
	cmd[0] = FOO_CMD_FLUSH;
	writel(lower_32_bits(cmd_dma), base + FOO_CMD_ADDR);
	foo_hw_wait(base);
	dma_free_coherent(dev, PAGE_SIZE, cmd, cmd_dma);
}
