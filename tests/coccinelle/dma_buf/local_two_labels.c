// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_load_fw(struct device *dev, void __iomem *base, const u8 *fw, size_t len)
{
	void *img;
	dma_addr_t img_dma;
	int ret;

	ret = foo_hw_reset(base);
	if (ret)
		goto out;
	img = dma_alloc_coherent(dev, len, &img_dma, GFP_KERNEL);
	if (!img) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(img, fw, len);
	ret = foo_hw_boot(base, img_dma, len);
	if (ret)
		goto out_free;
	ret = foo_hw_wait(base);
out_free:
	dma_free_coherent(dev, len, img, img_dma);
out:
	return ret;
}
