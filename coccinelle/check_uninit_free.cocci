// SPDX-License-Identifier: GPL-2.0
/// A variable declared with __free() (or __cleanup()) and no initializer.
///
/// Its cleanup runs on every exit from its scope, also on the paths that
/// leave before the first assignment, and then frees whatever the stack
/// held.  <linux/cleanup.h> asks to declare such a variable where it is
/// allocated, "T *p __free(kfree) = kmalloc(...);", or at least to
/// initialize it, "= NULL".
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: 1.1.1
// Keywords: __free, __cleanup, cleanup
//
// spatch must know the cleanup.h iterators and attributes: pass
// --macro-file-builtins with spatch's standard.h followed by safe's
// coccinelle/safe_macros.h (drivers/safe/scripts/cocci-macros.sh prints
// such a file), in SPFLAGS for make coccicheck.

virtual context
virtual org
virtual report

@ctx depends on context@
type T;
identifier x;
attribute name __free, __cleanup;
@@
(
* T x __free(...);
|
* T x __cleanup(...);
)

@r depends on org || report@
type T;
identifier x;
position p;
attribute name __free, __cleanup;
@@
(
T x@p __free(...);
|
T x@p __cleanup(...);
)

@script:python depends on org@
p << r.p;
x << r.x;
@@
coccilib.org.print_todo(p[0], "%s has a cleanup attribute but no initializer: its cleanup can run on garbage" % x)

@script:python depends on report@
p << r.p;
x << r.x;
@@
coccilib.report.print_report(p[0], "%s has a cleanup attribute but no initializer: its cleanup can run on garbage" % x)
