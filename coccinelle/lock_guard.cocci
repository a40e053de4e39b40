// SPDX-License-Identifier: GPL-2.0
/// Convert lock/unlock pairs to guard() or scoped_guard() from
/// <linux/cleanup.h>: mutex, spinlock (plain, _irq, _irqsave, _bh),
/// raw_spinlock, rw_semaphore (read and write) and rcu_read_lock().
///
/// guard() when the lock is held to the end of its block on every path;
/// scoped_guard() when work follows the critical section.  The unlocks the
/// guard replaces go, "ret = X; goto out;" becomes "return X;" where "out"
/// only unlocked and returned, and labels nobody jumps to any more go too.
/// A site is left alone when any path could change meaning: conditional
/// locking, a lock held on return or released in another function, a lock
/// dropped and retaken in a loop, break/continue that scoped_guard() would
/// capture, a goto into the new scope, a guard() after a case label.
///
/// Conditional locks (mutex_lock_interruptible/killable(),
/// down_*_interruptible/killable(), the trylocks) tested right away
/// become scoped_cond_guard() or ACQUIRE()/ACQUIRE_ERR(), the errno path
/// kept (-D safe_cond_form=scoped|acquire picks the form tried first).
///
/// The decisions come from coccinelle/safecocci.py (next to this file),
/// which proves them on a control-flow graph of each function.  Each
/// edit kind below names what the rule does at a position the planner
/// chose: guard, scoped (a braced scoped_guard()), scoped1 (one statement),
/// end (the unlock closing it), drop (an unlock the guard replaces), ublk*
/// (an unlock that was the first of a braced branch: the braces go),
/// goto/agoto* (a goto to an unlock label becomes the return there),
/// goto_void (it becomes "return;"), label (a label nothing jumps to),
/// deadret (a return left unreachable), decl/decl_init (a variable left
/// unused: the flags of spin_lock_irqsave()), cond_scoped*_test/_assign
/// (scoped_cond_guard() for the two shapes of conditional lock),
/// acquire_test/_assign (ACQUIRE()).
/// Policy: -D safe_profile=default|netdev|FILE (coccinelle/profiles/);
/// -D safe_include for <linux/safe/guard.h> instead of <linux/cleanup.h>.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Macro hints: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: guard, scoped_guard, cleanup
//

// Settings, all -D options read by the safe_settings rule below: safe_dir
// (where safecocci.py is; default coccinelle/ or drivers/safe/coccinelle/
// under the current directory), safe_profile (default | netdev | FILE,
// coccinelle/profiles/), safe_KEY=VALUE for one profile key, safe_report=
// FILE (one line per site, converted or skipped, with the reason),
// safe_exclude=FILE (functions to leave alone: make migrate's build gate).

virtual patch
virtual context
virtual org
virtual report
// -D safe_include: add <linux/safe/guard.h> (code built through safe on
// every kernel from 6.1) instead of <linux/cleanup.h> (in-tree code)
virtual safe_include

@initialize:python@
@@
import os, sys

planner = {}

def safe_setup(d, profile, report, exclude, keys):
	if 'm' not in planner:
		for x in ([d] if d else ['coccinelle', 'drivers/safe/coccinelle']):
			if os.path.exists(os.path.join(x, 'safecocci.py')):
				sys.path.insert(0, os.path.abspath(x))
				break
		import safecocci
		planner['m'] = safecocci
	planner['m'].configure(profile, report, exclude, **keys)

def lk_is(p, kind):
	return planner['m'].edit(p, kind, 'locks')

def lk_data(p):
	return planner['m'].edit_data(p, 'locks')

def lk_guard(p): return lk_is(p, 'guard')
def lk_scoped(p): return lk_is(p, 'scoped')
def lk_scoped1(p): return lk_is(p, 'scoped1')
def lk_site(p): return lk_is(p, 'guard') or lk_is(p, 'scoped') or lk_is(p, 'scoped1')
def lk_end(p): return lk_is(p, 'end')
def lk_drop(p): return lk_is(p, 'drop')
def lk_ublk(p): return lk_is(p, 'ublk')
def lk_ublk_goto(p): return lk_is(p, 'ublk_goto')
def lk_uagoto_blk(p): return lk_is(p, 'uagoto_blk')
def lk_goto(p): return lk_is(p, 'goto')
def lk_goto_void(p): return lk_is(p, 'goto_void')
def lk_ublk_goto_void(p): return lk_is(p, 'ublk_goto_void')
def lk_agoto(p): return lk_is(p, 'agoto')
def lk_agoto_blk(p): return lk_is(p, 'agoto_blk')
def lk_label(p): return lk_is(p, 'label')
def lk_deadret(p): return lk_is(p, 'deadret')
def lk_decl(p): return lk_is(p, 'decl')
def lk_decl_init(p): return lk_is(p, 'decl_init')
def lk_data_i(p, i): return lk_data(p)[i]
def lk_data0(p): return lk_data_i(p, 0)
def lk_data1(p): return lk_data_i(p, 1)
def lk_cond_scoped_test(p): return lk_is(p, 'cond_scoped_test')
def lk_cond_scoped_assign(p): return lk_is(p, 'cond_scoped_assign')
def lk_cond_scoped1_test(p): return lk_is(p, 'cond_scoped1_test')
def lk_cond_scoped1_assign(p): return lk_is(p, 'cond_scoped1_assign')
def lk_acquire_test(p): return lk_is(p, 'acquire_test')
def lk_acquire_assign(p): return lk_is(p, 'acquire_assign')

@script:python safe_settings@
d << virtual.safe_dir = "";
prof << virtual.safe_profile = "";
rep << virtual.safe_report = "";
excl << virtual.safe_exclude = "";
lock_forms << virtual.safe_lock_forms = "";
lock_max_lines << virtual.safe_lock_max_lines = "";
guard_max_lines << virtual.safe_guard_max_lines = "";
lock_types << virtual.safe_lock_types = "";
missing << virtual.safe_missing_classes = "";
cond_form << virtual.safe_cond_form = "";
@@
safe_setup(d, prof, rep, excl, dict(lock_forms=lock_forms,
	lock_max_lines=lock_max_lines, guard_max_lines=guard_max_lines,
	lock_types=lock_types, missing_classes=missing, cond_form=cond_form))

@lk depends on patch@
identifier lock = {mutex_lock, spin_lock, spin_lock_irq, spin_lock_bh,
	spin_lock_irqsave, raw_spin_lock, raw_spin_lock_irq, raw_spin_lock_bh,
	raw_spin_lock_irqsave, down_read, down_write};
identifier unlock = {mutex_unlock, spin_unlock, spin_unlock_irq,
	spin_unlock_bh, spin_unlock_irqrestore, raw_spin_unlock,
	raw_spin_unlock_irq, raw_spin_unlock_bh, raw_spin_unlock_irqrestore,
	up_read, up_write, rcu_read_unlock};
identifier clock = {mutex_lock_interruptible, mutex_lock_killable,
	down_read_interruptible, down_read_killable, down_write_killable};
identifier tlock = {mutex_trylock, down_read_trylock, down_write_trylock,
	spin_trylock, spin_trylock_irq, raw_spin_trylock};
identifier l, r, x;
type T;
expression E, C, X, I;
statement S, S1;
position pct : script:python() { lk_cond_scoped_test(pct) };
position pca : script:python() { lk_cond_scoped_assign(pca) };
position pct1 : script:python() { lk_cond_scoped1_test(pct1) };
position pca1 : script:python() { lk_cond_scoped1_assign(pca1) };
position pat : script:python() { lk_acquire_test(pat) };
position paa : script:python() { lk_acquire_assign(paa) };
position pg : script:python() { lk_guard(pg) };
position pr : script:python() { lk_guard(pr) };
position ps : script:python() { lk_scoped(ps) };
position pq : script:python() { lk_scoped(pq) };
position ps1 : script:python() { lk_scoped1(ps1) };
position pq1 : script:python() { lk_scoped1(pq1) };
position pe : script:python() { lk_end(pe) };
position pd : script:python() { lk_drop(pd) };
position pb : script:python() { lk_ublk(pb) };
position pbg : script:python() { lk_ublk_goto(pbg) };
position pba : script:python() { lk_uagoto_blk(pba) };
position pt : script:python() { lk_goto(pt) };
position ptv : script:python() { lk_goto_void(ptv) };
position pbv : script:python() { lk_ublk_goto_void(pbv) };
position pa : script:python() { lk_agoto(pa) };
position pab : script:python() { lk_agoto_blk(pab) };
position pl : script:python() { lk_label(pl) };
position px : script:python() { lk_deadret(px) };
position pv : script:python() { lk_decl(pv) };
position pvi : script:python() { lk_decl_init(pvi) };
fresh identifier G = script:python(pg) { lk_data(pg) };
fresh identifier GS = script:python(ps) { lk_data(ps) };
fresh identifier GS1 = script:python(ps1) { lk_data(ps1) };
fresh identifier RT = script:python(pt) { lk_data(pt) };
fresh identifier RB = script:python(pbg) { lk_data(pbg) };
fresh identifier CT = script:python(pct) { lk_data(pct) };
fresh identifier CA = script:python(pca) { lk_data(pca) };
fresh identifier CT1 = script:python(pct1) { lk_data(pct1) };
fresh identifier CA1 = script:python(pca1) { lk_data(pca1) };
fresh identifier AT = script:python(pat) { lk_data0(pat) };
fresh identifier ATV = script:python(pat) { lk_data1(pat) };
fresh identifier AA = script:python(paa) { lk_data0(paa) };
fresh identifier AAV = script:python(paa) { lk_data1(paa) };
iterator name scoped_guard;
iterator name scoped_cond_guard;
@@

(
- lock@pg(E, ...);
+ guard(G)(E);
|
- rcu_read_lock@pr();
+ guard(rcu)();
|
+ scoped_guard(GS, E) {
- lock@ps(E, ...);
  ... when exists
      when != unlock(E, ...)
- unlock@pe(E, ...);
+ }
|
+ scoped_guard(rcu) {
- rcu_read_lock@pq();
  ... when exists
      when != rcu_read_unlock()
- rcu_read_unlock@pe();
+ }
|
- lock@ps1(E, ...);
+ scoped_guard(GS1, E)
  S
- unlock@pe(E, ...);
|
- rcu_read_lock@pq1();
+ scoped_guard(rcu)
  S
- rcu_read_unlock@pe();
|
+ scoped_cond_guard(CT, E) {
- if (<+... \(clock@pct(E)\|tlock@pct(E)\) ...+>) S1
  ... when exists
      when != unlock(E, ...)
- unlock@pe(E, ...);
+ }
|
+ scoped_cond_guard(CA, E) {
- r = clock@pca(E);
- if (\(r\|r < 0\|r != 0\|unlikely(r)\)) S1
  ... when exists
      when != unlock(E, ...)
- unlock@pe(E, ...);
+ }
|
- if (<+... \(clock@pct1(E)\|tlock@pct1(E)\) ...+>) S1
+ scoped_cond_guard(CT1, E)
  S
- unlock@pe(E, ...);
|
- r = clock@pca1(E);
- if (\(r\|r < 0\|r != 0\|unlikely(r)\)) S1
+ scoped_cond_guard(CA1, E)
  S
- unlock@pe(E, ...);
|
+ ACQUIRE(AT, ATV)(E);
  if (
- !tlock@pat(E)
+ ACQUIRE_ERR(AT, &ATV)
  ) S1
|
+ ACQUIRE(AT, ATV)(E);
  if (
- tlock@pat(E) == 0
+ ACQUIRE_ERR(AT, &ATV)
  ) S1
|
+ ACQUIRE(AT, ATV)(E);
  if (<+...
- clock@pat(E)
+ ACQUIRE_ERR(AT, &ATV)
  ...+>) S1
|
+ ACQUIRE(AA, AAV)(E);
  r =
- clock@paa(E)
+ ACQUIRE_ERR(AA, &AAV)
  ;
|
- unlock@pd(...);
|
- if (C) {
- unlock@pb(...);
- S
- }
+ if (C)
+	S
|
- if (C) {
- unlock@pbg(...);
- goto l;
- }
+ if (C)
+	return RB;
|
- if (C) {
- unlock@pba(...);
- r = X;
- goto l;
- }
+ if (C)
+	return X;
|
- if (C) {
- unlock@pbv(...);
- goto l;
- }
+ if (C)
+	return;
|
- goto l@pt;
+ return RT;
|
- goto l@ptv;
+ return;
|
- r@pa = X;
- goto l;
+ return X;
|
- if (C) {
- r@pab = X;
- goto l;
- }
+ if (C)
+	return X;
|
- l@pl:
|
- return X@px;
|
- T x@pv;
|
- T x@pvi = I;
)

@has_cleanup depends on patch@
@@
#include <linux/cleanup.h>

@has_safe depends on patch@
@@
#include <linux/safe/guard.h>

@depends on patch && lk && !has_cleanup && !has_safe && !safe_include@
@@
  #include <linux/...>
+ #include <linux/cleanup.h>

@depends on patch && lk && !has_safe && safe_include@
@@
  #include <linux/...>
+ #include <linux/safe/guard.h>

// ---------------------------------------------------------------- context

@ctx depends on context@
identifier lock = {mutex_lock, spin_lock, spin_lock_irq, spin_lock_bh,
	spin_lock_irqsave, raw_spin_lock, raw_spin_lock_irq, raw_spin_lock_bh,
	raw_spin_lock_irqsave, down_read, down_write, rcu_read_lock};
position p : script:python() { lk_site(p) };
@@
* lock@p(...);

// ---------------------------------------------------------------- org/report

@site depends on org || report@
identifier lock = {mutex_lock, spin_lock, spin_lock_irq, spin_lock_bh,
	spin_lock_irqsave, raw_spin_lock, raw_spin_lock_irq, raw_spin_lock_bh,
	raw_spin_lock_irqsave, down_read, down_write, rcu_read_lock};
position p : script:python() { lk_site(p) };
@@
lock@p(...);

@script:python depends on org@
p << site.p;
lock << site.lock;
@@
k = 'guard()' if lk_guard(p) else 'scoped_guard()'
coccilib.org.print_todo(p[0], "%s() can become %s" % (lock, k))

@script:python depends on report@
p << site.p;
lock << site.lock;
@@
k = 'guard()' if lk_guard(p) else 'scoped_guard()'
coccilib.report.print_report(p[0], "%s() can become %s" % (lock, k))
