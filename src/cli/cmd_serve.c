/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_serve.c - `orbat serve`: the HTTP server (JSON API, web map,
 * tar1090's /data/aircraft.json and /data/receiver.json with an optional
 * replay clock, /metrics) over an existing store, until SIGINT or SIGTERM.
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/store_cli.h"
#include "report/rtime.h"
#include "registry/registry.h"
#include "http/api.h"
#include "http/server.h"

static const char serve_usage[] =
    "usage: orbat serve [--db FILE] [--listen HOST:PORT] [--web DIR] [--geo DIR]\n"
    "                   [--token TOKEN] [--cache-ms N] [--port-file FILE]\n"
    "                   [--replay-start TIME [--replay-speed N]] [--site LAT,LON]\n"
    "                   [--tar1090 DIR]\n"
    "\n"
    "Serve the store over HTTP: the JSON API (/api/assets, /api/assets/ID,\n"
    "/api/tracks, /api/events, /api/oob, /api/timeline[.svg|.png], /api/sources),\n"
    "tar1090's /data/receiver.json and /data/aircraft.json, Prometheus /metrics\n"
    "and the web map. Read-only unless a token is given: POST /api/sightings then\n"
    "needs 'Authorization: Bearer TOKEN'. See docs/server.md and docs/tar1090.md.\n"
    "\n"
    "  -d, --db FILE        database (default $ORBAT_DB or orbat.db)\n"
    "  -l, --listen ADDR    address (default 127.0.0.1:8080; port 0 = any free port)\n"
    "      --web DIR        static files of the web map (default: ./web, else the\n"
    "                       web/ shipped beside the program)\n"
    "  -g, --geo DIR        GeoJSON base layers served under /geo/ (default:\n"
    "                       ./data/geo, else geo/ in the data directory the\n"
    "                       registry uses: $ORBAT_DATA_DIR, ../data beside the program)\n"
    "      --token TOKEN    bearer token for POST endpoints (default $ORBAT_TOKEN)\n"
    "      --cache-ms N     reuse an API answer for N ms (default 1000; 0 = off)\n"
    "      --port-file FILE write the bound port there once listening\n"
    "\n"
    "tar1090 (it cannot ask for a time: /data/aircraft.json without ?as_of= follows\n"
    "a clock; every answer says which in \"orbat_clock\" and \"orbat_time\"):\n"
    "      --replay-start TIME  the clock starts at TIME (2025-10-21T02:00Z, @unix)\n"
    "                       when the server starts and runs at --replay-speed; past\n"
    "                       the newest data it starts again at TIME\n"
    "      --replay-speed N     data seconds per real second (default 1; up to 100000)\n"
    "                       Without --replay-start: a store whose newest data is\n"
    "                       under 10 minutes old (live feeds) answers its newest\n"
    "                       data; an older one (an archive, a simulation) replays\n"
    "                       its last hour of data at 1x in a loop\n"
    "      --site LAT,LON       the receiver position in /data/receiver.json (tar1090\n"
    "                       centres its map there; default: the centre of the\n"
    "                       stored positions)\n"
    "      --tar1090 DIR        serve a tar1090 html/ directory under /tar1090/, its\n"
    "                       data/ requests answered by orbat (docs/tar1090.md)\n";

static volatile sig_atomic_t serve_stop;

static void on_signal(int sig)
{
    (void)sig;
    serve_stop = 1;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The default --web directory: ./web, else web/ one or two levels above the
 * running program (build/orbat in a checkout), else the installed copy. */
static const char *find_web(char *buf, size_t size)
{
    if (is_dir("web"))
        return "web";
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"../web", "../../web", "../share/orbat/web"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                char p[PATH_MAX + 32];
                snprintf(p, sizeof p, "%s/%s", exe, rel[i]);
                if (is_dir(p) && realpath(p, buf) && strlen(buf) < size)
                    return buf;
            }
        }
    }
    return "web";
}

/* The default --geo directory: ./data/geo, else DATA/geo where DATA is the
 * registry's data directory (registry_find_data_dir). */
static const char *find_geo(char *buf, size_t size)
{
    if (is_dir("data/geo"))
        return "data/geo";
    char d[PATH_MAX];
    if (registry_find_data_dir(d, sizeof d) == 0) {
        int k = snprintf(buf, size, "%s/geo", d);
        if (k > 0 && (size_t)k < size && is_dir(buf))
            return buf;
    }
    return "data/geo";
}

/* A URL a terminal makes clickable: the real port, and a wildcard host
 * (0.0.0.0, ::, empty) replaced by the loopback address. */
static void print_url(const char *listen_on, int port, char *buf, size_t size)
{
    const char *colon = strrchr(listen_on, ':');
    size_t hl = colon ? (size_t)(colon - listen_on) : strlen(listen_on);
    char host[128];
    snprintf(host, sizeof host, "%.*s", (int)(hl < sizeof host ? hl : sizeof host - 1), listen_on);
    if (!host[0] || !strcmp(host, "0.0.0.0") || !strcmp(host, "*"))
        snprintf(host, sizeof host, "127.0.0.1");
    else if (!strcmp(host, "[::]") || !strcmp(host, "::"))
        snprintf(host, sizeof host, "[::1]");
    snprintf(buf, size, "http://%s:%d/", host, port);
}

static int serve_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"db", required_argument, 0, 'd'},
                                             {"listen", required_argument, 0, 'l'},
                                             {"web", required_argument, 0, 'w'},
                                             {"geo", required_argument, 0, 'g'},
                                             {"token", required_argument, 0, 'T'},
                                             {"port-file", required_argument, 0, 'P'},
                                             {"cache-ms", required_argument, 0, 'C'},
                                             {"replay-start", required_argument, 0, 'R'},
                                             {"replay-speed", required_argument, 0, 'S'},
                                             {"site", required_argument, 0, 'L'},
                                             {"tar1090", required_argument, 0, 'X'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *db = store_cli_default_db(), *listen_on = "127.0.0.1:8080", *web = NULL,
               *geo = NULL, *token = getenv("ORBAT_TOKEN"), *port_file = NULL, *tar1090 = NULL;
    struct replay_clock clock = {.set = false, .speed = 1.0};
    bool speed_set = false, site_set = false;
    double site_lat = 0, site_lon = 0;
    char webbuf[PATH_MAX], geobuf[PATH_MAX];
    int c, cache_ms = 1000;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:g:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            listen_on = optarg;
            break;
        case 'w':
            web = optarg;
            break;
        case 'g':
            geo = optarg;
            break;
        case 'T':
            token = optarg;
            break;
        case 'P':
            port_file = optarg;
            break;
        case 'C': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 3600000) {
                cmd_error("serve", "--cache-ms: '%s' is not 0..3600000", optarg);
                return 2;
            }
            cache_ms = (int)v;
            break;
        }
        case 'R': {
            int pr = rtime_parse(optarg, &clock.start_ms);
            if (pr) {
                cmd_error("serve", "--replay-start: '%s' is %s", optarg,
                          pr == -2 ? "outside " RTIME_RANGE_TEXT
                                   : "not a time (2025-10-21T02:00Z, 2025-10-21, @unix)");
                return 2;
            }
            clock.set = true;
            break;
        }
        case 'S':
            if (replay_parse_speed(optarg, &clock.speed)) {
                cmd_error("serve", "--replay-speed: '%s' is not a number in (0, %g]", optarg,
                          REPLAY_MAX_SPEED);
                return 2;
            }
            speed_set = true;
            break;
        case 'L':
            if (replay_parse_site(optarg, &site_lat, &site_lon)) {
                cmd_error("serve", "--site: '%s' is not LAT,LON in degrees", optarg);
                return 2;
            }
            site_set = true;
            break;
        case 'X':
            tar1090 = optarg;
            break;
        case 'h':
            fputs(serve_usage, stdout);
            return 0;
        default:
            fputs(serve_usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fputs(serve_usage, stderr);
        return 2;
    }
    if (speed_set && !clock.set) {
        cmd_error("serve", "--replay-speed needs --replay-start TIME");
        return 2;
    }
    if (tar1090 && !is_dir(tar1090)) {
        cmd_error("serve", "--tar1090: '%s' is not a directory", tar1090);
        return 2;
    }
    if (api_token_blank(token)) {
        cmd_error("serve", "the token (--token or $ORBAT_TOKEN) is only blanks: refusing it");
        return 2;
    }
    if (!web)
        web = find_web(webbuf, sizeof webbuf);
    if (!geo)
        geo = find_geo(geobuf, sizeof geobuf);
    if (!is_dir(web))
        fprintf(stderr,
                "orbat serve: warning: web directory '%s' not found: / will be 404 "
                "(give --web DIR)\n",
                web);
    if (!is_dir(geo))
        fprintf(stderr,
                "orbat serve: warning: geo directory '%s' not found: /geo/ will be 404 "
                "(give --geo DIR)\n",
                geo);
    // A database that does not exist is a mistake (a wrong --db), not a new
    // empty store to serve as an empty map. The file is opened read-write
    // because a token allows POST /api/sightings.
    if (store_cli_exists("serve", db))
        return 1;
    struct store *s = store_cli_open("serve", db);
    if (!s)
        return 1;
    // The registry gives aircraft.json its r, t, desc and ownOp (acinfo.h);
    // without it only the store's fields are there.
    int reg_failed = 0;
    struct registry *reg = registry_setup(false, NULL, 0, NULL, NULL, &reg_failed, NULL, 0);
    if (!reg || reg_failed)
        fprintf(stderr,
                "orbat serve: warning: the shipped registry did not load%s: aircraft.json "
                "carries no type or registration from it\n",
                reg ? " completely" : "");
    struct api_opts ao = {.web_dir = web,
                          .geo_dir = geo,
                          .token = token,
                          .cache_ms = cache_ms,
                          .clock = clock,
                          .reg = reg,
                          .site_set = site_set,
                          .site_lat = site_lat,
                          .site_lon = site_lon,
                          .tar1090_dir = tar1090};
    struct api *a = api_new(s, &ao);
    char err[256] = "";
    struct http_server *srv =
        a ? http_server_new(listen_on, api_handle, a, err, sizeof(err)) : NULL;
    if (!srv) {
        cmd_error("serve", "%s", a ? err : "out of memory");
        api_free(a);
        registry_free(reg);
        store_close(s);
        return 1;
    }
    api_set_server(a, srv);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    char url[192];
    print_url(listen_on, http_server_port(srv), url, sizeof url);
    fprintf(stderr, "orbat serve: listening on %s (web %s, geo %s), database %s%s\n", url, web, geo,
            db, token && token[0] ? "" : ", read-only");
    if (clock.set) {
        char st[32];
        rtime_format(clock.start_ms, st, sizeof st);
        fprintf(stderr, "orbat serve: /data/aircraft.json replays from %s at %gx\n", st,
                clock.speed);
    }
    if (tar1090)
        fprintf(stderr, "orbat serve: tar1090 from %s at %star1090/\n", tar1090, url);
    if (!http_server_loopback(srv))
        fprintf(stderr,
                "orbat serve: warning: %s is not a loopback address: the API%s is "
                "reachable from other hosts\n",
                listen_on, token && token[0] ? " (and, with the token, POST)" : "");
    if (port_file) {
        FILE *pf = fopen(port_file, "w");
        if (pf) {
            fprintf(pf, "%d\n", http_server_port(srv));
            fclose(pf);
        }
    }
    int rc = http_server_run(srv, &serve_stop);
    http_server_free(srv);
    api_free(a);
    registry_free(reg);
    store_close(s);
    if (rc) {
        cmd_error("serve", "poll failed");
        return 1;
    }
    fprintf(stderr, "orbat serve: stopped\n");
    return 0;
}

const struct orbat_cmd cmd_serve = {
    .name = "serve",
    .summary = "HTTP server: JSON API, web map, aircraft.json, metrics",
    .usage = serve_usage,
    .exec = serve_exec,
};
