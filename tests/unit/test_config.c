/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_config.c - unit tests of the INI parser (src/config) and of alert
 * rule validation (src/alert): sections with names, comments, quoting,
 * repeated keys, command-line overrides, typed getters and errors with
 * line numbers; rules missing keys or with bad values are refused.
 */
#include <string.h>

#include "alert/alert.h"
#include "check.h"
#include "config/config.h"

static const char ini[] = "; comment\n"
                          "# another\n"
                          "[database]\n"
                          "path = /tmp/x.db\n"
                          "\n"
                          "[server]\n"
                          "  listen =  127.0.0.1:9090  \r\n"
                          "enabled = no\n"
                          "cache_ms = 250\n"
                          "token = \"  spaced ; token \"\n"
                          "[feed ais]\n"
                          "url = tcp://127.0.0.1:10110/nmea\n"
                          "[feed adsb]\n"
                          "url = tcp://127.0.0.1:30003/sbs\n"
                          "[registry]\n"
                          "file = a.csv\n"
                          "file = b.csv\n";

static void test_parse(void)
{
    struct config *c = config_new();
    char err[256] = "";
    CHECK_EQ_INT(config_parse(c, ini, strlen(ini), "t.conf", err, sizeof(err)), 0, "parses");
    CHECK_EQ_STR(config_get(c, "database", "", "path"), "/tmp/x.db", "value");
    CHECK_EQ_STR(config_get(c, "server", "", "listen"), "127.0.0.1:9090", "trimmed, CRLF");
    CHECK_EQ_STR(config_get(c, "server", "", "token"), "  spaced ; token ", "quoted value kept");
    CHECK_EQ_STR(config_get(c, "feed", "ais", "url"), "tcp://127.0.0.1:10110/nmea",
                 "named section");
    CHECK_EQ_STR(config_get(c, "feed", "adsb", "url"), "tcp://127.0.0.1:30003/sbs", "second one");
    CHECK(config_get(c, "feed", "", "url") == NULL, "unnamed lookup does not match named");
    CHECK_EQ_STR(config_get(c, "registry", "", "file"), "b.csv", "last of a repeated key");
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

    static const struct {
        const char *text, *want;
    } bads[] = {
        {"key = v\n", "t.conf:1: key outside a [section]"},
        {"[s]\nnovalue\n", "t.conf:2: expected 'key = value'"},
        {"[s\n", "t.conf:1: bad section header"},
        {"[s x y]\n", "t.conf:1: bad section name"},
        {"[s]\nbad key = 1\n", "t.conf:2: bad key"},
    };
    for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        c = config_new();
        int rc = config_parse(c, bads[i].text, strlen(bads[i].text), "t.conf", err, sizeof(err));
        CHECK(rc == -1 && !strcmp(err, bads[i].want), "error '%s' (got '%s')", bads[i].want, err);
        config_free(c);
    }
    char big[CONFIG_MAX_LINE + 16];
    memset(big, 'x', sizeof(big));
    memcpy(big, "[s]\nk = ", 8);
    c = config_new();
    CHECK_EQ_INT(config_parse(c, big, sizeof(big), "t.conf", err, sizeof(err)), -1,
                 "overlong line refused");
    config_free(c);
}

static void test_rules(void)
{
    static const struct {
        const char *text;
        bool ok;
        const char *what;
    } cases[] = {
        {"[alert a]\nrule = enter\nasset = X\ntheatre = caribbean\n", true, "enter rule"},
        {"[alert a]\nrule = enter\nasset = X\n", false, "enter without theatre"},
        {"[alert a]\nrule = count\ntheatre = t\nthreshold = 3\n", true, "count rule"},
        {"[alert a]\nrule = count\ntheatre = t\nthreshold = lots\n", false, "bad threshold"},
        {"[alert a]\nrule = gap\nasset = X\ngap = 2h\n", true, "gap rule"},
        {"[alert a]\nrule = gap\nasset = X\ngap = soon\n", false, "bad gap duration"},
        {"[alert a]\nrule = near\nrole = bomber\nnm = 50\n", false, "near without coastline"},
        {"[alert a]\nrule = near\nrole = bomber\nnm = 50\ncoastline = /nonexistent.geojson\n",
         false, "near with a missing coastline file"},
        {"[alert a]\nrule = teleport\n", false, "unknown rule"},
        {"[alert]\nrule = enter\n", false, "unnamed alert section"},
        {"[alerts]\nwebhook = https://example.org/x\n", true, "https webhook accepted (libcurl)"},
        {"[alerts]\nwebhook = http://127.0.0.1:9/x\nwebhook_retries = 3\n", true,
         "http webhook accepted"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct config *c = config_new();
        char err[256] = "";
        config_parse(c, cases[i].text, strlen(cases[i].text), "t", err, sizeof(err));
        struct alerts *al = alerts_new(c, "http://127.0.0.1:8080", err, sizeof(err));
        CHECK((al != NULL) == cases[i].ok, "%s: %s (%s)", cases[i].what,
              cases[i].ok ? "accepted" : "refused", al ? "ok" : err);
        alerts_free(al);
        config_free(c);
    }
}

int main(void)
{
    test_parse();
    test_rules();
    return check_exit();
}
