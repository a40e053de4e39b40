// SPDX-License-Identifier: GPL-2.0
//
// safe_macros.h - the macro hints spatch's own standard.h lacks for the
// cleanup.h API.  spatch 1.1.1 applies iterator and attribute hints only
// from the file given with --macro-file-builtins, which replaces
// standard.h, so pass the two together (scripts/cocci-macros.sh builds
// that file in the cache):
//
//	cat coccinelle/safe_macros.h /usr/lib/coccinelle/standard.h > hints.h
//	spatch --macro-file-builtins hints.h ...
//
//  - scoped_guard(), scoped_cond_guard() and safe's scoped iterators open a
//    statement like a for loop: without the hint spatch 1.1.1 cannot parse
//    "scoped_guard(mutex, &l) {";
//  - __free(name) is an attribute: without the hint spatch takes "kfree"
//    in "p __free(kfree)" for a type, and later "kfree(p);" calls fail to
//    parse in the same file;
//  - return_ptr(p) is a return statement, so control flow is right.

#define scoped_guard(_name, args...) YACFE_ITERATOR
#define scoped_cond_guard(_name, _fail, args...) YACFE_ITERATOR
#define scoped_class(_name, var, args...) YACFE_ITERATOR
#define safe_scoped_guard(_name, args...) YACFE_ITERATOR
#define safe_locked_scope(_name, var, args...) YACFE_ITERATOR
#define safe_seqlock_read(_sl) YACFE_ITERATOR
#define __free(_name) YACFE_ATTRIBUTE
#define __cleanup(_fn) YACFE_ATTRIBUTE
#define __guarded_by(_l) YACFE_ATTRIBUTE
#define __pt_guarded_by(_l) YACFE_ATTRIBUTE
#define return_ptr(p) return p
