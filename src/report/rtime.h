/* SPDX-License-Identifier: BSD-2-Clause
 *
 * rtime.h - the times and durations that reports take and print: ISO 8601
 * UTC ("2025-10-23", "2025-10-23T00:00Z", "2025-10-23 12:34:56Z"), unix
 * seconds ("@1761177600") and durations ("7d", "12h", "90m", "2w").
 *
 * Pure functions; no allocation, no time zone: everything is UTC.
 *
 * Times that orbat accepts from a user or a client lie in RTIME_MIN_MS ..
 * RTIME_MAX_MS (1970-01-01 .. 2200-01-01, both included), and durations are
 * at most RTIME_MAX_MS long, so that any time minus any duration, or the
 * difference of two times, fits an int64_t with room to spare.
 */
#ifndef ORBAT_REPORT_RTIME_H
#define ORBAT_REPORT_RTIME_H

#include <stddef.h>
#include <stdint.h>

#define RTIME_MIN_MS     INT64_C(0)                   /* 1970-01-01T00:00:00Z */
#define RTIME_MAX_MS     (INT64_C(7258118400) * 1000) /* 2200-01-01T00:00:00Z */
#define RTIME_RANGE_TEXT "1970-01-01..2200-01-01"

/* Parse a time into unix milliseconds. "now" is the current time. Returns 0,
 * -1 when S is not a time we understand, or -2 when it is one outside
 * RTIME_MIN_MS .. RTIME_MAX_MS (*ms is then unchanged). */
int rtime_parse(const char *s, int64_t *ms);
/* Parse a duration ("7d", "36h", "30m", "45s", "2w"; a bare number is days).
 * Returns 0, or -1 (also for zero or negative durations and for durations
 * longer than RTIME_MAX_MS). */
int rtime_parse_duration(const char *s, int64_t *ms);
/* MS clamped into RTIME_MIN_MS .. RTIME_MAX_MS (for times read back from a
 * store, which may hold anything a feed claimed). */
int64_t rtime_clamp(int64_t ms);
/* Write "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with the NUL for years 0..9999;
 * any int64_t is formatted without overflow, truncated to SIZE). */
void rtime_format(int64_t ms, char *buf, size_t size);
/* Write "YYYY-MM-DD" for the UTC day containing ms. */
void rtime_format_day(int64_t ms, char *buf, size_t size);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t rtime_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif /* ORBAT_REPORT_RTIME_H */
