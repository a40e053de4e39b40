// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

struct qux_dev {
	struct device *dev;
	void *fw_buf;
	dma_addr_t fw_dma;
	u32 *mbox;
	dma_addr_t mbox_dma;
};

static int qux_probe(struct platform_device *pdev)
{
	struct qux_dev *qdev;
	int ret;

	qdev = devm_kzalloc(&pdev->dev, sizeof(*qdev), GFP_KERNEL);
	if (!qdev)
		return -ENOMEM;
	qdev->dev = &pdev->dev;
	qdev->fw_buf = dmam_alloc_coherent(&pdev->dev, QUX_FW_SIZE, &qdev->fw_dma, GFP_KERNEL);
	if (!qdev->fw_buf)
		return -ENOMEM;
	qdev->mbox = dma_alloc_coherent(&pdev->dev, QUX_MBOX_SIZE, &qdev->mbox_dma, GFP_KERNEL);
	if (!qdev->mbox)
		return -ENOMEM;
	ret = qux_boot(qdev);
	if (ret) {
		dmam_free_coherent(&pdev->dev, QUX_MBOX_SIZE, qdev->mbox, qdev->mbox_dma); /* report */
		return ret;
	}
	platform_set_drvdata(pdev, qdev);
	return 0;
}

static void qux_remove(struct platform_device *pdev)
{
	struct qux_dev *qdev = platform_get_drvdata(pdev);

	dma_free_coherent(&pdev->dev, QUX_FW_SIZE, qdev->fw_buf, qdev->fw_dma); /* report */
	dma_free_coherent(&pdev->dev, QUX_MBOX_SIZE, qdev->mbox, qdev->mbox_dma);
}
