/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_config.c - unit tests of the configuration (src/config, read with
 * libinih) and of alert rule validation (src/alert): sections with names,
 * comment lines and inline comments, quoting, ':' separators, indented
 * lines, BOM and CRLF, repeated keys, command-line overrides and --set,
 * typed getters, the schema (unknown sections/keys, bad and out-of-range
 * values) and every error with its file:line; the example configuration
 * in docs/server.md must parse; alert rules missing keys or with bad
 * values are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert/alert.h"
#include "check.h"
#include "config/config.h"

static const char ini[] = "; comment\n"
                          "# another\n"
                          "[database]\n"
                          "path = /tmp/x.db            ; --db\n"
                          "\n"
                          "[server]\n"
                          "  listen =  127.0.0.1:9090  \r\n"
                          "enabled = no\n"
                          "   cache_ms = 250\n"
                          "token = \"  spaced;token \"\n"
                          "web = a;b # c\n"
                          "geo: data/geo\n"
                          "[feed ais]   ; the AIS-catcher feed\n"
                          "url = tcp://127.0.0.1:10110/nmea\n"
                          "[feed adsb]\n"
                          "url = tcp://127.0.0.1:30003/sbs\n"
                          "[registry]\n"
                          "file = a.csv\n"
                          "file = b.csv";

static struct config *parse(const char *text, size_t len, char *err, size_t errsz, int *rc)
{
    struct config *c = config_new();
    *rc = config_parse(c, text, len, "t.conf", err, errsz);
    return c;
}

static void test_parse(void)
{
    char err[256] = "";
    int rc;
    struct config *c = parse(ini, strlen(ini), err, sizeof(err), &rc);
    CHECK(rc == 0, "parses (%s)", err);
    CHECK_EQ_STR(config_get(c, "database", "", "path"), "/tmp/x.db", "inline ' ;' comment cut");
    CHECK_EQ_STR(config_get(c, "server", "", "listen"), "127.0.0.1:9090", "trimmed, CRLF");
    CHECK_EQ_STR(config_get(c, "server", "", "cache_ms"), "250",
                 "indented line after a key is its own key, not a continuation");
    CHECK_EQ_STR(config_get(c, "server", "", "enabled"), "no", "the key before it is intact");
    CHECK_EQ_STR(config_get(c, "server", "", "token"), "  spaced;token ", "quoted value kept");
    CHECK_EQ_STR(config_get(c, "server", "", "web"), "a;b # c",
                 "';' without a blank before and inline '#' are part of the value");
    CHECK_EQ_STR(config_get(c, "server", "", "geo"), "data/geo", "':' separator");
    CHECK_EQ_STR(config_get(c, "feed", "ais", "url"), "tcp://127.0.0.1:10110/nmea",
                 "named section with an inline comment");
    CHECK_EQ_STR(config_get(c, "feed", "adsb", "url"), "tcp://127.0.0.1:30003/sbs", "second one");
    CHECK(config_get(c, "feed", "", "url") == NULL, "unnamed lookup does not match named");
    CHECK_EQ_STR(config_get(c, "registry", "", "file"), "b.csv",
                 "last of a repeated key (no final newline)");
    CHECK_EQ_INT((long)c->n, 11, "11 entries");
    CHECK_EQ_INT(c->n ? (long)c->e[c->n - 1].line : 0, 19, "line numbers kept");
    bool bad = false;
    CHECK_EQ_INT(config_get_long(c, "server", "", "cache_ms", 1000, &bad), 250, "long");
    CHECK(!config_get_bool(c, "server", "", "enabled", true, &bad) && !bad, "bool no");
    CHECK_EQ_INT(config_get_long(c, "server", "", "missing", 7, &bad), 7, "default");
    CHECK(!bad, "nothing bad so far");
    config_get_long(c, "server", "", "listen", 0, &bad);
    CHECK(bad, "non-number flagged");
    CHECK_EQ_INT(config_set(c, "server", "", "listen", "0.0.0.0:1", true), 0, "override");
    CHECK_EQ_STR(config_get(c, "server", "", "listen"), "0.0.0.0:1", "override wins");
    config_free(c);

    static const char bom[] = "\xef\xbb\xbf[theatre]\nname = none\n";
    c = parse(bom, strlen(bom), err, sizeof(err), &rc);
    CHECK(rc == 0 && !strcmp(config_get(c, "theatre", "", "name"), "none"), "UTF-8 BOM skipped");
    config_free(c);
    /* 49 bytes between [ and ]: what libinih's section buffer holds. */
    static const char h49[] = "[feed 01234567890123456789012345678901234567890123]\nurl = x\n";
    c = parse(h49, strlen(h49), err, sizeof(err), &rc);
    CHECK(rc == 0 && c->n == 1 && strlen(c->e[0].name) == 44, "49-byte header accepted (%s)", err);
    config_free(c);
    c = parse("", 0, err, sizeof(err), &rc);
    CHECK(rc == 0 && c->n == 0, "empty text is an empty config");
    config_free(c);
}

static void test_errors(void)
{
    static const struct {
        const char *text, *want;
    } bads[] = {
        {"listen = v\n", "t.conf:1: key outside a [section]"},
        {"[server]\nnovalue\n", "t.conf:2: expected 'key = value'"},
        {"[server\n", "t.conf:1: bad section header"},
        {"[server] junk\n", "t.conf:1: bad section header"},
        {"[server];x\n", "t.conf:1: bad section header"},
        {"[feed x y]\n", "t.conf:1: bad section name"},
        {"[]\n", "t.conf:1: bad section name"},
        {"[server]\nbad key = 1\n", "t.conf:2: bad key"},
        {"[server]\nweb = x\n\n[servers]\n", "t.conf:4: unknown section [servers]"},
        {"[server]\nlisten = x:1\nport = 1\n", "t.conf:3: unknown key 'port' in [server]"},
        {"[alert]\nrule = enter\n", "t.conf:1: [alert] needs a name: [alert NAME]"},
        {"[server main]\n", "t.conf:1: [server] takes no name"},
        {"[server]\ncache_ms = soon\n", "t.conf:2: cache_ms: 'soon' is not an integer"},
        {"[server]\ncache_ms =\n", "t.conf:2: cache_ms needs a value"},
        {"[spool]\nseconds = 0\n", "t.conf:2: seconds: 0 is out of range 1..3600"},
        {"[feed x]\nurl = tcp://h:1/nmea\ninterval = 7200\n",
         "t.conf:3: interval: 7200 is out of range 1..3600"},
        {"[alerts]\nwebhook_retries = 21\n", "t.conf:2: webhook_retries: 21 is out of range 0..20"},
        {"[server]\nenabled = maybe\n",
         "t.conf:2: enabled: 'maybe' is not a boolean (true/false, yes/no, on/off, 1/0)"},
        {"[alert a]\nnm = -1\n", "t.conf:2: nm: -1 is out of range 0.001..20000"},
        {"[alert a]\nnm = 5nm\n", "t.conf:2: nm: '5nm' is not a number"},
        {"[alert a]\ngap = soon\n", "t.conf:2: gap: 'soon' is not a duration (30m, 6h, 1d, 2w)"},
        {"[alert a]\nrule = teleport\n",
         "t.conf:2: rule: 'teleport' is not enter, near, count or gap"},
        {"[server]\nreplay_start = yesterday\n",
         "t.conf:2: replay_start: 'yesterday' is not a time (2025-10-21T02:00Z, 2025-10-21, "
         "@unix)"},
        {"[server]\nreplay_start = 2300-01-01\n",
         "t.conf:2: replay_start: '2300-01-01' is outside 1970-01-01..2200-01-01"},
        {"[server]\nreplay_speed = 0\n",
         "t.conf:2: replay_speed: '0' is not a number in (0, 100000]"},
        {"[server]\nreplay_speed = 100001\n",
         "t.conf:2: replay_speed: '100001' is not a number in (0, 100000]"},
        {"[server]\nsite = 91,0\n", "t.conf:2: site: '91,0' is not LAT,LON in degrees"},
        {"[server]\nsite = 18.5\n", "t.conf:2: site: '18.5' is not LAT,LON in degrees"},
        {"[server]\nlisten = 127.0.0.1:99999\n",
         "t.conf:2: listen: listen address '127.0.0.1:99999': port 99999 is out of range 0..65535 "
         "(0 = any free port)"},
        {"[server]\nlisten = 127.0.0.1:80x\n",
         "t.conf:2: listen: listen address '127.0.0.1:80x': port '80x' is not a number 0..65535"},
        {"[server]\nlisten = localhost\n",
         "t.conf:2: listen: listen address 'localhost' is not HOST:PORT"},
        {"[server]\ntoken = \"a ; b\"\n",
         "t.conf:2: unbalanced quote (a ';' after a blank starts a comment, even inside quotes)"},
        /* The first error wins, whether libinih or the schema found it. */
        {"[server]\nnovalue\nport = 1\n", "t.conf:2: expected 'key = value'"},
        {"[server]\nport = 1\nnovalue\n", "t.conf:2: unknown key 'port' in [server]"},
        {"[server]\nport = 1\n[bogus]\n", "t.conf:2: unknown key 'port' in [server]"},
        {"[feed 0123456789012345678901234567890123456789012345]\n",
         "t.conf:1: section header longer than 49 bytes"},
    };
    char err[256];
    int rc;
    for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        err[0] = 0;
        struct config *c = parse(bads[i].text, strlen(bads[i].text), err, sizeof(err), &rc);
        CHECK(rc == -1 && !strcmp(err, bads[i].want), "error '%s' (got '%s')", bads[i].want, err);
        config_free(c);
    }
    static const char nul[] = "[server]\nweb = a\0b\n";
    struct config *c = parse(nul, sizeof(nul) - 1, err, sizeof(err), &rc);
    CHECK(rc == -1 && !strcmp(err, "t.conf:2: NUL byte"), "NUL byte refused (got '%s')", err);
    config_free(c);

    /* Lines: what libinih's buffer holds (198 bytes + newline in Debian's
     * build) is accepted, a longer line is an error on its own line (and
     * not split into two lines as libinih's fgets-style reading would). */
    char line[2048];
    int n = snprintf(line, sizeof(line), "[server]\nweb = ");
    memset(line + n, 'w', 150);
    snprintf(line + n + 150, sizeof(line) - (size_t)n - 150, "\nlisten = x:1\n");
    c = parse(line, strlen(line), err, sizeof(err), &rc);
    CHECK(rc == 0 && strlen(config_get(c, "server", "", "web")) == 150,
          "156-byte line accepted (%s)", err);
    config_free(c);
    memset(line + n, 'w', CONFIG_MAX_LINE);
    snprintf(line + n + CONFIG_MAX_LINE, sizeof(line) - (size_t)n - CONFIG_MAX_LINE, "\n");
    c = parse(line, strlen(line), err, sizeof(err), &rc);
    CHECK(rc == -1 && !strncmp(err, "t.conf:2: line longer than ", 27) && strstr(err, "libinih"),
          "overlong line refused with its line (got '%s')", err);
    config_free(c);
}

static void test_set_arg(void)
{
    static const struct {
        const char *arg, *section, *name, *key, *value;
    } goods[] = {
        {"server.cache_ms=0", "server", "", "cache_ms", "0"},
        {"alert.dark.gap=6h", "alert", "dark", "gap", "6h"},
        {"feed.tar1090.interval=10", "feed", "tar1090", "interval", "10"},
        {"feed.v2.mil.url=http://h/v2/mil", "feed", "v2.mil", "url", "http://h/v2/mil"},
        {"server.token=a=b", "server", "", "token", "a=b"},
        {"alerts.stdout=off", "alerts", "", "stdout", "off"},
        {"server.replay_start=2025-10-23T15:00Z", "server", "", "replay_start",
         "2025-10-23T15:00Z"},
        {"server.replay_speed=0.5", "server", "", "replay_speed", "0.5"},
        {"server.site=18.5,-66.1", "server", "", "site", "18.5,-66.1"},
        {"server.tar1090=/srv/tar1090/html", "server", "", "tar1090", "/srv/tar1090/html"},
    };
    char err[256];
    for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
        struct config *c = config_new();
        err[0] = 0;
        int rc = config_set_arg(c, goods[i].arg, err, sizeof(err));
        CHECK(rc == 0 && c->n == 1 && !strcmp(c->e[0].section, goods[i].section) &&
                  !strcmp(c->e[0].name, goods[i].name) && !strcmp(c->e[0].key, goods[i].key) &&
                  !strcmp(c->e[0].value, goods[i].value) && c->e[0].line == 0,
              "--set %s (%s)", goods[i].arg, err);
        config_free(c);
    }
    static const struct {
        const char *arg, *want;
    } bads[] = {
        {"server=1", "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE"},
        {"server.cache_ms", "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE"},
        {".cache_ms=1", "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE"},
        {"server.=1", "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE"},
        {"feed..url=x", "expected SECTION.KEY=VALUE or SECTION.NAME.KEY=VALUE"},
        {"nosuch.key=1", "unknown section [nosuch]"},
        {"server.port=1", "unknown key 'port' in [server]"},
        {"alert.gap=6h", "[alert] needs a name: [alert NAME]"},
        {"server.x.listen=1", "[server] takes no name"},
        {"feed.a b.url=x", "bad name 'a b'"},
        {"spool.seconds=9999", "seconds: 9999 is out of range 1..3600"},
    };
    for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        struct config *c = config_new();
        err[0] = 0;
        int rc = config_set_arg(c, bads[i].arg, err, sizeof(err));
        CHECK(rc == -1 && c->n == 0 && !strcmp(err, bads[i].want), "--set %s: '%s' (got '%s')",
              bads[i].arg, bads[i].want, err);
        config_free(c);
    }
    CHECK_EQ_INT(config_check("alert", "x", "threshold", "6", err, sizeof(err)), 0,
                 "config_check accepts a good value");
    CHECK_EQ_INT(config_check("alert", "x", "threshold", "-6", err, sizeof(err)), -1,
                 "config_check refuses a negative threshold");
}

/* The example in docs/server.md is the reference; it must parse and mean
 * what its comments say. */
static void test_docs_example(void)
{
    const char *root = getenv("ROOT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/docs/server.md", root ? root : ".");
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "open %s", path);
    if (!f)
        return;
    static char doc[1 << 16];
    size_t n = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[n] = 0;
    char *a = strstr(doc, "```ini\n");
    char *b = a ? strstr(a + 7, "```") : NULL;
    CHECK(a && b, "docs/server.md has an ```ini block");
    if (!a || !b)
        return;
    char err[256] = "";
    int rc;
    struct config *c = parse(a + 7, (size_t)(b - a - 7), err, sizeof(err), &rc);
    CHECK(rc == 0, "the documented example parses (%s)", err);
    CHECK_EQ_STR(config_get(c, "database", "", "path"), "orbat.db",
                 "documented inline comments are comments");
    CHECK_EQ_STR(config_get(c, "alert", "gravely", "asset"), "USS Gravely", "alert asset");
    CHECK_EQ_STR(config_get(c, "feed", "tar1090", "interval"), "5", "feed interval");
    CHECK_EQ_STR(config_get(c, "alert", "fleet", "window"), "1d", "alert window");
    config_free(c);
}

static void test_rules(void)
{
    static const struct {
        const char *text;
        bool parses, ok;
        const char *what;
    } cases[] = {
        {"[alert a]\nrule = enter\nasset = X\ntheatre = caribbean\n", true, true, "enter rule"},
        {"[alert a]\nrule = enter\nasset = X\n", true, false, "enter without theatre"},
        {"[alert a]\nrule = count\ntheatre = t\nthreshold = 3\n", true, true, "count rule"},
        {"[alert a]\nrule = count\ntheatre = t\nthreshold = lots\n", false, false,
         "bad threshold (refused by the schema)"},
        {"[alert a]\nrule = gap\nasset = X\ngap = 2h\n", true, true, "gap rule"},
        {"[alert a]\nrule = gap\nasset = X\ngap = soon\n", false, false,
         "bad gap duration (refused by the schema)"},
        {"[alert a]\nrule = near\nrole = bomber\nnm = 50\n", true, false, "near without coastline"},
        {"[alert a]\nrule = near\nrole = bomber\nnm = 50\ncoastline = /nonexistent.geojson\n", true,
         false, "near with a missing coastline file"},
        {"[alert a]\nrule = teleport\n", false, false, "unknown rule (refused by the schema)"},
        {"[alert]\nrule = enter\n", false, false, "unnamed alert section (schema)"},
        {"[alerts]\nwebhook = https://example.org/x\n", true, true,
         "https webhook accepted (libcurl)"},
        {"[alerts]\nwebhook = http://127.0.0.1:9/x\nwebhook_retries = 3\n", true, true,
         "http webhook accepted"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[256] = "";
        int rc;
        struct config *c = parse(cases[i].text, strlen(cases[i].text), err, sizeof(err), &rc);
        CHECK((rc == 0) == cases[i].parses, "%s: parse %s (%s)", cases[i].what,
              cases[i].parses ? "accepted" : "refused", err);
        struct alerts *al =
            rc == 0 ? alerts_new(c, "http://127.0.0.1:8080", err, sizeof(err)) : NULL;
        CHECK((al != NULL) == cases[i].ok, "%s: %s (%s)", cases[i].what,
              cases[i].ok ? "accepted" : "refused", al ? "ok" : err);
        alerts_free(al);
        config_free(c);
    }
    /* alerts_new still validates what the command line sets. */
    struct config *c = config_new();
    char err[256] = "";
    config_set(c, "alert", "a", "rule", "teleport", false);
    struct alerts *al = alerts_new(c, "http://127.0.0.1:8080", err, sizeof(err));
    CHECK(al == NULL && strstr(err, "unknown rule"), "alerts_new refuses an unknown rule (%s)",
          err);
    alerts_free(al);
    config_free(c);
}

int main(void)
{
    test_parse();
    test_errors();
    test_set_arg();
    test_docs_example();
    test_rules();
    return check_exit();
}
