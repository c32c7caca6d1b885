/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_feeds.c - `orbat feeds`: the live public feeds orbat knows by name
 * (aisstream.io, AISHub, and the readsb v2 aggregators), what each covers,
 * its terms and rate limit, and what covering the theatre costs.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "feed/aishub.h"
#include "feed/aisstream.h"
#include "feed/v2preset.h"
#include "geo/layer.h"
#include "geo/theatre.h"

static const char feeds_usage[] =
    "usage: orbat feeds [--theatre NAME]\n"
    "\n"
    "List the live public feeds orbat knows by name, with what each covers, its\n"
    "terms and rate limit, and for the theatre's box how many requests a round of\n"
    "the readsb v2 presets takes. The specs go wherever a feed is accepted:\n"
    "aisstream: in orbat decode and orbat run (--feed), the HTTP presets in orbat\n"
    "run (--feed). See docs/feeds.md.\n"
    "\n"
    "  -t, --theatre NAME   theatre whose box is covered (default caribbean;\n"
    "                       none: no box)\n"
    "  -h, --help           this text\n";

static int feeds_exec(int argc, char **argv)
{
    static const struct option lo[] = {
        {"theatre", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *tname = "caribbean";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:h", lo, NULL)) != -1) {
        switch (c) {
        case 't':
            tname = optarg;
            break;
        case 'h':
            fputs(feeds_usage, stdout);
            return 0;
        default:
            fputs(feeds_usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fputs(feeds_usage, stderr);
        return 2;
    }
    bool hasbox = false;
    double s = 0, w = 0, n = 0, e = 0;
    if (strcmp(tname, "none")) {
        enum orbat_err terr;
        char msg[256];
        struct theatre *th = theatre_load(tname, &terr, msg, sizeof msg);
        if (!th) {
            cmd_error("feeds", "theatre %s: %s", tname, msg);
            return 1;
        }
        hasbox = th->nzones && geo_layer_bounds(th->zones[0].layer, &s, &w, &n, &e);
        theatre_free(th);
    }
    if (hasbox)
        printf("theatre %s: box S %.2f W %.2f N %.2f E %.2f\n\n", tname, s, w, n, e);
    printf("aisstream:  aisstream.io, global terrestrial AIS over a websocket (%s)\n",
           AISSTREAM_URL);
    printf("    covers:  the theatre box, or ?bbox=S,W,N,E[;...]; ?mmsi=, ?types= filters\n");
    printf("    terms:   free API key (aisstream.io); the key from %s or [aisstream] key\n",
           AISSTREAM_KEY_ENV);
    printf("    rate:    a stream: one subscription per connection, reconnects with backoff\n");
    printf("    credit:  AIS data: aisstream.io\n\n");
    printf("aishub:     AISHub web service, JSON (%s)\n", AISHUB_URL);
    printf("    covers:  the theatre box or ?bbox=S,W,N,E; members' receivers worldwide\n");
    printf("    terms:   members only (feed your own receiver); username from %s or\n"
           "             [aishub] username\n",
           AISHUB_USER_ENV);
    printf("    rate:    one request a minute at most (orbat: every %u s or more)\n",
           AISHUB_GAP_MS / 1000);
    printf("    credit:  %s\n", AISHUB_ATTRIBUTION);
    size_t np;
    const struct v2_provider *p = v2_providers(&np);
    for (size_t i = 0; i < np; i++) {
        static struct v2_circle circ[V2_MAX_URLS];
        size_t nc = hasbox ? v2_circles(s, w, n, e, V2_MAX_RADIUS_NM, circ, V2_MAX_URLS) : 0;
        printf("\n%s:  %s, readsb v2 API (%s)\n", p[i].name, p[i].title, p[i].base);
        printf("    covers:  circles of up to %.0f nm over the box (%s), plus %s", V2_MAX_RADIUS_NM,
               p[i].latlon_dist ? "/v2/lat/../lon/../dist/.." : "/v2/point", p[i].mil_path);
        if (hasbox)
            printf(": %zu + 1 requests a round, %.0f s at the rate\n", nc,
                   (double)(nc + 1) * p[i].gap_ms / 1000.0);
        else
            printf("\n");
        printf("    terms:   %s\n", p[i].terms);
        printf("    rate:    %s; backoff on 429 and 5xx\n", p[i].rate);
        printf("    credit:  %s\n", p[i].attribution);
    }
    return 0;
}

const struct orbat_cmd cmd_feeds = {
    .name = "feeds",
    .summary = "list the live public feeds known by name (coverage, terms, rates)",
    .usage = feeds_usage,
    .exec = feeds_exec,
};
