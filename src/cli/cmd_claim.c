/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd_claim.c - `orbat claim add|import|list|check`: a ledger of claims
 * made in public reporting, and their check against the transponder data
 * in the store (src/claims/, docs/claims.md).
 */
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claim.h"
#include "claims/claim_check.h"
#include "claims/claim_out.h"
#include "cli/store_cli.h"
#include "registry/csv.h"
#include "report/report.h"
#include "report/rtime.h"

#define CLAIM_CSV_MAX (8u << 20)

static const char claim_usage[] =
    "usage: orbat claim add --kind KIND [--asset KEY] -F TIME -T TIME [--ref REF]\n"
    "                       [--area AREA] [--claim MEASURE] [--text TEXT] [-S URL]\n"
    "                       [-b WHO] [--published TIME] [-t THEATRE] [-d FILE]\n"
    "       orbat claim add --spec 'kind=...; asset=...; from=...; to=...; ...' [...]\n"
    "       orbat claim import FILE.csv [--skip-bad] [-d FILE]\n"
    "       orbat claim list [-f table|json|markdown] [-d FILE]\n"
    "       orbat claim check [ID | --all] [-f table|json|markdown] [-d FILE]\n"
    "\n"
    "A claim is checked against the public transponder data in the store:\n"
    "supported, contradicted, partly supported or no public data, with the\n"
    "measured value, the margin, the coverage and the evidence rows.\n"
    "\n"
    "  KIND: distance, presence, absence, count, incident\n"
    "  KEY: name, hull, call sign (BUNNY0* as a prefix), hex:ICAO, mmsi:MMSI, role:WORD\n"
    "  REF (distance): venezuela_coast, venezuela_12nm_line, point:LAT,LON\n"
    "  AREA: a theatre, zone:NAME, bbox:S,W,N,E, circle:LAT,LON,R UNIT (incident)\n"
    "  MEASURE: 'within 6 nmi', 'about 80 km', 'at least 10 warships' (units nm,\n"
    "           nmi, km, mi; qualifier required)\n"
    "\n"
    "      --kind KIND        the kind of claim\n"
    "      --asset KEY        the asset the claim is about\n"
    "  -F, --from TIME        start of the window the claim is about\n"
    "  -T, --to TIME          end of the window\n"
    "  -a, --as-of TIME       count: the window is the 7 days up to TIME\n"
    "      --ref REF          distance: what the distance is measured to\n"
    "      --area AREA        presence, absence, count, incident: where\n"
    "      --claim MEASURE    distance or count with its qualifier\n"
    "      --spec SPEC        the whole claim as one spec (docs/claims.md)\n"
    "      --text TEXT        the claim as published\n"
    "  -S, --source URL       where it was published\n"
    "  -b, --by WHO           who claimed it\n"
    "      --published TIME   when it was published\n"
    "  -t, --theatre NAME     theatre for references and zones (default caribbean)\n"
    "      --skip-bad         import: store the good rows even when some are refused\n"
    "      --all              check: every claim (the default)\n"
    "  -f, --format FMT       list/check output: table (default), json, markdown\n"
    "  -d, --db FILE          database (default $ORBAT_DB or orbat.db)\n";

/* An asset key that is an identity (hex/MMSI) may name an asset never
 * seen: checking it then says "no public data". Anything else must be in
 * the store. */
static bool identity_key(const char *k)
{
    if (!strncmp(k, "hex:", 4) || !strncmp(k, "mmsi:", 5))
        return true;
    size_t n = strlen(k);
    return (n == 6 && strspn(k, "0123456789abcdefABCDEF") == 6) ||
           (n == 9 && strspn(k, "0123456789") == 9);
}

/* Check that the claim can be checked: its asset is known, its theatre,
 * reference and zone exist. */
static int validate(struct store *s, const struct claim *c, char *err, size_t errlen)
{
    if (c->asset[0] && !identity_key(c->asset)) {
        int64_t ids[1];
        size_t n = 0;
        int rc = claim_resolve(s, c->asset, 0, 0, ids, 1, &n);
        if (rc)
            return snprintf(err, errlen, "%s", store_errmsg(s)), rc;
        if (!n) {
            snprintf(err, errlen,
                     "unknown asset '%s': not in the store (give hex:ICAO or mmsi:MMSI for an "
                     "asset never seen)",
                     c->asset);
            return ORBAT_E_NOTFOUND;
        }
    }
    struct claim_result *r = malloc(sizeof *r);
    if (!r)
        return snprintf(err, errlen, "out of memory"), ORBAT_E_NOMEM;
    int rc = claim_check(s, c, r, err, errlen);
    free(r);
    return rc;
}

static void to_store(const struct claim *c, const char *spec, struct store_claim *sc)
{
    store_strlcpy(sc->kind, claim_kind_name(c->kind), sizeof sc->kind);
    store_strlcpy(sc->spec, spec, sizeof sc->spec);
    sc->from_ms = c->from_ms;
    sc->to_ms = c->to_ms;
    if (!sc->added_ms)
        rtime_parse("now", &sc->added_ms);
}

static int put_all(struct store *s, struct store_claim *v, size_t n, size_t *added)
{
    int rc = store_begin(s);
    *added = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        rc = store_claim_put(s, &v[i]);
        if (rc == ORBAT_AGAIN)
            printf("claim %lld: already stored\n", (long long)v[i].id), rc = 0;
        else if (!rc)
            printf("claim %lld: added (%s)\n", (long long)v[i].id, v[i].spec), ++*added;
    }
    if (!rc)
        rc = store_commit(s);
    else
        store_rollback(s);
    return rc;
}

static int do_import(struct store *s, const char *path, bool skip_bad)
{
    size_t len;
    char *buf = csv_slurp(path, CLAIM_CSV_MAX, &len);
    if (!buf) {
        cmd_error("claim", "%s: cannot read", path);
        return 1;
    }
    struct csv_reader rd;
    csv_init(&rd, buf, len, ',');
    struct csv_row *hdr = malloc(sizeof *hdr), *row = malloc(sizeof *row);
    struct store_claim *v = NULL;
    size_t n = 0, cap = 0, bad = 0;
    int rc = 1;
    char *names[CSV_MAX_FIELDS];
    int nh = 0;
    if (!hdr || !row || csv_next(&rd, hdr) != CSV_RECORD) {
        cmd_error("claim", "%s: no header line", path);
        goto out;
    }
    for (nh = 0; nh < hdr->nfields; nh++) {
        names[nh] = (char *)hdr->field[nh];
        for (char *p = names[nh]; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    enum csv_status st;
    while ((st = csv_next(&rd, row)) != CSV_EOF) {
        char err[320];
        struct claim_row_out o;
        struct claim c;
        if (st == CSV_ERROR) {
            fprintf(stderr, "orbat claim: %s:%u: %s\n", path, row->line, row->err);
            bad++;
            continue;
        }
        if (claim_csv_row((const char *const *)names, nh, row->field, row->nfields, &o, err,
                          sizeof err) ||
            claim_parse_spec(o.spec, &c, err, sizeof err) || validate(s, &c, err, sizeof err)) {
            fprintf(stderr, "orbat claim: %s:%u: refused: %s\n", path, row->line, err);
            bad++;
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            struct store_claim *nv = realloc(v, nc * sizeof *v);
            if (!nv) {
                cmd_error("claim", "out of memory");
                goto out;
            }
            v = nv, cap = nc;
        }
        struct store_claim *sc = &v[n++];
        memset(sc, 0, sizeof *sc);
        to_store(&c, o.spec, sc);
        store_strlcpy(sc->text, o.text, sizeof sc->text);
        store_strlcpy(sc->source_url, o.source_url, sizeof sc->source_url);
        store_strlcpy(sc->claimant, o.claimant, sizeof sc->claimant);
        sc->published_ms = o.published_ms;
    }
    if (bad && !skip_bad) {
        cmd_error("claim", "%s: %zu row%s refused; nothing stored (fix them, or --skip-bad)", path,
                  bad, bad == 1 ? "" : "s");
        goto out;
    }
    size_t added;
    if ((rc = put_all(s, v, n, &added)) != 0) {
        cmd_error("claim", "%s", store_errmsg(s));
        rc = 1;
        goto out;
    }
    printf("%s: %zu claims, %zu new, %zu rows refused\n", path, n, added, bad);
    rc = 0;
out:
    free(v);
    free(hdr);
    free(row);
    free(buf);
    return rc;
}

struct out_ctx {
    struct store *s;
    int fmt;
    bool check;
    size_t n;
    int rc;
    char err[320];
    struct claim_result *r;
};

static int each_claim(void *ctx, const struct store_claim *sc)
{
    struct out_ctx *x = ctx;
    struct claim c;
    char err[320];
    if (claim_parse_spec(sc->spec, &c, err, sizeof err)) {
        fprintf(stderr, "orbat claim: claim %lld: stored spec unreadable: %s\n", (long long)sc->id,
                err);
        x->rc = 1;
        return 0;
    }
    const struct claim_result *r = NULL;
    if (x->check) {
        if (claim_check(x->s, &c, x->r, err, sizeof err)) {
            fprintf(stderr, "orbat claim: claim %lld: %s\n", (long long)sc->id, err);
            x->rc = 1;
            return 0;
        }
        r = x->r;
    }
    if (x->fmt == RFMT_JSON) {
        fputs(x->n ? ",\n" : "\n", stdout);
        claim_out_json(stdout, sc, &c, r);
    } else if (x->fmt == RFMT_MARKDOWN) {
        claim_out_markdown(stdout, sc, &c, r);
    } else {
        if (x->n)
            fputc('\n', stdout);
        claim_out_table(stdout, sc, &c, r);
    }
    x->n++;
    return 0;
}

static int src_cb(void *ctx, const struct store_source *src)
{
    FILE *out = ctx;
    const char *b = strrchr(src->name, '/');
    fprintf(out, "- %s%s: %llu messages\n", b ? b + 1 : src->name,
            src->simulated ? " (SIMULATED)" : "", (unsigned long long)src->messages);
    return 0;
}

static int do_output(struct store *s, int64_t id, int fmt, bool check)
{
    struct out_ctx x = {.s = s, .fmt = fmt, .check = check};
    if (check && !(x.r = malloc(sizeof *x.r))) {
        cmd_error("claim", "out of memory");
        return 1;
    }
    uint64_t nsrc = 0, nsim = 0;
    store_source_counts(s, &nsrc, &nsim);
    if (fmt == RFMT_JSON)
        printf("{\"simulated_sources\":%llu,\"sources\":%llu,\"claims\":[",
               (unsigned long long)nsim, (unsigned long long)nsrc);
    else if (check)
        report_simulated_notice(stdout, nsim, nsrc, fmt == RFMT_MARKDOWN);
    if (fmt == RFMT_MARKDOWN && check && nsim)
        fputc('\n', stdout);
    int rc = store_claims(s, id, each_claim, &x);
    if (!rc && id && !x.n) {
        cmd_error("claim", "no claim %lld", (long long)id);
        rc = 1;
    }
    if (fmt == RFMT_JSON) {
        printf("\n]}\n");
    } else if (check && x.n) {
        char lic[2048];
        if (fmt == RFMT_MARKDOWN) {
            fputs("**Data sources**\n\n", stdout);
            store_sources(s, src_cb, stdout);
        }
        if (store_source_licences(s, lic, sizeof lic) == ORBAT_OK)
            report_licence_footer(stdout, lic, fmt == RFMT_MARKDOWN);
    }
    if (!x.n && !rc && fmt != RFMT_JSON)
        printf("no claims stored (orbat claim add / import)\n");
    free(x.r);
    if (rc && rc != 1)
        cmd_error("claim", "%s", store_errmsg(s));
    return rc || x.rc ? 1 : 0;
}

static int claim_exec(int argc, char **argv)
{
    enum {
        O_KIND = 256,
        O_ASSET,
        O_REF,
        O_AREA,
        O_CLAIM,
        O_SPEC,
        O_TEXT,
        O_PUB,
        O_SKIP,
        O_ALL
    };
    static const struct option longopts[] = {{"kind", required_argument, 0, O_KIND},
                                             {"asset", required_argument, 0, O_ASSET},
                                             {"from", required_argument, 0, 'F'},
                                             {"to", required_argument, 0, 'T'},
                                             {"as-of", required_argument, 0, 'a'},
                                             {"ref", required_argument, 0, O_REF},
                                             {"area", required_argument, 0, O_AREA},
                                             {"claim", required_argument, 0, O_CLAIM},
                                             {"spec", required_argument, 0, O_SPEC},
                                             {"text", required_argument, 0, O_TEXT},
                                             {"source", required_argument, 0, 'S'},
                                             {"by", required_argument, 0, 'b'},
                                             {"published", required_argument, 0, O_PUB},
                                             {"theatre", required_argument, 0, 't'},
                                             {"skip-bad", no_argument, 0, O_SKIP},
                                             {"all", no_argument, 0, O_ALL},
                                             {"format", required_argument, 0, 'f'},
                                             {"db", required_argument, 0, 'd'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    static const char *const subs[] = {"add", "import", "list", "check"};
    int sub = -1;
    for (int i = 0; argc >= 2 && i < 4; i++)
        if (!strcmp(argv[1], subs[i]))
            sub = i;
    if (sub < 0) {
        bool help = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
        fputs(claim_usage, help ? stdout : stderr);
        return help ? 0 : 2;
    }
    const char *db = store_cli_default_db();
    const char *kind = NULL, *asset = NULL, *from = NULL, *to = NULL, *as_of = NULL, *ref = NULL;
    const char *area = NULL, *measure = NULL, *spec = NULL, *theatre = NULL;
    struct store_claim sc;
    memset(&sc, 0, sizeof sc);
    bool skip_bad = false;
    int fmt = RFMT_TABLE, c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "F:T:a:S:b:t:f:d:h", longopts, NULL)) != -1) {
        switch (c) {
        case O_KIND:
            kind = optarg;
            break;
        case O_ASSET:
            asset = optarg;
            break;
        case 'F':
            from = optarg;
            break;
        case 'T':
            to = optarg;
            break;
        case 'a':
            as_of = optarg;
            break;
        case O_REF:
            ref = optarg;
            break;
        case O_AREA:
            area = optarg;
            break;
        case O_CLAIM:
            measure = optarg;
            break;
        case O_SPEC:
            spec = optarg;
            break;
        case O_TEXT:
            store_strlcpy(sc.text, optarg, sizeof sc.text);
            break;
        case 'S':
            store_strlcpy(sc.source_url, optarg, sizeof sc.source_url);
            break;
        case 'b':
            store_strlcpy(sc.claimant, optarg, sizeof sc.claimant);
            break;
        case O_PUB:
            if (store_cli_time("claim", "--published", optarg, &sc.published_ms))
                return 2;
            break;
        case 't':
            theatre = optarg;
            break;
        case O_SKIP:
            skip_bad = true;
            break;
        case O_ALL:
            break;
        case 'f':
            if (store_cli_format("claim", optarg,
                                 1u << RFMT_TABLE | 1u << RFMT_JSON | 1u << RFMT_MARKDOWN, &fmt))
                return 2;
            break;
        case 'd':
            db = optarg;
            break;
        case 'h':
            fputs(claim_usage, stdout);
            return 0;
        default:
            fputs(claim_usage, stderr);
            return 2;
        }
    }
    int64_t id = 0;
    const char *file = NULL;
    if (sub == 1) {
        if (optind + 1 != argc) {
            cmd_error("claim", "import needs one FILE.csv");
            return 2;
        }
        file = argv[optind];
    } else if (sub == 3 && optind + 1 == argc) {
        char *end;
        id = strtoll(argv[optind], &end, 10);
        if (end == argv[optind] || *end || id <= 0) {
            cmd_error("claim", "check: '%s' is not a claim id", argv[optind]);
            return 2;
        }
    } else if (optind != argc) {
        fputs(claim_usage, stderr);
        return 2;
    }
    // add: build the spec from the options (or take --spec), parse it strictly
    struct claim cl;
    char specbuf[CLAIM_SPEC_MAX * 2], canon[CLAIM_SPEC_MAX], err[320];
    if (sub == 0) {
        if (spec) {
            snprintf(specbuf, sizeof specbuf, "%s", spec);
        } else {
            char f2[40] = "";
            if (as_of && !from) {
                int64_t ms;
                int prc = rtime_parse(as_of, &ms);
                if (prc < 0) {
                    cmd_error("claim", "--as-of %s: %s", as_of,
                              prc == -2 ? "outside " RTIME_RANGE_TEXT : "not a time");
                    return 2;
                }
                rtime_format(ms - 7 * 86400000LL, f2, sizeof f2);
                from = f2, to = as_of;
            }
            int n = snprintf(specbuf, sizeof specbuf, "kind=%s", kind ? kind : "");
#define ADD(k, v)                                                                                  \
    if ((v) && n > 0 && (size_t)n < sizeof specbuf) {                                              \
        if (strchr((v), ';')) {                                                                    \
            cmd_error("claim", "--%s: no ';' allowed", k);                                         \
            return 2;                                                                              \
        }                                                                                          \
        n += snprintf(specbuf + n, sizeof specbuf - (size_t)n, "; %s=%s", k, (v));                 \
    }
            ADD("asset", asset);
            ADD("from", from);
            ADD("to", to);
            ADD("ref", ref);
            ADD("area", area);
            ADD("claim", measure);
            ADD("theatre", theatre);
#undef ADD
        }
        if (claim_parse_spec(specbuf, &cl, err, sizeof err)) {
            cmd_error("claim", "refused: %s", err);
            return 2;
        }
        if (claim_format_spec(&cl, canon, sizeof canon)) {
            cmd_error("claim", "refused: the claim is too long");
            return 2;
        }
    }
    struct store *s = sub >= 2 ? store_cli_open_existing("claim", db) : store_cli_open("claim", db);
    if (!s)
        return 1;
    int rc = 0;
    if (sub == 0) {
        if ((rc = validate(s, &cl, err, sizeof err)) != 0) {
            cmd_error("claim", "refused: %s", err);
            rc = 2;
        } else {
            to_store(&cl, canon, &sc);
            size_t added;
            if ((rc = put_all(s, &sc, 1, &added)) != 0) {
                cmd_error("claim", "%s", store_errmsg(s));
                rc = 1;
            }
        }
    } else if (sub == 1) {
        rc = do_import(s, file, skip_bad);
    } else {
        rc = do_output(s, id, fmt, sub == 3);
    }
    store_close(s);
    if (store_cli_close_out("claim", stdout, "-") && !rc)
        rc = 1;
    return rc;
}

const struct orbat_cmd cmd_claim = {
    .name = "claim",
    .summary = "add, import, list and check claims from public reporting",
    .usage = claim_usage,
    .exec = claim_exec,
};
