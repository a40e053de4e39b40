// SPDX-License-Identifier: GPL-2.0
/*
 * safe.ko: the safe library as a module of its own.
 *
 * Guards, owned pointers and lock-bound data are header-only.  This module
 * carries the parts with state: revocation domains and owned DMA buffers,
 * and the workqueue where their deferred frees run.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/safe/guard.h>
#include <linux/safe/dma.h>
#include <linux/safe/embed.h>
#include "internal.h"

struct workqueue_struct *safe_wq;
static DEFINE_MUTEX(safe_wq_lock);

/**
 * safe_lib_init() - create the library's workqueue, once
 *
 * safe.ko does it at load; a module that embeds the library gets it at
 * its first domain, buffer or device registration.
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int safe_lib_init(void)
{
	struct workqueue_struct *wq;

	if (READ_ONCE(safe_wq))
		return 0;
	guard(mutex)(&safe_wq_lock);
	if (safe_wq)
		return 0;
	/*
	 * Not WQ_MEM_RECLAIM: its work waits for SRCU, whose own work runs
	 * on a workqueue without a rescuer.
	 */
	wq = alloc_workqueue("safe", WQ_UNBOUND, 0);
	if (!wq)
		return -ENOMEM;
	WRITE_ONCE(safe_wq, wq);
	return 0;
}

/**
 * safe_lib_drain() - wait for deferred work and destroy the workqueue
 *
 * Every deferred free pins the module that runs it, so by the time a
 * module's exit runs, the last of them has started, but it may still be
 * running: the DMA frees run on system_unbound_wq (or in an unbind that
 * took them over), so wait for them, then destroy the workqueue, which
 * waits for the rest, then wait for DMA frees that the rest deferred, and
 * for the DMA work to return.
 *
 * Context: process context; the library's exit, or a test.
 * Return: nothing.
 */
void safe_lib_drain(void)
{
	__safe_dma_flush_deferred();
	if (safe_wq)
		destroy_workqueue(safe_wq);
	safe_wq = NULL;
	/* Work drained from safe_wq may have deferred DMA frees in turn. */
	__safe_dma_flush_deferred();
	safe_dma_exit();
}

/**
 * safe_lib_exit() - release what is left, then drain
 *
 * First the bindings of devices that outlive the module (see
 * safe_bindings_exit()), whose release may defer frees, then
 * safe_lib_drain().
 *
 * Context: process context; module exit, holding no device lock.
 * Return: nothing.
 */
void safe_lib_exit(void)
{
	safe_bindings_exit();
	safe_lib_drain();
}

#ifndef SAFE_EMBEDDED
static int __init safe_init(void)
{
	return safe_lib_init();
}
module_init(safe_init);

static void __exit safe_exit(void)
{
	safe_lib_exit();
}
module_exit(safe_exit);

MODULE_DESCRIPTION("safe: scope guards, revocable resources, owned DMA buffers");
MODULE_LICENSE("GPL");
#else
/**
 * safe_embed_exit() - module exit step for a module that embeds safe
 *
 * The embedded library's own copy of safe_lib_exit(); see
 * <linux/safe/embed.h>.
 *
 * Context: process context; the embedding module's exit, last.
 * Return: nothing.
 */
void safe_embed_exit(void)
{
	safe_lib_exit();
}
#endif
