// SPDX-License-Identifier: GPL-2.0
/// Move dma_alloc_coherent()/dma_free_coherent() (and the dmam_ variants)
/// onto safe's owned DMA buffer, struct safe_dma_buf from
/// <linux/safe/dma.h>, which records the device, size and handle, so the
/// free always matches the allocation.
///
/// A buffer local to a function and freed on every path becomes
///
///	struct safe_dma_buf *cpu_buf __free(safe_dma) =
///		safe_dma_alloc(dev, size, 1, gfp, 0);
///	if (IS_ERR(cpu_buf))
///		...the old "if (!cpu)" branch...
///	cpu = safe_dma_cpu_ptr(cpu_buf);
///	handle = safe_dma_handle(cpu_buf);
///
/// and its dma_free_coherent() calls go (gotos to labels that only freed
/// become returns).  The code using cpu and handle does not change.
///
/// A buffer kept in a private structure of the same file: the CPU pointer
/// and dma_addr_t fields become one struct safe_dma_buf *, the allocation
/// safe_dma_alloc() (devm_safe_dma_alloc() for dmam_), the frees
/// safe_dma_free(), handle reads safe_dma_handle(), NULL tests
/// IS_ERR()/IS_ERR_OR_NULL().  Because safe_dma_cpu_ptr() returns NULL
/// once the device has the address, the CPU pointer is read only where the
/// CPU uses the buffer right after allocating it.  Elsewhere the CPU's
/// copy_from_user(), copy_to_user() and memset() of the buffer (at an
/// offset too, for a buffer of bytes) become safe's bounds-checked
/// accessors, which work whoever holds the address:
///
///	if (copy_from_user(E->fld + O, U, L))
///	if (safe_dma_copy_from_user(E->fld, O, U, L) != L)
///
///	if (copy_to_user(U, E->fld, L))
///	if (safe_dma_copy_to_user(E->fld, 0, U, L) != L)
///
///	memset(E->fld, V, L);
///	safe_dma_memset(E->fld, 0, V, L);
///
/// (a copy's result only tested, its length an expression without side
/// effects and not a signed variable; "!copy..." becomes "== L").  Other
/// uses are reported with the reason (use the typed accessors,
/// safe_dma_get()/set(), by hand).
///
/// Decisions come from coccinelle/safecocci.py; -D safe_report=FILE
/// lists every site with its reason.  Each edit kind names what the rule
/// does at a position the planner chose.  A local buffer: dalloc (the
/// allocation), decl/decl_init (the variables it replaces), drop (a free
/// that goes), ublk*/uagoto_blk (a free that was the first of a braced
/// branch), goto/agoto*/label/deadret (goto unwinding that only freed
/// becomes returns).  A buffer in a structure: dfield/dhfield (its two
/// fields), dfalloc/dfallocm (dma_alloc_coherent()/dmam_), derr/dnull/
/// dnotnull (NULL tests), dcpu (a CPU use right after allocating), dh (a
/// handle read), dfree (a free), dcopy_from*/dcopy_to* (a user copy,
/// _off at an offset, _not under "!"), dmemset/dmemset_off (a fill).
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Macro hints: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: dma_alloc_coherent, safe_dma_buf

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

def dm_is(p, kind):
	return planner['m'].edit(p, kind, 'dma')

def dm_data(p, i):
	return planner['m'].edit_data(p, 'dma')[i]

def dm_dalloc(p): return dm_is(p, 'dalloc')
def dm_drop(p): return dm_is(p, 'drop')
def dm_ublk(p): return dm_is(p, 'ublk')
def dm_ublk_goto(p): return dm_is(p, 'ublk_goto')
def dm_uagoto_blk(p): return dm_is(p, 'uagoto_blk')
def dm_goto(p): return dm_is(p, 'goto')
def dm_agoto(p): return dm_is(p, 'agoto')
def dm_agoto_blk(p): return dm_is(p, 'agoto_blk')
def dm_label(p): return dm_is(p, 'label')
def dm_deadret(p): return dm_is(p, 'deadret')
def dm_decl(p): return dm_is(p, 'decl')
def dm_decl_init(p): return dm_is(p, 'decl_init')
def dm_dfalloc(p): return dm_is(p, 'dfalloc')
def dm_dfallocm(p): return dm_is(p, 'dfallocm')
def dm_derr(p): return dm_is(p, 'derr')
def dm_dnull(p): return dm_is(p, 'dnull')
def dm_dnotnull(p): return dm_is(p, 'dnotnull')
def dm_dcpu(p): return dm_is(p, 'dcpu')
def dm_dh(p): return dm_is(p, 'dh')
def dm_dcopy_from(p): return dm_is(p, 'dcopy_from')
def dm_dcopy_from_not(p): return dm_is(p, 'dcopy_from_not')
def dm_dcopy_from_off(p): return dm_is(p, 'dcopy_from_off')
def dm_dcopy_from_off_not(p): return dm_is(p, 'dcopy_from_off_not')
def dm_dcopy_to(p): return dm_is(p, 'dcopy_to')
def dm_dcopy_to_not(p): return dm_is(p, 'dcopy_to_not')
def dm_dcopy_to_off(p): return dm_is(p, 'dcopy_to_off')
def dm_dcopy_to_off_not(p): return dm_is(p, 'dcopy_to_off_not')
def dm_dmemset(p): return dm_is(p, 'dmemset')
def dm_dmemset_off(p): return dm_is(p, 'dmemset_off')
def dm_dfree(p): return dm_is(p, 'dfree')
def dm_dfield(p): return dm_is(p, 'dfield')
def dm_dhfield(p): return dm_is(p, 'dhfield')
def dm_site(p): return dm_is(p, 'dalloc') or dm_is(p, 'dfalloc') or dm_is(p, 'dfallocm')
def dm_str(p): return str(planner['m'].edit_data(p, 'dma'))

// functions first: the structure rule below then still sees the
// positions spatch parsed

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

@fn depends on patch@
identifier free = {dma_free_coherent};
identifier l, r, x, fld;
type T;
expression E, C, X, I, D, S, H, G, U, L, O, V;
statement S1;
position pa : script:python() { dm_dalloc(pa) };
position pd : script:python() { dm_drop(pd) };
position pb : script:python() { dm_ublk(pb) };
position pbg : script:python() { dm_ublk_goto(pbg) };
position pba : script:python() { dm_uagoto_blk(pba) };
position pt : script:python() { dm_goto(pt) };
position pag : script:python() { dm_agoto(pag) };
position pab : script:python() { dm_agoto_blk(pab) };
position pl : script:python() { dm_label(pl) };
position px : script:python() { dm_deadret(px) };
position pv : script:python() { dm_decl(pv) };
position pvi : script:python() { dm_decl_init(pvi) };
position pfa : script:python() { dm_dfalloc(pfa) };
position pfm : script:python() { dm_dfallocm(pfm) };
position pe : script:python() { dm_derr(pe) };
position pn : script:python() { dm_dnull(pn) };
position pnn : script:python() { dm_dnotnull(pnn) };
position pc : script:python() { dm_dcpu(pc) };
position pcf : script:python() { dm_dcopy_from(pcf) };
position pcfn : script:python() { dm_dcopy_from_not(pcfn) };
position pcfo : script:python() { dm_dcopy_from_off(pcfo) };
position pcfon : script:python() { dm_dcopy_from_off_not(pcfon) };
position pct : script:python() { dm_dcopy_to(pct) };
position pctn : script:python() { dm_dcopy_to_not(pctn) };
position pcto : script:python() { dm_dcopy_to_off(pcto) };
position pcton : script:python() { dm_dcopy_to_off_not(pcton) };
position pms : script:python() { dm_dmemset(pms) };
position pmso : script:python() { dm_dmemset_off(pmso) };
position ph : script:python() { dm_dh(ph) };
position pf : script:python() { dm_dfree(pf) };
fresh identifier BN = script:python(pa) { dm_data(pa, 0) };
fresh identifier BD = script:python(pa) { dm_data(pa, 1) };
fresh identifier HV = script:python(pa) { dm_data(pa, 2) };
fresh identifier RT = script:python(pt) { dm_str(pt) };
fresh identifier RB = script:python(pbg) { dm_str(pbg) };
fresh identifier NF = script:python(ph) { dm_str(ph) };
@@

(
- x@pa = dma_alloc_coherent(D, S, H, G);
+ BD = safe_dma_alloc(D, S, 1, G, 0);
  if (
-     !x
+     IS_ERR(BN)
  ) S1
+ x = safe_dma_cpu_ptr(BN);
+ HV = safe_dma_handle(BN);
|
- T x@pv;
|
- T x@pvi = I;
|
- free@pd(...);
|
- if (C) {
- free@pb(...);
- S1
- }
+ if (C)
+	S1
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
  E->fld =
- dma_alloc_coherent@pfa(D, S, H, G)
+ safe_dma_alloc(D, S, 1, G, 0)
  ;
|
  E->fld =
- dmam_alloc_coherent@pfm(D, S, H, G)
+ devm_safe_dma_alloc(D, S, 1, G, 0)
  ;
|
- !E->fld@pe
+ IS_ERR(E->fld)
|
- !E->fld@pnn
+ IS_ERR_OR_NULL(E->fld)
|
- E->fld@pn
+ !IS_ERR_OR_NULL(E->fld)
|
- copy_from_user@pcf(E->fld, U, L)
+ safe_dma_copy_from_user(E->fld, 0, U, L) != L
|
- !copy_from_user@pcfn(E->fld, U, L)
+ safe_dma_copy_from_user(E->fld, 0, U, L) == L
|
- copy_from_user@pcfo(E->fld + O, U, L)
+ safe_dma_copy_from_user(E->fld, O, U, L) != L
|
- !copy_from_user@pcfon(E->fld + O, U, L)
+ safe_dma_copy_from_user(E->fld, O, U, L) == L
|
- copy_to_user@pct(U, E->fld, L)
+ safe_dma_copy_to_user(E->fld, 0, U, L) != L
|
- !copy_to_user@pctn(U, E->fld, L)
+ safe_dma_copy_to_user(E->fld, 0, U, L) == L
|
- copy_to_user@pcto(U, E->fld + O, L)
+ safe_dma_copy_to_user(E->fld, O, U, L) != L
|
- !copy_to_user@pcton(U, E->fld + O, L)
+ safe_dma_copy_to_user(E->fld, O, U, L) == L
|
- memset@pms(E->fld, V, L)
+ safe_dma_memset(E->fld, 0, V, L)
|
- memset@pmso(E->fld + O, V, L)
+ safe_dma_memset(E->fld, O, V, L)
|
- E->fld@pc
+ safe_dma_cpu_ptr(E->fld)
|
- E->fld@ph
+ safe_dma_handle(E->NF)
|
- \(dma_free_coherent@pf\|dmam_free_coherent@pf\)(D, S, E, H);
+ safe_dma_free(E);
)

@st depends on patch@
identifier sn, cpu, h;
type T1, T2;
position pf : script:python() { dm_dfield(pf) };
position ph : script:python() { dm_dhfield(ph) };
@@
struct sn {
  ...
- T1 *cpu@pf;
+ struct safe_dma_buf *cpu;
  ...
- T2 h@ph;
  ...
};

@has_dma depends on patch@
@@
#include <linux/safe/dma.h>

@depends on patch && (fn || st) && !has_dma@
@@
  #include <linux/...>
+ #include <linux/safe/dma.h>

// ---------------------------------------------------------------- context

@ctx depends on context@
identifier x;
position p : script:python() { dm_site(p) };
@@
* x@p

// ---------------------------------------------------------------- org/report

@site depends on org || report@
identifier x;
position p : script:python() { dm_site(p) };
@@
x@p

@script:python depends on org@
p << site.p;
@@
coccilib.org.print_todo(p[0], "dma_alloc_coherent() buffer can become an owned struct safe_dma_buf")

@script:python depends on report@
p << site.p;
@@
coccilib.report.print_report(p[0], "dma_alloc_coherent() buffer can become an owned struct safe_dma_buf")
