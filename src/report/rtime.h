/* SPDX-License-Identifier: BSD-2-Clause
 *
 * rtime.h - the times and durations that reports take and print: ISO 8601
 * UTC ("2025-10-23", "2025-10-23T00:00Z", "2025-10-23 12:34:56Z"), unix
 * seconds ("@1761177600") and durations ("7d", "12h", "90m", "2w").
 *
 * Pure functions; no allocation, no time zone: everything is UTC.
 */
#ifndef ORBAT_REPORT_RTIME_H
#define ORBAT_REPORT_RTIME_H

#include <stddef.h>
#include <stdint.h>

/* Parse a time into unix milliseconds. "now" is the current time. Returns 0,
 * or -1 when S is not a time we understand. */
int rtime_parse(const char *s, int64_t *ms);
/* Parse a duration ("7d", "36h", "30m", "45s", "2w"; a bare number is days).
 * Returns 0, or -1 (also for zero or negative durations). */
int rtime_parse_duration(const char *s, int64_t *ms);
/* Write "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with the NUL). */
void rtime_format(int64_t ms, char *buf, size_t size);
/* Write "YYYY-MM-DD" for the UTC day containing ms. */
void rtime_format_day(int64_t ms, char *buf, size_t size);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t rtime_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif /* ORBAT_REPORT_RTIME_H */
