// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/list.h>
#include <linux/mutex.h>

static void bar_complete_requests(struct bar_dev *bdev)
{
	struct bar_req *req, *tmp;

	list_for_each_entry_safe(req, tmp, &bdev->pending, node) {
		scoped_guard(mutex, &bdev->req_lock) {
			if (!req->done)
				continue; /* report */
			list_del(&req->node);
		}
		complete(&req->completion);
	}
}
