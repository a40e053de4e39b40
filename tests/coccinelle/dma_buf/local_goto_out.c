// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_selftest(struct device *dev, void __iomem *base, size_t n)
{
	void *cpu;
	dma_addr_t h;
	int ret;

	cpu = dma_alloc_coherent(dev, n, &h, GFP_KERNEL);
	if (!cpu)
		return -ENOMEM;
	memset(cpu, 0xa5, n);
	ret = foo_hw_copy(base, h, n);
	if (ret)
		goto out;
	ret = foo_hw_wait(base);
out:
	dma_free_coherent(dev, n, cpu, h);
	return ret;
}
