// SPDX-License-Identifier: GPL-2.0
/// guard() in a function longer than a limit: the lock is then held to
/// the end of a long scope, which is easy to miss when reading or changing
/// the function.  Prefer scoped_guard() around the critical section, or
/// split the function.  Documentation/process/maintainer-netdev.rst
/// discourages guard() in functions longer than 20 lines.
///
/// The length is the number of lines between the function's opening and
/// closing braces.  The limit is 20; -D guard_max_lines=N changes it
/// (make migrate passes a profile's check_guard_lines that way).  Every
/// guard() of such a function is reported.
//
// Confidence: High
// Copyright: (C) 2025 The safe authors.
// Options: --no-includes --include-headers
// Requires: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: guard, scoped_guard, netdev

virtual context
virtual org
virtual report

@initialize:python@
@@
import os, sys

DEFAULT_MAX_LINES = 20
_limit = [None]
_lines = {}

def limit(v):
	if _limit[0] is None:
		_limit[0] = int(v) if v else DEFAULT_MAX_LINES
	return _limit[0]

def too_long(p):
	n = body_lines(p)
	return n is not None and n > limit(None)

def message(p):
	return "guard() in %s(), a function of %d lines (over %d): prefer scoped_guard()" % (
		p[0].current_element, body_lines(p), limit(None))

def body_lines(p):
	"""Lines between the braces of the function around p, or None."""
	l = p[0]
	if l.file not in _lines:
		try:
			with open(l.file, errors='replace') as f:
				_lines[l.file] = f.read().split('\n')
		except OSError:
			_lines[l.file] = None
	text = _lines[l.file]
	first, last = int(l.current_element_line), int(l.current_element_line_end)
	if text is None or first >= last:
		return None
	for n in range(first, last + 1):
		if '{' in text[n - 1]:
			return last - n - 1
	return None

@script:python@
v << virtual.guard_max_lines = "";
@@
limit(v)

@g@
position p : script:python() { too_long(p) };
@@
guard@p(...)(...);

@ctx depends on context@
position g.p;
@@
* guard@p(...)(...);

@script:python depends on org@
p << g.p;
@@
coccilib.org.print_todo(p[0], message(p))

@script:python depends on report@
p << g.p;
@@
coccilib.report.print_report(p[0], message(p))
