// SPDX-License-Identifier: GPL-2.0
/// Give kmalloc()-family allocations that are freed on every path an owner:
/// "T *p __free(kfree) = kmalloc(...);" declared where it is allocated.
///
/// The kfree()s on the paths go, "return p;" becomes "return_ptr(p);" and a
/// store into a structure or through a pointer becomes
/// "x->p = no_free_ptr(p);".  Gotos to labels that only freed and returned
/// become returns.  A site is left alone when any path leaks the memory or
/// hands it on in a way the rule cannot see (list_add(&p->node, ...), a
/// call that keeps it), when the variable is reassigned, copied, has its
/// address taken, is used after the free, or lives beyond the block of the
/// allocation, when a goto would jump over the new declaration, and in a
/// switch body.
///
/// Allocators: kmalloc, kzalloc, kcalloc, kmalloc_array, kmemdup, kstrdup,
/// kstrndup, kasprintf, the _node variants (kfree), kvmalloc, kvzalloc,
/// kvcalloc, kvmalloc_array (kvfree); kfree_sensitive() frees keep their
/// class.  Decisions come from coccinelle/safecocci.py; -D safe_report=
/// FILE lists every site with its reason.  Policy: -D safe_profile=...
/// (the netdev profile turns this rule off).
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Macro hints: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: __free, return_ptr, no_free_ptr, cleanup

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
// -D safe_include: add <linux/safe/free.h> instead of <linux/cleanup.h>
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

def fr_is(p, kind):
	return planner['m'].edit(p, kind, 'free')

def fr_data(p):
	return planner['m'].edit_data(p, 'free')

def fr_fdecl(p): return fr_is(p, 'fdecl')
def fr_fdecli(p): return fr_is(p, 'fdecli')
def fr_site(p): return fr_is(p, 'fdecl') or fr_is(p, 'fdecli')
def fr_drop(p): return fr_is(p, 'drop')
def fr_ublk(p): return fr_is(p, 'ublk')
def fr_ublk_goto(p): return fr_is(p, 'ublk_goto')
def fr_uagoto_blk(p): return fr_is(p, 'uagoto_blk')
def fr_goto(p): return fr_is(p, 'goto')
def fr_agoto(p): return fr_is(p, 'agoto')
def fr_agoto_blk(p): return fr_is(p, 'agoto_blk')
def fr_label(p): return fr_is(p, 'label')
def fr_deadret(p): return fr_is(p, 'deadret')
def fr_decl(p): return fr_is(p, 'decl')
def fr_decl_init(p): return fr_is(p, 'decl_init')
def fr_retptr(p): return fr_is(p, 'retptr')
def fr_noptr(p): return fr_is(p, 'noptr')
def fr_devm(p): return fr_is(p, 'devm')
def fr_devm_fn(p): return fr_data(p)[0]
def fr_devm_dev(p): return fr_data(p)[1]

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

// a __free() declaration is planned in this file: it needs the header
@frsite depends on patch@
position p : script:python() { fr_site(p) };
identifier x;
expression E;
@@
x@p = E

@frsited depends on patch@
position p : script:python() { fr_site(p) };
identifier x;
type T;
expression E;
@@
T x@p = E;

@fp depends on patch@
identifier free = {kfree, kvfree, kfree_sensitive};
identifier l, r, x;
type T;
expression E, C, X, I;
statement S;
position pa : script:python() { fr_fdecl(pa) };
position pi : script:python() { fr_fdecli(pi) };
position pd : script:python() { fr_drop(pd) };
position pb : script:python() { fr_ublk(pb) };
position pbg : script:python() { fr_ublk_goto(pbg) };
position pba : script:python() { fr_uagoto_blk(pba) };
position pt : script:python() { fr_goto(pt) };
position pag : script:python() { fr_agoto(pag) };
position pab : script:python() { fr_agoto_blk(pab) };
position pl : script:python() { fr_label(pl) };
position px : script:python() { fr_deadret(px) };
position pv : script:python() { fr_decl(pv) };
position pvi : script:python() { fr_decl_init(pvi) };
position pr : script:python() { fr_retptr(pr) };
position pn : script:python() { fr_noptr(pn) };
position pm : script:python() { fr_devm(pm) };
identifier alloc = {kmalloc, kzalloc, kcalloc, kmalloc_array};
expression E1, E2, E3;
fresh identifier DA = script:python(pm) { fr_devm_fn(pm) };
fresh identifier DV = script:python(pm) { fr_devm_dev(pm) };
fresh identifier D = script:python(pa) { fr_data(pa) };
fresh identifier DI = script:python(pi) { fr_data(pi) };
fresh identifier RT = script:python(pt) { fr_data(pt) };
fresh identifier RB = script:python(pbg) { fr_data(pbg) };
@@

(
- x@pa = E;
+ D = E;
|
- T x@pi = I;
+ DI = I;
|
- T x@pv;
|
- T x@pvi = I;
|
- free@pd(...);
|
- if (C) {
- free@pb(...);
- S
- }
+ if (C)
+	S
|
- if (C) {
- free@pbg(...);
- goto l;
- }
+ if (C)
+	return RB;
|
- if (C) {
- free@pba(...);
- r = X;
- goto l;
- }
+ if (C)
+	return X;
|
- goto l@pt;
+ return RT;
|
- r@pag = X;
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
- return x@pr;
+ return_ptr(x);
|
  E =
- x@pn
+ no_free_ptr(x)
  ;
|
- x@pm = alloc(E1, E2);
+ x = DA(&DV->dev, E1, E2);
|
- x@pm = alloc(E1, E2, E3);
+ x = DA(&DV->dev, E1, E2, E3);
)

@has_cleanup depends on patch@
@@
#include <linux/cleanup.h>

@has_safe depends on patch@
@@
#include <linux/safe/free.h>

@depends on patch && (frsite || frsited) && !has_cleanup && !has_safe && !safe_include@
@@
  #include <linux/...>
+ #include <linux/cleanup.h>

@depends on patch && (frsite || frsited) && !has_safe && safe_include@
@@
  #include <linux/...>
+ #include <linux/safe/free.h>

// ---------------------------------------------------------------- context

@ctx depends on context@
expression E;
identifier x;
position p : script:python() { fr_site(p) };
@@
(
* x@p = E;
|
* x@p
)

// ---------------------------------------------------------------- org/report

@site depends on org || report@
identifier x;
position p : script:python() { fr_site(p) };
@@
x@p

@script:python depends on org@
p << site.p;
x << site.x;
@@
coccilib.org.print_todo(p[0], "%s can be declared __free() where it is allocated" % x)

@script:python depends on report@
p << site.p;
x << site.x;
@@
coccilib.report.print_report(p[0], "%s can be declared __free() where it is allocated" % x)
