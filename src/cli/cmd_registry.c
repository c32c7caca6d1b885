/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_registry.c - `orbat registry show|search|validate|stats`: look up a
 * known ship or aircraft, search the registry, validate registry and rule
 * CSV files with line-numbered errors, and summarise what is loaded.
 */
#include "cli/cmd.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry/callsign.h"
#include "registry/csv.h"
#include "registry/registry.h"
#include "registry/tables.h"

static const char registry_usage[] =
    "usage: orbat registry [--registry FILE]... [--no-default-registry] COMMAND [ARGS]\n"
    "\n"
    "  show ID          one asset: a 6-hex-digit ICAO address, a 9-digit MMSI, or a ship\n"
    "                   name / hull number / call sign / aircraft registration\n"
    "  search TEXT      assets whose address, registration, name, hull, call sign,\n"
    "                   operator or type contains TEXT (case-insensitive; --limit N, 50)\n"
    "  validate FILE... check registry or callsign-rule CSV files on their own: every bad\n"
    "                   row is printed as FILE:LINE: reason; exit 1 if any\n"
    "  stats            what the loaded registry holds\n"
    "\n"
    "  -r, --registry FILE         extra registry CSV (repeatable)\n"
    "  -N, --no-default-registry   do not load the shipped registry\n"
    "      --limit N               search: at most N results (default 50)\n"
    "\n"
    "The shipped registry (data/registry: plane-alert-db, its PIA list, the ships seed\n"
    "list) is loaded first unless --no-default-registry; then each --registry FILE in\n"
    "order, later rows overriding earlier ones. Formats: docs/identification.md.\n";

static void print_aircraft(const struct registry *reg, const struct reg_aircraft *a)
{
    const struct icao_block *cb = tables_icao_country(a->icao);
    const struct icao_mil_block *mb = tables_icao_military(a->icao);
    printf("aircraft %06X\n", a->icao);
    printf("  registration: %s\n", a->registration);
    printf("  type:         %s%s%s\n", a->icao_type, a->type[0] ? " - " : "", a->type);
    printf("  operator:     %s\n", a->operator_name);
    printf("  category:     %s\n", registry_category_name(a->category));
    printf("  role:         %s\n", registry_role_name(a->role));
    if (a->cls == AIRCLASS_PIA)
        printf("  note:         FAA Privacy ICAO Address (rotates)\n");
    if (a->tags[0])
        printf("  tags:         %s\n", a->tags);
    printf("  address:      %s block%s%s\n", cb ? cb->country : "no",
           mb ? (mb->enabled ? ", military block " : ", disabled military block ") : "",
           mb ? mb->label : "");
    printf("  source:       %s:%u%s\n", registry_file_name(reg, a->file), a->line,
           registry_aircraft_is_current(reg, a) ? "" : " (overridden)");
}

static void print_ship(const struct registry *reg, const struct reg_ship *s)
{
    printf("ship %s%s%s\n", s->name, s->hull[0] ? " " : "", s->hull);
    if (s->mmsi)
        printf("  mmsi:         %09u (%s)\n", s->mmsi,
               s->mmsi_verified ? "verified" : "unverified candidate");
    if (s->imo)
        printf("  imo:          %u\n", s->imo);
    if (s->callsign[0])
        printf("  call sign:    %s\n", s->callsign);
    printf("  class/type:   %s%s%s\n", s->ship_class, s->type[0] ? " / " : "", s->type);
    printf("  category:     %s\n", registry_category_name(s->category));
    printf("  role:         %s\n", registry_role_name(s->role));
    printf("  country:      %s\n", s->country);
    if (s->operator_name[0])
        printf("  operator:     %s\n", s->operator_name);
    printf("  match keys:   name '%s' hull '%s'\n", s->name_key, s->hull_key);
    printf("  source:       %s:%u%s\n", registry_file_name(reg, s->file), s->line,
           registry_ship_is_current(reg, s) ? "" : " (overridden)");
}

static bool all_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool all_dec(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int do_show(const struct registry *reg, const char *id)
{
    int found = 0;
    if (all_hex(id, 6)) {
        const struct reg_aircraft *a = registry_find_icao(reg, (uint32_t)strtoul(id, NULL, 16));
        if (a) {
            print_aircraft(reg, a);
            found++;
        }
    }
    if (all_dec(id, 9)) {
        const struct reg_ship *s = registry_find_mmsi(reg, (uint32_t)strtoul(id, NULL, 10));
        if (s) {
            print_ship(reg, s);
            found++;
        }
    }
    if (!found) {
        struct reg_name_parts np;
        registry_name_parse(id, &np);
        const struct reg_ship *s = NULL;
        if (np.hull[0])
            s = registry_find_ship_hull(reg, np.hull);
        if (!s && np.name[0])
            s = registry_find_ship_name(reg, np.name);
        if (!s)
            s = registry_find_ship_callsign(reg, id);
        if (s) {
            print_ship(reg, s);
            found++;
        }
        char key[24];
        registry_key_normalise(id, key, sizeof key);
        const struct reg_aircraft *a = registry_find_registration(reg, key);
        if (a) {
            print_aircraft(reg, a);
            found++;
        }
    }
    if (!found) {
        cmd_error("registry", "'%s' is not in the registry", id);
        return 1;
    }
    return 0;
}

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (!strncasecmp(p, needle, n))
            return true;
    return false;
}

static int do_search(const struct registry *reg, const char *text, long limit)
{
    long shown = 0, total = 0;
    char hex[8], mmsi[12];
    for (size_t i = 0; i < registry_ship_count(reg); i++) {
        const struct reg_ship *s = registry_ship_at(reg, i);
        snprintf(mmsi, sizeof mmsi, "%09u", s->mmsi);
        if (!registry_ship_is_current(reg, s))
            continue;
        if (!(contains(s->name, text) || contains(s->hull, text) || contains(s->callsign, text) ||
              (s->mmsi && contains(mmsi, text)) || contains(s->operator_name, text) ||
              contains(s->type, text) || contains(s->name_key, text)))
            continue;
        if (total++ < limit) {
            printf("ship      %-9s %-28s %-10s %-18s %s\n", s->mmsi ? mmsi : "-", s->name,
                   s->hull[0] ? s->hull : "-", registry_category_name(s->category),
                   registry_role_name(s->role));
            shown++;
        }
    }
    for (size_t i = 0; i < registry_aircraft_count(reg); i++) {
        const struct reg_aircraft *a = registry_aircraft_at(reg, i);
        snprintf(hex, sizeof hex, "%06X", a->icao);
        if (!(contains(hex, text) || contains(a->registration, text) ||
              contains(a->operator_name, text) || contains(a->type, text) ||
              contains(a->icao_type, text)))
            continue;
        if (!registry_aircraft_is_current(reg, a))
            continue;
        if (total++ < limit) {
            printf("aircraft  %-9s %-28s %-10s %-18s %s\n", hex, a->registration,
                   a->icao_type[0] ? a->icao_type : "-", registry_category_name(a->category),
                   a->operator_name);
            shown++;
        }
    }
    if (total > shown)
        printf("... %ld more (use --limit)\n", total - shown);
    if (!total) {
        cmd_error("registry", "nothing matches '%s'", text);
        return 1;
    }
    return 0;
}

struct count_ctx {
    long n;
};

static void count_err(void *ctx, const char *file, uint32_t line, const char *msg)
{
    ((struct count_ctx *)ctx)->n++;
    registry_err_print(stdout, file, line, msg);
}

static int do_validate(int n, char **files)
{
    int bad_files = 0;
    for (int i = 0; i < n; i++) {
        struct count_ctx cc = {0};
        // A callsign rule file starts (after comments) with "pattern,".
        size_t len;
        char *buf = csv_slurp(files[i], 256u << 20, &len);
        if (!buf) {
            printf("%s: cannot read\n", files[i]);
            bad_files++;
            continue;
        }
        const char *p = buf;
        while (*p == '#') {
            const char *nl = strchr(p, '\n');
            p = nl ? nl + 1 : p + strlen(p);
        }
        if (!strncmp(p, "pattern,", 8)) {
            struct callsign_rules *r = callsign_rules_new();
            int added = r ? callsign_rules_load_buf(r, buf, len, files[i], count_err, &cc) : -1;
            printf("%s: callsign rules: %d rules, %ld bad\n", files[i], added < 0 ? 0 : added,
                   cc.n);
            callsign_rules_free(r);
            if (added < 0 || cc.n)
                bad_files++;
        } else {
            struct registry *reg = registry_new();
            struct reg_load_stats st;
            int rc = reg ? registry_load_buf(reg, buf, len, files[i], count_err, &cc, &st) : -1;
            printf("%s: %s: %u rows, %u loaded, %u bad, %u overriding earlier rows\n", files[i],
                   registry_format_name(st.format), st.rows, st.loaded, st.bad, st.replaced);
            registry_free(reg);
            if (rc || cc.n)
                bad_files++;
        }
        free(buf);
    }
    return bad_files ? 1 : 0;
}

static int do_stats(const struct registry *reg, const char *data_dir)
{
    long cat_air[CAT_WARSHIP + 1] = {0}, cat_ship[CAT_WARSHIP + 1] = {0};
    long role[ROLE_COUNT] = {0};
    long air = 0, ships = 0, pia = 0, cand = 0, verified = 0;
    for (size_t i = 0; i < registry_aircraft_count(reg); i++) {
        const struct reg_aircraft *a = registry_aircraft_at(reg, i);
        if (!registry_aircraft_is_current(reg, a))
            continue;
        air++;
        cat_air[a->category]++;
        role[a->role]++;
        pia += a->cls == AIRCLASS_PIA;
    }
    for (size_t i = 0; i < registry_ship_count(reg); i++) {
        const struct reg_ship *s = registry_ship_at(reg, i);
        if (!registry_ship_is_current(reg, s))
            continue;
        ships++;
        cat_ship[s->category]++;
        role[s->role]++;
        cand += s->mmsi && !s->mmsi_verified;
        verified += s->mmsi && s->mmsi_verified;
    }
    printf("data directory: %s\n", data_dir[0] ? data_dir : "(none)");
    printf("files:\n");
    for (size_t i = 0; i < registry_file_count(reg); i++)
        printf("  %s\n", registry_file_name(reg, i));
    printf("aircraft: %ld (PIA addresses %ld)\n", air, pia);
    for (int c = 0; c <= CAT_WARSHIP; c++)
        if (cat_air[c])
            printf("  %-18s %ld\n", registry_category_name(c), cat_air[c]);
    printf("ships: %ld (MMSI verified %ld, candidate %ld)\n", ships, verified, cand);
    for (int c = 0; c <= CAT_WARSHIP; c++)
        if (cat_ship[c])
            printf("  %-18s %ld\n", registry_category_name(c), cat_ship[c]);
    printf("roles:\n");
    for (int r = 1; r < ROLE_COUNT; r++)
        if (role[r])
            printf("  %-26s %ld\n", registry_role_name(r), role[r]);
    size_t nmid, ncb, nmb;
    tables_mid_all(&nmid);
    tables_icao_country_all(&ncb);
    tables_icao_military_all(&nmb);
    printf("built-in tables: %zu MIDs, %zu ICAO country blocks, %zu military blocks\n", nmid, ncb,
           nmb);
    return 0;
}

#define MAX_USER_FILES 64

static int registry_exec(int argc, char **argv)
{
    static const struct option longopts[] = {{"registry", required_argument, 0, 'r'},
                                             {"no-default-registry", no_argument, 0, 'N'},
                                             {"limit", required_argument, 0, 'l'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    char *files[MAX_USER_FILES];
    size_t nfiles = 0;
    bool no_defaults = false;
    long limit = 50;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:Nh", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (nfiles == MAX_USER_FILES) {
                cmd_error("registry", "at most %d --registry files", MAX_USER_FILES);
                return 2;
            }
            files[nfiles++] = optarg;
            break;
        case 'N':
            no_defaults = true;
            break;
        case 'l':
            limit = strtol(optarg, NULL, 10);
            if (limit <= 0) {
                cmd_error("registry", "bad --limit '%s'", optarg);
                return 2;
            }
            break;
        case 'h':
            fputs(registry_usage, stdout);
            return 0;
        default:
            fputs(registry_usage, stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs(registry_usage, stderr);
        return 2;
    }
    const char *sub = argv[optind++];
    int nargs = argc - optind;
    char **args = argv + optind;
    if (!strcmp(sub, "validate")) {
        if (nargs < 1) {
            cmd_error("registry", "validate needs at least one FILE");
            return 2;
        }
        return do_validate(nargs, args);
    }
    bool is_show = !strcmp(sub, "show"), is_search = !strcmp(sub, "search");
    bool is_stats = !strcmp(sub, "stats");
    if (!is_show && !is_search && !is_stats) {
        cmd_error("registry", "unknown command '%s' (show, search, validate, stats)", sub);
        return 2;
    }
    if ((is_show || is_search) && nargs != 1) {
        cmd_error("registry", "%s needs exactly one argument", sub);
        return 2;
    }
    int failed;
    char data_dir[PATH_MAX];
    struct registry *reg = registry_setup(no_defaults, files, nfiles, registry_err_print, stderr,
                                          &failed, data_dir, sizeof data_dir);
    if (!reg) {
        cmd_error("registry", "out of memory");
        return 1;
    }
    int rc = is_show     ? do_show(reg, args[0])
             : is_search ? do_search(reg, args[0], limit)
                         : do_stats(reg, data_dir);
    registry_free(reg);
    return rc;
}

const struct orbat_cmd cmd_registry = {
    .name = "registry",
    .summary = "look up, search and validate the ship/aircraft registry",
    .usage = registry_usage,
    .exec = registry_exec,
};
