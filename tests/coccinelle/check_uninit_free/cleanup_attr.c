// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/firmware.h>

static void qux_release_fw(const struct firmware **fw)
{
	release_firmware(*fw);
}

static int qux_load_fw(struct qux_dev *qdev)
{
	const struct firmware *fw __cleanup(qux_release_fw); /* report */
	int ret;

	if (qdev->fw_loaded)
		return 0;
	ret = request_firmware(&fw, QUX_FW_NAME, qdev->dev);
	if (ret)
		return ret;
	return qux_upload(qdev, fw->data, fw->size);
}
