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
// Requires: SPFLAGS="--macro-file-builtins FILE", FILE from
// drivers/safe/scripts/cocci-macros.sh (spatch's standard.h and
// coccinelle/safe_macros.h)
// Keywords: scoped_guard, scoped_cond_guard, break, continue

virtual context
virtual org
virtual report

@initialize:python@
@@
SCOPED = ('scoped_guard', 'scoped_cond_guard', 'scoped_class',
	'safe_scoped_guard', 'safe_locked_scope', 'safe_seqlock_read')

# file -> {start: (kind, name, end)}: loops, switches, scoped guards
spans = {}
# file -> {start: iterator name}
iters = {}
# (file, line, column) -> message
found = {}
# file -> set of guard starts whose exit is the enclosing statement's
benign = {}

def _pos(l):
	return (int(l.line), int(l.column))

def _end(l):
	return (int(l.line_end), int(l.column_end))

def _kind(p, s):
	w = s.split(None, 1)[0] if s.strip() else ''
	if w in ('for', 'while', 'do'):
		return ('loop', w)
	if w == 'switch':
		return ('switch', w)
	name = iters.get(p.file, {}).get(_pos(p))
	if name is None:
		return None
	if name in SCOPED:
		return ('scoped', name)
	return ('loop', name)

def leaves_guard_only(p, what):
	l = p[0]
	at = _pos(l)
	around = [(s, k, n) for s, (k, n, e) in spans.get(l.file, {}).items()
		  if s < at < e and (k != 'switch' or what == 'break')]
	if not around:
		return False
	around.sort()
	s, k, n = around[-1]
	if k != 'scoped':
		return False
	if s in benign.get(l.file, ()):
		return False
	outer = [x for x in around[:-1] if x[1] in ('loop', 'switch')]
	if not outer:
		return False
	os_, ok, on = outer[-1]
	if ok == 'switch':
		on = 'switch'
	elif on in ('for', 'while', 'do'):
		on = on + ' loop'
	else:
		on = on + '() loop'
	found[(l.file, at[0], at[1])] = (
		'%s in %s() at line %d leaves only the scope of the guard, not the %s at line %d'
		% (what, n, s[0], on, os_[0]))
	return True

def is_break(p):
	return leaves_guard_only(p, 'break')

def is_continue(p):
	return leaves_guard_only(p, 'continue')

def msg(p):
	l = p[0]
	return found[(l.file, int(l.line), int(l.column))]

@tail@
iterator name scoped_guard, scoped_cond_guard, scoped_class;
position p;
statement S;
expression E1, E2, E3;
iterator I;
@@
(
scoped_guard@p(...) S
break;
|
for (E1;E2;E3) { ... scoped_guard@p(...) S }
|
while (E1) { ... scoped_guard@p(...) S }
|
I(...) { ... scoped_guard@p(...) S }
)

@script:python@
p << tail.p;
@@
benign.setdefault(p[0].file, set()).add(_pos(p[0]))

@it@
iterator I;
statement S;
position p;
@@
I@p(...) S

@script:python@
p << it.p;
I << it.I;
@@
iters.setdefault(p[0].file, {})[_pos(p[0])] = I

@st@
statement S;
position p;
@@
S@p

@script:python@
p << st.p;
S << st.S;
@@
k = _kind(p[0], S)
if k:
	spans.setdefault(p[0].file, {})[_pos(p[0])] = (k[0], k[1], _end(p[0]))

@ctx depends on context@
position pb : script:python() { is_break(pb) };
position pc : script:python() { is_continue(pc) };
@@
(
* break@pb;
|
* continue@pc;
)

@bad depends on org || report@
position pb : script:python() { is_break(pb) };
position pc : script:python() { is_continue(pc) };
@@
(
break@pb;
|
continue@pc;
)

@script:python depends on org@
p << bad.pb;
@@
coccilib.org.print_todo(p[0], msg(p))

@script:python depends on org@
p << bad.pc;
@@
coccilib.org.print_todo(p[0], msg(p))

@script:python depends on report@
p << bad.pb;
@@
coccilib.report.print_report(p[0], msg(p))

@script:python depends on report@
p << bad.pc;
@@
coccilib.report.print_report(p[0], msg(p))
