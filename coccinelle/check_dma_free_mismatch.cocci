// SPDX-License-Identifier: GPL-2.0
/// dma_free_coherent() whose device, size or DMA handle differs from the
/// dma_alloc_coherent() of the same CPU pointer in the same file, and
/// frees that mix the managed and unmanaged forms: dma_free_coherent() of
/// a dmam_alloc_coherent() buffer (devres frees it again on unbind) and
/// dmam_free_coherent() of a dma_alloc_coherent() one.
///
/// The allocation is found by the CPU pointer: the same expression
/// (priv->ring; a plain identifier only in the same function), or else,
/// when the file has no allocation of that expression, the same field
/// through another pointer to the same struct type (p->ring where probe
/// wrote priv->ring).  Only differences the code shows are reported:
///  - managed against unmanaged;
///  - the device of a struct net_device (never the one to map DMA for)
///    on one side only; other devices may be reached many ways;
///  - two different macros as sizes (RSQSIZE, TSQSIZE);
///  - sizes or handles in different fields reached from the same
///    variable (rctx->residue.size against rctx->blk_size), a handle
///    not being copied into the other field anywhere in the file
///    (pool->phys = pool->hw_addr);
///  - sizes or handles in different local variables of the function.
/// The frees of a pointer the file also assigns something other than NULL,
/// 0 or an allocation (part of another buffer) are not compared.
/// struct safe_dma_buf (<linux/safe/dma.h>) records all three, so its
/// free cannot differ.
//
// Confidence: Moderate
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: dma_alloc_coherent, dma_free_coherent, dmam_alloc_coherent
//
// spatch must know the cleanup.h iterators and attributes: pass
// --macro-file-builtins with spatch's standard.h followed by safe's
// coccinelle/safe_macros.h (drivers/safe/scripts/cocci-macros.sh prints
// such a file), in SPFLAGS for make coccicheck.
//
// How it decides.  Rules that inherit metavariables of earlier rules run
// once per earlier match and keep its bindings, so a rule inheriting the
// allocation of a pair (pe.pa) and the free (fr.pf) sees that pair only.
// "depends on !R", R inheriting only metavariables the rule inherits too,
// holds where R failed for those values: a negation per pair.  Every rule
// that finds a difference marks the free with its position m; the
// context rule stars the frees marked by any of them.

virtual context
virtual org
virtual report

@initialize:python@
@@
mode = 'report'

def tidy(e):
	# expressions come as "& p -> dev"; the messages say "&p->dev"
	return e.replace(' -> ', '->').replace(' . ', '.').replace('& ', '&')

def out(p, free, cpu, alloc, pa, what):
	msg = '%s() of %s differs from %s() at line %s: %s' % (
		free, tidy(cpu), alloc, pa[0].line, tidy(what))
	if mode == 'org':
		coccilib.org.print_todo(p[0], msg)
	else:
		coccilib.report.print_report(p[0], msg)

@script:python depends on org@
@@
mode = 'org'

// ---------------------------------------------------------------------
// Frees (fm: managed, fu: unmanaged), their CPU pointer without a cast
// ---------------------------------------------------------------------

@fr@
identifier free = {dma_free_coherent, dmam_free_coherent};
expression D2, S2, C2, H2;
type T;
position pf;
@@
free@pf(D2, S2, \( (T)C2 \| C2 \), H2)

@frm@
position fr.pf;
position fm;
@@
dmam_free_coherent@pf@fm(...)

@fru@
position fr.pf;
position fu;
@@
dma_free_coherent@pf@fu(...)

// Calls whose device is the struct device of a struct net_device.
@frnd@
identifier fn;
struct net_device *N;
position p;
@@
fn@p(&N->dev, ...)

// Frees whose CPU pointer is a plain identifier.
@isid@
position fr.pf;
identifier fn, x;
expression E1, E2, E3;
type T;
@@
fn@pf(E1, E2, \( (T)x \| x \), E3)

// Values that do not make a pointer another buffer: NULL, 0 and the
// allocations themselves ...
@notstore@
expression L;
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
position q;
@@
L@q = \( NULL \| 0 \| alloc(...) \)

// ... so a pointer assigned anything else also points elsewhere: its
// frees are not compared (priv->ring = priv->mem + off).
@stored@
expression fr.C2, E;
position q != notstore.q;
@@
C2@q = E

// ---------------------------------------------------------------------
// Pairs
// ---------------------------------------------------------------------

// An allocation of the same expression ("T *p = alloc(...)" matches too,
// by spatch's isomorphism from assignments to initialized declarations).
@pe depends on !stored@
expression fr.C2;
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
expression D, S, H, G;
position pa;
@@
C2 = alloc@pa(D, S, H, G)

// The allocation is in the function of the free, before it.
@samefn exists@
position fr.pf, pe.pa;
expression fr.C2;
identifier alloc, fn, x;
type T;
position sf;
@@
(
C2 = alloc@pa(...);
|
T x = alloc@pa(...);
)
... when any
fn@pf@sf(...);

// A plain identifier is paired only in its function.
@pok depends on samefn || !isid@
position fr.pf, pe.pa;
expression fr.C2;
identifier alloc;
position pp;
@@
C2 = alloc@pa@pp(...)

// Frees with an allocation of the same expression ...
@exact depends on pe@
position pe.pa, fr.pf;
identifier fn;
position ex;
@@
fn@pf@ex(...)

// ... and the others, whose pointer is a field through a pointer to a
// struct type (p->ring) ...
@frf@
position fr.pf;
identifier fn, fld;
type T, TB;
TB *EF;
expression E1, E2, E3;
position m != exact.ex;
@@
fn@pf@m(E1, E2, \( (T)EF->fld \| EF->fld \), E3)

@fnotstore@
identifier frf.fld;
expression X;
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
position q;
@@
\( X->fld@q \| X.fld@q \) = \( NULL \| 0 \| alloc(...) \)

@fstored@
identifier frf.fld;
expression X, E;
position q != fnotstore.q;
@@
\( X->fld@q \| X.fld@q \) = E

// ... paired with an allocation of that field through another pointer
// to the same struct type (priv->ring), unless the field is assigned
// anything else anywhere.
@pr depends on !fstored@
position frf.m;
type frf.TB;
identifier frf.fld;
TB *EA;
identifier alloc = {dma_alloc_coherent, dmam_alloc_coherent, dma_zalloc_coherent};
expression D, S, H, G;
position pa;
@@
EA->fld = alloc@pa(D, S, H, G)

// ---------------------------------------------------------------------
// Differences for a pair of the same expression
// ---------------------------------------------------------------------

// Managed allocation, unmanaged free, and the reverse.
@e_am@
position pok.pp;
position am;
@@
dmam_alloc_coherent@pp@am(...)

@e_au@
position pok.pp;
position au;
@@
\( dma_alloc_coherent@pp@au \| dma_zalloc_coherent@pp@au \)(...)

@e_mg1 depends on e_am@
position e_am.am, fru.fu;
position m;
@@
dma_free_coherent@fu@m(...)

@e_mg2 depends on e_au@
position e_au.au, frm.fm;
identifier alloc;
position m;
@@
dmam_free_coherent@fm@m(...)

// The device of a net_device on one side only.
@e_an@
position pok.pp;
struct net_device *N;
identifier alloc;
position an;
@@
alloc@pp@an(&N->dev, ...)

@e_ao@
position pok.pp;
identifier alloc;
position ao != frnd.p;
@@
alloc@pp@ao(...)

@e_nd1 depends on e_an@
position e_an.an, fr.pf;
identifier fn, alloc;
position m != frnd.p;
@@
fn@pf@m(...)

@e_nd2 depends on e_ao@
position e_ao.ao, fr.pf;
identifier fn, alloc;
struct net_device *N;
position m;
@@
fn@pf@m(&N->dev, ...)

// Two different macros as sizes.
@e_szm@
position pok.pp;
identifier alloc;
identifier M1 =~ "^[A-Z][A-Z0-9_]*$";
expression D, H, G;
@@
alloc@pp(D, M1, H, G)

@e_szm_same@
identifier e_szm.M1;
position fr.pf;
identifier fn;
expression E1, E3, E4;
@@
fn@pf(E1, M1, E3, E4)

@e_szm_diff depends on e_szm && !e_szm_same@
identifier e_szm.M1;
position fr.pf;
identifier fn, alloc;
identifier M2 =~ "^[A-Z][A-Z0-9_]*$";
expression E1, E3, E4;
position m;
@@
fn@pf@m(E1, M2, E3, E4)

// Sizes in different fields reached from the same variable r.
@e_szf@
position pok.pp;
identifier alloc, r, f1;
expression D, H, G;
@@
alloc@pp(D, \( <+... r ...+>->f1 \| <+... r ...+>.f1 \), H, G)

@e_szf_same@
identifier e_szf.f1;
position fr.pf;
identifier fn;
expression E, E1, E3, E4;
@@
fn@pf(E1, \( E->f1 \| E.f1 \), E3, E4)

@e_szf_diff depends on e_szf && !e_szf_same@
identifier e_szf.r, e_szf.f1;
position fr.pf;
identifier fn, f2, alloc;
expression E1, E3, E4;
position m;
@@
fn@pf@m(E1, \( <+... r ...+>->f2 \| <+... r ...+>.f2 \), E3, E4)

// Sizes in different local variables of the function of both.
@e_szl@
position pok.pp;
identifier alloc;
identifier s1 =~ "^[a-z_][a-z0-9_]*$";
expression D, H, G;
@@
alloc@pp(D, s1, H, G)

@e_szl_same@
identifier e_szl.s1;
position fr.pf;
identifier fn;
expression E1, E3, E4;
@@
fn@pf(E1, s1, E3, E4)

@e_szl_diff depends on e_szl && samefn && !e_szl_same@
identifier e_szl.s1;
position fr.pf, samefn.sf;
identifier fn, alloc;
identifier s2 =~ "^[a-z_][a-z0-9_]*$";
expression E1, E3, E4;
position m;
@@
fn@sf@m(E1, s2, E3, E4)

// Handles in different fields reached from the same variable r, neither
// copied into the other anywhere in the file.
@e_hf@
position pok.pp;
identifier alloc, r, h1;
expression D, S, G;
@@
alloc@pp(D, S, &\( <+... r ...+>->h1 \| <+... r ...+>.h1 \), G)

@e_hf_same@
identifier e_hf.h1;
position fr.pf;
identifier fn;
expression E, E1, E2, E3;
@@
fn@pf(E1, E2, E3, \( E->h1 \| E.h1 \))

@e_hf_other depends on e_hf && !e_hf_same@
identifier e_hf.r, e_hf.h1;
position fr.pf;
identifier fn, h2;
expression E1, E2, E3;
position m0;
@@
fn@pf@m0(E1, E2, E3, \( <+... r ...+>->h2 \| <+... r ...+>.h2 \))

@e_hf_copied@
identifier e_hf.h1, e_hf_other.h2;
expression X, Y;
@@
(
\( X->h2 \| X.h2 \) = \( Y->h1 \| Y.h1 \)
|
\( X->h1 \| X.h1 \) = \( Y->h2 \| Y.h2 \)
)

@e_hf_diff depends on e_hf_other && !e_hf_copied@
identifier e_hf.h1, e_hf_other.h2;
position e_hf_other.m0;
identifier fn;
position m;
@@
fn@m0@m(...)

// Handles in different local variables of the function of both.
@e_hl@
position pok.pp;
identifier alloc, h1;
expression D, S, G;
@@
alloc@pp(D, S, &h1, G)

@e_hl_same@
identifier e_hl.h1;
position fr.pf;
identifier fn;
expression E1, E2, E3;
@@
fn@pf(E1, E2, E3, h1)

@e_hl_diff depends on e_hl && samefn && !e_hl_same@
identifier e_hl.h1;
position fr.pf, samefn.sf;
identifier fn, h2, alloc;
expression E1, E2, E3;
position m;
@@
fn@sf@m(E1, E2, E3, h2)

// ---------------------------------------------------------------------
// Differences for a pair through another pointer (no rebasing of
// expressions: only the kinds, devices and macro sizes are compared)
// ---------------------------------------------------------------------

@r_am@
position pr.pa;
position am;
@@
dmam_alloc_coherent@pa@am(...)

@r_au@
position pr.pa;
position au;
@@
\( dma_alloc_coherent@pa@au \| dma_zalloc_coherent@pa@au \)(...)

@r_mg1 depends on r_am@
position r_am.am, fru.fu;
position m;
@@
dma_free_coherent@fu@m(...)

@r_mg2 depends on r_au@
position r_au.au, frm.fm;
identifier alloc;
position m;
@@
dmam_free_coherent@fm@m(...)

@r_an@
position pr.pa;
struct net_device *N;
identifier alloc;
position an;
@@
alloc@pa@an(&N->dev, ...)

@r_ao@
position pr.pa;
identifier alloc;
position ao != frnd.p;
@@
alloc@pa@ao(...)

@r_nd1 depends on r_an@
position r_an.an, fr.pf;
identifier fn, alloc;
position m != frnd.p;
@@
fn@pf@m(...)

@r_nd2 depends on r_ao@
position r_ao.ao, fr.pf;
identifier fn, alloc;
struct net_device *N;
position m;
@@
fn@pf@m(&N->dev, ...)

@r_szm@
position pr.pa;
identifier alloc;
identifier M1 =~ "^[A-Z][A-Z0-9_]*$";
expression D, H, G;
@@
alloc@pa(D, M1, H, G)

@r_szm_same@
identifier r_szm.M1;
position fr.pf;
identifier fn;
expression E1, E3, E4;
@@
fn@pf(E1, M1, E3, E4)

@r_szm_diff depends on r_szm && !r_szm_same@
identifier r_szm.M1;
position fr.pf;
identifier fn, alloc;
identifier M2 =~ "^[A-Z][A-Z0-9_]*$";
expression E1, E3, E4;
position m;
@@
fn@pf@m(E1, M2, E3, E4)

// ---------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------

// Frees no rule marked, and so the marked ones.
@ok depends on context@
position fr.pf;
identifier fn;
position q != {e_mg1.m, e_mg2.m, e_nd1.m, e_nd2.m, e_szm_diff.m,
	e_szf_diff.m, e_szl_diff.m, e_hf_diff.m, e_hl_diff.m, r_mg1.m,
	r_mg2.m, r_nd1.m, r_nd2.m, r_szm_diff.m};
@@
fn@pf@q(...)

@depends on context@
position fr.pf;
identifier fn;
position p != ok.q;
@@
* fn@pf@p(...)

@script:python depends on org || report@
p << e_mg1.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc;
@@
out(p, f, c, a, pa, "the buffer is from dmam_alloc_coherent(), which devres frees again")

@script:python depends on org || report@
p << e_mg2.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc;
@@
out(p, f, c, a, pa, "the buffer is from %s(), not devres-managed" % a)

@script:python depends on org || report@
p << e_nd1.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; d << fr.D2; ad << pe.D;
@@
out(p, f, c, a, pa, "device %s, allocated with %s (a net_device)" % (d, ad))

@script:python depends on org || report@
p << e_nd2.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; d << fr.D2; ad << pe.D;
@@
out(p, f, c, a, pa, "device %s (a net_device), allocated with %s" % (d, ad))

@script:python depends on org || report@
p << e_szm_diff.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; s << fr.S2; al << pe.S;
@@
out(p, f, c, a, pa, "size %s, allocated with %s" % (s, al))

@script:python depends on org || report@
p << e_szf_diff.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; s << fr.S2; al << pe.S;
@@
out(p, f, c, a, pa, "size %s, allocated with %s" % (s, al))

@script:python depends on org || report@
p << e_szl_diff.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; s << fr.S2; al << pe.S;
@@
out(p, f, c, a, pa, "size %s, allocated with %s" % (s, al))

@script:python depends on org || report@
p << e_hf_diff.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; h << fr.H2; ah << pe.H;
@@
out(p, f, c, a, pa, "handle %s, allocated into %s" % (h, ah[1:].strip()))

@script:python depends on org || report@
p << e_hl_diff.m; f << fr.free; c << fr.C2; pa << pe.pa; a << pe.alloc; h << fr.H2; ah << pe.H;
@@
out(p, f, c, a, pa, "handle %s, allocated into %s" % (h, ah[1:].strip()))

@script:python depends on org || report@
p << r_mg1.m; f << fr.free; c << fr.C2; pa << pr.pa; a << pr.alloc;
@@
out(p, f, c, a, pa, "the buffer is from dmam_alloc_coherent(), which devres frees again")

@script:python depends on org || report@
p << r_mg2.m; f << fr.free; c << fr.C2; pa << pr.pa; a << pr.alloc;
@@
out(p, f, c, a, pa, "the buffer is from %s(), not devres-managed" % a)

@script:python depends on org || report@
p << r_nd1.m; f << fr.free; c << fr.C2; pa << pr.pa; a << pr.alloc; d << fr.D2; ad << pr.D;
@@
out(p, f, c, a, pa, "device %s, allocated with %s (a net_device)" % (d, ad))

@script:python depends on org || report@
p << r_nd2.m; f << fr.free; c << fr.C2; pa << pr.pa; a << pr.alloc; d << fr.D2; ad << pr.D;
@@
out(p, f, c, a, pa, "device %s (a net_device), allocated with %s" % (d, ad))

@script:python depends on org || report@
p << r_szm_diff.m; f << fr.free; c << fr.C2; pa << pr.pa; a << pr.alloc; s << fr.S2; al << pr.S;
@@
out(p, f, c, a, pa, "size %s, allocated with %s" % (s, al))
