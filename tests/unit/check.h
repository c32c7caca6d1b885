/* SPDX-License-Identifier: BSD-2-Clause
 *
 * check.h - tiny TAP-style test helpers for tests/unit/test_*.c.
 *
 * Each CHECK prints "ok - <desc>" or "not ok - <desc>" with both values;
 * tests/run.sh counts the lines. A test binary returns check_exit().
 */
#ifndef ORBAT_TESTS_CHECK_H
#define ORBAT_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int check_failures;
static int check_count;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        check_count++;                                                                             \
        if (cond) {                                                                                \
            printf("ok - ");                                                                       \
        } else {                                                                                   \
            check_failures++;                                                                      \
            printf("not ok - %s:%d: ", __FILE__, __LINE__);                                        \
        }                                                                                          \
        printf(__VA_ARGS__);                                                                       \
        printf("\n");                                                                              \
    } while (0)

#define CHECK_EQ_INT(a, b, desc)                                                                   \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        CHECK(check_a_ == check_b_, "%s (%lld == %lld)", desc, check_a_, check_b_);                \
    } while (0)

#define CHECK_EQ_STR(a, b, desc)                                                                   \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        CHECK(check_a_ &&check_b_ &&strcmp(check_a_, check_b_) == 0, "%s (\"%s\" == \"%s\")",      \
              desc, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");               \
    } while (0)

#define CHECK_NEAR(a, b, tol, desc)                                                                \
    do {                                                                                           \
        double check_a_ = (a), check_b_ = (b);                                                     \
        CHECK(check_a_ - check_b_ <= (tol) && check_b_ - check_a_ <= (tol), "%s (%.9g ~ %.9g)",    \
              desc, check_a_, check_b_);                                                           \
    } while (0)

static inline int check_exit(void)
{
    fflush(stdout);
    return check_failures ? 1 : 0;
}

#endif /* ORBAT_TESTS_CHECK_H */
