// SPDX-License-Identifier: GPL-2.0
/// break or continue directly inside the body of a scoped_guard() (or
/// scoped_cond_guard(), scoped_class()) that is itself inside a loop (for,
/// while, do, a for_each iterator) or, for break, a switch.
///
/// scoped_guard() is a for loop in <linux/cleanup.h>, so such a break or
/// continue only leaves the guard's scope: the enclosing loop goes on (and
/// a break meant for a switch falls through to the code after the guard).
/// Use an explicit flag or a goto, or guard() in the loop body instead.
/// A break or continue in a loop or switch nested in the guard's body
/// belongs to that and is not reported; nor is one in a guard that is
/// followed right away by "break;" (leaving the guard then leaves the
/// switch or loop as well) or that ends its loop's body (leaving it
/// ends the iteration, as the "goto unlock" it replaced did: the common
/// shape of conversions in sound/ and drivers/hid/ of 7.3).
///
/// spatch 1.1.1 cannot parse scoped_cond_guard() with a statement as its
/// fail action ("return -EINTR"): those functions are not checked.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: scoped_guard, scoped_cond_guard, break, continue
//
// spatch must know the cleanup.h iterators and attributes: pass
// --macro-file-builtins with spatch's standard.h followed by safe's
// coccinelle/safe_macros.h (drivers/safe/scripts/cocci-macros.sh prints
// such a file), in SPFLAGS for make coccicheck.  The macro file declares
// the scoped guards as iterators, which is what they are to spatch's
// control flow: a break or continue in one goes to the guard's end.

virtual context
virtual org
virtual report

// Guards whose exit is the enclosing statement's: followed right away by
// the switch's or loop's break, or ending a loop body.  Only scoped_guard(),
// the shape the 7.3 conversions from "goto unlock" have.
@benign@
iterator name scoped_guard;
iterator I;
position p;
statement S;
@@
(
scoped_guard@p(...) S
break;
|
for (...;...;...) { ... scoped_guard@p(...) S }
|
while (...) { ... scoped_guard@p(...) S }
|
I(...) { ... scoped_guard@p(...) S }
)

// A break or continue whose target is the guard itself.  spatch matches
// break and continue by their target in its control flow: in
// "G(...) { ... break; ... }" only a break that leaves G matches, not one
// of a loop or switch nested in G's body (the macro file makes G an
// iterator, a loop to spatch).
@brk exists@
iterator G =~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position pg != benign.p;
position p;
@@
G@pg(...) {
... when any
break@p;
... when any
}

@cont exists@
iterator G =~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position pg != benign.p;
position p;
@@
G@pg(...) {
... when any
continue@p;
... when any
}

// ... and the guard is inside a loop or, for break, a switch, at any
// depth (a guard in between is no loop of the user's).  A switch body is
// matched from its case labels: SmPL has no nest over a switch's cases.
@bbad exists@
iterator H, I !~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position brk.pg;
position qg;
statement S;
expression E;
@@
(
for (...;...;...) { <+... H@pg@qg(...) S ...+> }
|
for (...;...;...) H@pg@qg(...) S
|
while (...) { <+... H@pg@qg(...) S ...+> }
|
while (...) H@pg@qg(...) S
|
I(...) { <+... H@pg@qg(...) S ...+> }
|
I(...) H@pg@qg(...) S
|
switch (E) { case ...: ... H@pg@qg(...) S ... }
|
switch (E) { default: ... H@pg@qg(...) S ... }
)

@cbad exists@
iterator H, I !~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position cont.pg;
position qg;
statement S;
@@
(
for (...;...;...) { <+... H@pg@qg(...) S ...+> }
|
for (...;...;...) H@pg@qg(...) S
|
while (...) { <+... H@pg@qg(...) S ...+> }
|
while (...) H@pg@qg(...) S
|
I(...) { <+... H@pg@qg(...) S ...+> }
|
I(...) H@pg@qg(...) S
)

// spatch 1.1.1 does not support do-while in patterns ("not supported"):
// a guard in a do-while loop is found by control flow instead, as one
// that control reaches again after leaving it, neither through a goto
// nor through the head of another scoped guard (itself a loop to
// spatch).  A guard in a guard in a do-while is therefore not found.
@bdo exists@
iterator H, G =~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position brk.pg;
position qg != bbad.qg;
statement S, S2;
identifier l;
@@
H@pg@qg(...) S
... when != G(...) S2
    when != goto l;
H@pg(...) S

@cdo exists@
iterator H, G =~ "^(scoped_guard|scoped_cond_guard|scoped_class|safe_scoped_guard|safe_locked_scope|safe_seqlock_read)$";
position cont.pg;
position qg != cbad.qg;
statement S, S2;
identifier l;
@@
H@pg@qg(...) S
... when != G(...) S2
    when != goto l;
H@pg(...) S

@depends on context@
position brk.p, bbad.qg;
iterator H;
@@
H@qg(...) { <+...
* break@p;
...+> }

@depends on context@
position brk.p, bdo.qg;
iterator H;
@@
H@qg(...) { <+...
* break@p;
...+> }

@depends on context@
position cont.p, cbad.qg;
iterator H;
@@
H@qg(...) { <+...
* continue@p;
...+> }

@depends on context@
position cont.p, cdo.qg;
iterator H;
@@
H@qg(...) { <+...
* continue@p;
...+> }

@script:python depends on org@
p << brk.p;
pg << bbad.qg;
g << bbad.H;
@@
coccilib.org.print_todo(p[0], "break in %s() at line %s leaves only the scope of the guard, not the loop or switch around it" % (g, pg[0].line))

@script:python depends on org@
p << brk.p;
pg << bdo.qg;
g << bdo.H;
@@
coccilib.org.print_todo(p[0], "break in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))

@script:python depends on org@
p << cont.p;
pg << cbad.qg;
g << cbad.H;
@@
coccilib.org.print_todo(p[0], "continue in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))

@script:python depends on org@
p << cont.p;
pg << cdo.qg;
g << cdo.H;
@@
coccilib.org.print_todo(p[0], "continue in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))

@script:python depends on report@
p << brk.p;
pg << bbad.qg;
g << bbad.H;
@@
coccilib.report.print_report(p[0], "break in %s() at line %s leaves only the scope of the guard, not the loop or switch around it" % (g, pg[0].line))

@script:python depends on report@
p << brk.p;
pg << bdo.qg;
g << bdo.H;
@@
coccilib.report.print_report(p[0], "break in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))

@script:python depends on report@
p << cont.p;
pg << cbad.qg;
g << cbad.H;
@@
coccilib.report.print_report(p[0], "continue in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))

@script:python depends on report@
p << cont.p;
pg << cdo.qg;
g << cdo.H;
@@
coccilib.report.print_report(p[0], "continue in %s() at line %s leaves only the scope of the guard, not the loop around it" % (g, pg[0].line))
