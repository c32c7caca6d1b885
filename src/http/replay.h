/* SPDX-License-Identifier: BSD-2-Clause
 *
 * replay.h - the clock behind /data/aircraft.json when the request gives
 * no as_of (tar1090 cannot): which data time "now" is. Three modes:
 *
 *   replay  `orbat serve --replay-start TIME [--replay-speed N]`: TIME plus
 *           N times the real time since the server started; once past the
 *           newest data it starts again at TIME (a loop), so a page left
 *           open keeps moving.
 *   live    no option, and the newest data is at most REPLAY_LIVE_MS older
 *           than the wall clock (orbat run with feeds, or an empty store):
 *           the newest data time, as a receiver would answer.
 *   history no option, and the newest data is older than that (an imported
 *           or simulated past period): the last REPLAY_HISTORY_MS of the
 *           data replayed at 1x in a loop, so tar1090 shows the end of the
 *           record moving instead of a frozen, soon empty picture.
 *
 * Pure: no I/O, no globals; the caller passes the clocks and the store's
 * time range. The option parsers below are shared by `orbat serve`,
 * `orbat run` and its configuration check (config.h), so the three accept
 * the same text.
 */
#ifndef ORBAT_HTTP_REPLAY_H
#define ORBAT_HTTP_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define REPLAY_LIVE_MS    (10 * 60 * 1000LL)
#define REPLAY_HISTORY_MS (60 * 60 * 1000LL)
#define REPLAY_MAX_SPEED  100000.0

enum replay_mode {
    REPLAY_LIVE,
    REPLAY_HISTORY,
    REPLAY_SET
};

struct replay_clock {
    bool set;           /* --replay-start given */
    int64_t start_ms;   /* data time at t0 (set) */
    double speed;       /* data ms per real ms (set); > 0 */
    int64_t t0_mono_ms; /* monotonic time the clock started */
};

/* The data time for a request at monotonic time mono_ms and wall time
 * wall_ms, the store holding data in [first_ms, last_ms] (have_data false
 * when it is empty). *mode (may be NULL) says which rule applied. */
int64_t replay_now(const struct replay_clock *c, int64_t mono_ms, int64_t wall_ms, bool have_data,
                   int64_t first_ms, int64_t last_ms, enum replay_mode *mode);

/* --replay-speed / [server] replay_speed: a number in (0, REPLAY_MAX_SPEED].
 * Returns 0, or -1 (out untouched). */
int replay_parse_speed(const char *s, double *out);
/* --site / [server] site: "LAT,LON" in degrees (|LAT| <= 90, |LON| <= 180).
 * Returns 0, or -1 (outputs untouched). */
int replay_parse_site(const char *s, double *lat, double *lon);

/* "live", "history" or "replay". */
const char *replay_mode_name(enum replay_mode m);

#endif /* ORBAT_HTTP_REPLAY_H */
