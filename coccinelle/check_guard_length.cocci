// SPDX-License-Identifier: GPL-2.0
/// guard() in a function longer than a limit: the lock is then held to
/// the end of a long scope, which is easy to miss when reading or changing
/// the function.  Prefer scoped_guard() around the critical section, or
/// split the function.  Documentation/process/maintainer-netdev.rst
/// discourages guard() in functions longer than 20 lines.
///
/// The length is the number of lines between the function's opening and
/// closing braces.  The limit is 20; -D guard_max_lines=N changes it.
/// Every guard() of such a function is reported.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: guard, scoped_guard, netdev
//
// spatch must know the cleanup.h iterators and attributes: pass
// --macro-file-builtins with spatch's standard.h followed by safe's
// coccinelle/safe_macros.h (drivers/safe/scripts/cocci-macros.sh prints
// such a file), in SPFLAGS for make coccicheck.

virtual context
virtual org
virtual report

// The limit: -D guard_max_lines=N, 20 without it.
@initialize:python@
@@
max_lines = 20

@script:python@
v << virtual.guard_max_lines = "20";
@@
max_lines = int(v)

// Each function: its name and the positions of its braces.
@body@
identifier f;
position pb, pe;
@@
f(...) {@pb ... }@pe

// One whose body is longer than the limit.  SmPL has no arithmetic on
// positions: comparing the distance between the braces with the limit is
// left to a script constraint (a constraint can only read metavariables
// bound by an earlier rule, hence the second match of the function).
@big@
identifier body.f;
position body.pb, body.pe;
position p : script:python(pb, pe) {
	int(pe[0].line) - int(pb[0].line) - 1 > max_lines
};
@@
f@p(...) {@pb ... }@pe

// Every guard() of such a function.
@g exists@
identifier body.f;
position body.pb, body.pe, big.p;
position pg;
@@
f@p(...) {@pb
... when any
* guard@pg(...)(...);
... when any
}@pe

@script:python depends on org@
f << body.f;
pb << body.pb;
pe << body.pe;
p << g.pg;
@@
coccilib.org.print_todo(p[0], "guard() in %s(), a function of %d lines (over %d): prefer scoped_guard()"
	% (f, int(pe[0].line) - int(pb[0].line) - 1, max_lines))

@script:python depends on report@
f << body.f;
pb << body.pb;
pe << body.pe;
p << g.pg;
@@
coccilib.report.print_report(p[0], "guard() in %s(), a function of %d lines (over %d): prefer scoped_guard()"
	% (f, int(pe[0].line) - int(pb[0].line) - 1, max_lines))
