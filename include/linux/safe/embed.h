/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For a module that builds the safe library into itself (SAFE_EMBED := y
 * in its Kbuild, see safe.kbuild) instead of depending on safe.ko.
 */
#ifndef _LINUX_SAFE_EMBED_H
#define _LINUX_SAFE_EMBED_H

#ifdef SAFE_EMBEDDED
void safe_embed_exit(void);
#else
/**
 * safe_embed_exit() - module exit step for a module that embeds safe
 *
 * Releases what the library keeps on devices that outlive the module (the
 * binding of a device it allocated on without driving it: that device's
 * domains are revoked and its DMA memory freed), waits for the library's
 * deferred work (domains whose last reference went away, DMA buffers freed
 * from atomic context) and destroys its workqueue, so no code of the
 * module runs after its exit.  Call it last in the exit function of a
 * module that embeds the library and uses revocation domains or DMA
 * buffers; with safe.ko it does nothing, safe.ko does this itself when it
 * is unloaded.
 *
 * Context: process context; module exit.  Takes the lock of each device
 * the library still has a binding for: hold no device lock.
 * Return: nothing.
 */
static inline void safe_embed_exit(void)
{
}
#endif

#endif /* _LINUX_SAFE_EMBED_H */
