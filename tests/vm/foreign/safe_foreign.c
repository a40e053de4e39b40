// SPDX-License-Identifier: GPL-2.0
/*
 * A client that allocates DMA memory on a device it does not drive: the
 * edu device, bound to edu_legacy, which knows nothing of safe.  It frees
 * the buffer at once, as a DMA controller's client would when done, but
 * safe's binding of the device stays with the device (tests/vm/foreign-unload).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/safe/dma.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

static int __init safe_foreign_init(void)
{
	struct pci_dev *pdev;
	struct safe_dma_buf *buf;

	pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (!pdev)
		return -ENODEV;
	buf = safe_dma_alloc(&pdev->dev, 1, PAGE_SIZE, GFP_KERNEL, 0);
	pci_dev_put(pdev);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	safe_dma_free(buf);
	pr_info("safe_foreign: allocated and freed a buffer on the edu device\n");
	return 0;
}
module_init(safe_foreign_init);

static void __exit safe_foreign_exit(void)
{
}
module_exit(safe_foreign_exit);

MODULE_DESCRIPTION("safe test: a client allocating on another driver's device");
MODULE_LICENSE("GPL");
