// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs helpers of tests/kunit, for images without that suite.
 */
#include "../kunit/testutil.c"
