/* SPDX-License-Identifier: BSD-2-Clause
 *
 * replay.c - replay_now (see replay.h): the data time /data/aircraft.json
 * answers for when the request has no as_of.
 */
#include "http/replay.h"

#include <math.h>
#include <stdlib.h>

/* start + elapsed, looping back to start once past end (end > start). */
static int64_t loop_time(int64_t start, int64_t end, double elapsed)
{
    double span = (double)(end - start);
    if (!(span > 0) || !(elapsed >= 0))
        return start;
    if (elapsed > span)
        elapsed = fmod(elapsed, span);
    return start + (int64_t)elapsed;
}

int64_t replay_now(const struct replay_clock *c, int64_t mono_ms, int64_t wall_ms, bool have_data,
                   int64_t first_ms, int64_t last_ms, enum replay_mode *mode)
{
    enum replay_mode m;
    int64_t now;
    double real = (double)(mono_ms - c->t0_mono_ms);
    if (real < 0)
        real = 0;
    if (c->set) {
        m = REPLAY_SET;
        double elapsed = real * c->speed;
        if (have_data && last_ms > c->start_ms)
            now = loop_time(c->start_ms, last_ms, elapsed);
        else // nothing after the start to loop over: let the clock run
            now = c->start_ms + (int64_t)fmin(elapsed, 4e15);
    } else if (!have_data) {
        m = REPLAY_LIVE;
        now = wall_ms;
    } else if (last_ms >= wall_ms - REPLAY_LIVE_MS) {
        m = REPLAY_LIVE;
        now = last_ms;
    } else {
        m = REPLAY_HISTORY;
        int64_t start = last_ms - REPLAY_HISTORY_MS;
        if (start < first_ms)
            start = first_ms;
        now = last_ms > start ? loop_time(start, last_ms, real) : last_ms;
    }
    if (mode)
        *mode = m;
    return now;
}

const char *replay_mode_name(enum replay_mode m)
{
    switch (m) {
    case REPLAY_LIVE:
        return "live";
    case REPLAY_HISTORY:
        return "history";
    case REPLAY_SET:
        return "replay";
    }
    return "live";
}

int replay_parse_speed(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v > 0) || v > REPLAY_MAX_SPEED)
        return -1;
    *out = v;
    return 0;
}

int replay_parse_site(const char *s, double *lat, double *lon)
{
    char *end, *end2;
    double la = strtod(s, &end);
    if (end == s || *end != ',')
        return -1;
    double lo = strtod(end + 1, &end2);
    if (end2 == end + 1 || *end2 || !isfinite(la) || !isfinite(lo) || fabs(la) > 90 ||
        fabs(lo) > 180)
        return -1;
    *lat = la;
    *lon = lo;
    return 0;
}
