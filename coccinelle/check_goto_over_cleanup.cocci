// SPDX-License-Identifier: GPL-2.0
/// A goto that jumps into the scope of a cleanup variable past its
/// declaration: guard(), CLASS(), or a variable declared with __free() or
/// __cleanup(), between the goto and its label, in a block that also holds
/// the label.
///
/// The cleanup still runs when the scope is left, on a lock that was never
/// taken or a pointer that was never initialized.  clang rejects such a
/// jump ("jump bypasses initialization of variable with
/// __attribute__((cleanup))"); gcc accepts it silently.  Move the
/// declaration up, into a block of its own (scoped_guard()), or make the
/// goto a return.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: goto, guard, CLASS, __free, cleanup
//
// spatch must know the cleanup.h iterators and attributes: pass
// --macro-file-builtins with spatch's standard.h followed by safe's
// coccinelle/safe_macros.h (drivers/safe/scripts/cocci-macros.sh prints
// such a file), in SPFLAGS for make coccicheck.
//
// How it decides.  The dots of a "{ ... }" pattern follow control flow
// but stay inside that block: they descend into nested blocks, never
// leave it.  So "{ ... D ... X ... }" on the innermost block around a
// declaration D says that X comes after D in D's scope.  The innermost
// block is the one around D with no block around D inside it; rules that
// "depends on !" another rule with the same inherited metavariables hold
// where that rule failed for those values (a per-match negation).

virtual context
virtual org
virtual report

// Every declaration whose scope ends with a cleanup.
@decl@
position pd;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)

// Every block around one, at any depth ...
@dblk exists@
position decl.pd;
position pb;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
{@pb
... when any
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
... when any
}

// ... the blocks around it that have another block around it inside
// (the position on the inner brace keeps spatch's isomorphisms from
// matching "{ ... D ... }" to D without braces) ...
@outer exists@
position dblk.pb, decl.pd;
position pi;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
{@pb
... when any
{@pi
... when any
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
... when any
}
... when any
}

// ... and so the innermost one, its scope (marked mi).
@inner depends on !outer exists@
position dblk.pb, decl.pd;
position mi;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
{@pb@mi
... when any
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
... when any
}

// Labels after the declaration in its scope.
@lab exists@
position dblk.pb, decl.pd, inner.mi;
identifier l;
position pl;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
{@pb@mi
... when any
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
... when any
l@pl:
... when any
}

// Every goto to such a label (control reaches the label from it, so it
// is in the same function).
@gto exists@
identifier lab.l;
position lab.pl;
position pg;
@@
goto@pg l;
... when any
l@pl:

// Gotos to it from inside the scope, after the declaration: these do not
// bypass it.
@gin exists@
position dblk.pb, decl.pd, inner.mi, gto.pg;
identifier lab.l;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
{@pb@mi
... when any
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
... when any
goto@pg l;
... when any
}

// The others jump into the scope past the declaration: from before it or
// from outside its block.  (The disjunction only names every inherited
// metavariable, which a per-match "depends on !gin" needs.)
@bad depends on !gin@
position dblk.pb, decl.pd, inner.mi, gto.pg;
identifier lab.l;
position q;
type T;
identifier x;
expression E;
attribute name __free, __cleanup;
@@
(
{@pb@mi ... }
|
(
guard@pd(...)(...);
|
CLASS@pd(...)(...);
|
T x@pd __free(...) = E;
|
T x@pd __free(...);
|
T x@pd __cleanup(...) = E;
|
T x@pd __cleanup(...);
)
|
goto@pg@q l;
)

@depends on context@
position bad.q;
identifier lab.l;
@@
* goto@q l;

@script:python depends on org@
p << bad.q;
l << lab.l;
pd << decl.pd;
@@
coccilib.org.print_todo(p[0], "goto %s jumps past the cleanup declared at line %s into its scope: the cleanup would run uninitialized" % (l, pd[0].line))

@script:python depends on report@
p << bad.q;
l << lab.l;
pd << decl.pd;
@@
coccilib.report.print_report(p[0], "goto %s jumps past the cleanup declared at line %s into its scope: the cleanup would run uninitialized" % (l, pd[0].line))
