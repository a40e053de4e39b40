// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

static int baz_queue_cmd(struct baz_dev *bdev, struct baz_cmd *cmd)
{
	int ret = 0;

	if (cmd->len > BAZ_CMD_MAX) {
		ret = -EINVAL;
		goto done;
	}

	scoped_guard(spinlock_irqsave, &bdev->cmd_lock) {
		list_add_tail(&cmd->node, &bdev->cmds);
		bdev->nr_cmds++;
	}
	baz_kick(bdev);
done:
	return ret;
}
