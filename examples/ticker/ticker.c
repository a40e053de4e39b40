// SPDX-License-Identifier: GPL-2.0
/*
 * safe_ticker: a platform device that ticks.
 *
 * A timer fires every few milliseconds and queues work; the work appends
 * a sequence number to a ring that readers of /dev/ticker drain.  Every
 * one of those paths can race with unbind (echo safe-ticker >
 * /sys/bus/platform/drivers/safe_ticker/unbind), and every one reaches the
 * device's state only through its revocation domain, so unbind is safe at
 * any moment:
 *
 *  - readers sleeping in read() are woken and get -ENODEV;
 *  - the timer and the work find the state revoked and stop re-arming;
 *  - a file still open after unbind gets -ENODEV from every call.
 *
 * The module registers its own platform device, so it needs no hardware.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/safe/file.h>
#include <linux/safe/guard.h>
#include <linux/safe/locked.h>
#include <linux/safe/revocable.h>
#include "ticker_ioctl.h"

#define RING_SIZE	256

struct ring {
	u64 seq[RING_SIZE];
	unsigned int head, tail;	/* head - tail samples are queued */
	u64 next;			/* next sequence number */
};

/* What dies with the device: reached only through the domain. */
struct ticker_state {
	SAFE_DECLARE_LOCKED(spinlock_t, struct ring, ring);
	unsigned int period_ms;
};

struct ticker {
	struct device *dev;
	struct safe_revocable_domain *domain;
	SAFE_DECLARE_REVOCABLE(struct ticker_state, state);
	struct safe_miscdevice misc;
	struct timer_list timer;
	struct work_struct work;
};

static void ticker_work(struct work_struct *work)
{
	struct ticker *t = container_of(work, struct ticker, work);

	safe_revocable_scope(st, t->state) {
		scoped_guard(spinlock_irqsave, &st->ring.lock) {
			struct ring *r = safe_locked_get(&st->ring);

			if (r->head - r->tail < RING_SIZE)
				r->seq[r->head++ % RING_SIZE] = r->next;
			r->next++;	/* a full ring drops the sample */
		}
		wake_up(safe_revocable_domain_wq(t->domain));
	}
}

static void ticker_timer(struct timer_list *timer)
{
	struct ticker *t = container_of(timer, struct ticker, timer);

	/* Once the state is revoked the timer simply stops. */
	safe_revocable_scope(st, t->state) {
		schedule_work(&t->work);
		mod_timer(&t->timer, jiffies +
			  msecs_to_jiffies(READ_ONCE(st->period_ms)));
	}
}

static struct ticker *ticker_of(struct file *f)
{
	return container_of(f->private_data, struct ticker, misc.misc);
}

static bool ring_has_data(struct ticker_state *st)
{
	guard(spinlock_irqsave)(&st->ring.lock);
	return safe_locked_get(&st->ring)->head != safe_locked_get(&st->ring)->tail;
}

static ssize_t ticker_read(struct file *f, char __user *buf, size_t len,
			   loff_t *pos)
{
	struct ticker *t = ticker_of(f);
	u64 out[16];
	unsigned int n = 0;
	int ret;

	if (len < sizeof(u64))
		return -EINVAL;
	safe_revocable_guard_or_return(st, t->state);

	/* Ends early with -ENODEV when the device is unbound. */
	ret = safe_revocable_wait(t->domain, ring_has_data(st));
	if (ret)
		return ret;
	scoped_guard(spinlock_irqsave, &st->ring.lock) {
		struct ring *r = safe_locked_get(&st->ring);

		while (r->tail != r->head && n < ARRAY_SIZE(out) &&
		       (n + 1) * sizeof(u64) <= len)
			out[n++] = r->seq[r->tail++ % RING_SIZE];
	}
	if (copy_to_user(buf, out, n * sizeof(u64)))
		return -EFAULT;
	return n * sizeof(u64);
}

static long ticker_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct ticker *t = ticker_of(f);
	u32 ms;

	if (cmd != TICKER_IOC_PERIOD)
		return -ENOTTY;
	if (get_user(ms, (u32 __user *)arg))
		return -EFAULT;
	if (!ms || ms > 1000)
		return -EINVAL;
	safe_revocable_guard_or_return(st, t->state);
	WRITE_ONCE(st->period_ms, ms);
	return 0;
}

static const struct file_operations ticker_fops = {
	.owner = THIS_MODULE,
	.read = ticker_read,
	.unlocked_ioctl = ticker_ioctl,
};

static void ticker_state_free(void *st)
{
	kfree(st);
}

/* After revocation: nothing re-arms, so this stops them for good. */
static void ticker_stop(void *data)
{
	struct ticker *t = data;

	timer_delete_sync(&t->timer);
	cancel_work_sync(&t->work);
	/* Neither runs any more: the domain may go. */
	safe_revocable_domain_put(t->domain);
}

static int ticker_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct ticker_state *st;
	struct ticker *t;
	int ret;

	/*
	 * Devres undoes in reverse order.  Registered first, freed last: the
	 * ticker itself; then stopping the timer and the work; then the
	 * domain, so revocation comes before both.  The timer and the work
	 * run until they are stopped, after the domain's devres put: they
	 * hold a reference of their own, dropped once they are stopped.
	 */
	t = devm_kzalloc(dev, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev = dev;
	timer_setup(&t->timer, ticker_timer, 0);
	INIT_WORK(&t->work, ticker_work);
	ret = devm_add_action_or_reset(dev, ticker_stop, t);
	if (ret)
		return ret;

	t->domain = devm_safe_revocable_domain_create(dev);
	if (IS_ERR(t->domain))
		return PTR_ERR(t->domain);
	safe_revocable_domain_get(t->domain);	/* the timer's and the work's */

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	spin_lock_init(&st->ring.lock);
	st->period_ms = 5;
	/* The domain frees the state once no access is left. */
	ret = safe_revocable_init(t->state, t->domain, st, ticker_state_free);
	if (ret) {
		kfree(st);
		return ret;
	}

	t->misc.misc.minor = MISC_DYNAMIC_MINOR;
	t->misc.misc.name = "ticker";
	t->misc.fops = &ticker_fops;
	t->misc.domain = t->domain;
	ret = devm_safe_misc_register(dev, &t->misc);
	if (ret)
		return ret;

	mod_timer(&t->timer, jiffies + 1);
	dev_info(dev, "ticking every %u ms\n", st->period_ms);
	return 0;
}

static struct platform_driver ticker_driver = {
	.probe = ticker_probe,
	.driver = { .name = "safe_ticker" },
};

static struct platform_device *ticker_pdev;

static int __init ticker_init(void)
{
	int ret = platform_driver_register(&ticker_driver);

	if (ret)
		return ret;
	ticker_pdev = platform_device_register_simple("safe_ticker", -1, NULL, 0);
	if (IS_ERR(ticker_pdev)) {
		platform_driver_unregister(&ticker_driver);
		return PTR_ERR(ticker_pdev);
	}
	return 0;
}

static void __exit ticker_exit(void)
{
	platform_device_unregister(ticker_pdev);
	platform_driver_unregister(&ticker_driver);
}

module_init(ticker_init);
module_exit(ticker_exit);

MODULE_DESCRIPTION("A ticking platform device, safe to unbind under load");
MODULE_LICENSE("GPL");
