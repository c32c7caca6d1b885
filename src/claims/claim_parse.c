/* SPDX-License-Identifier: BSD-2-Clause
 *
 * claim_parse.c - the strict claim parser (claim.h): measures ("within 6
 * nmi", "at least 10 warships"), canonical specs and CSV rows. Anything
 * ambiguous is refused with a message saying what to add.
 */
#include "claims/claim.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rtime.h"

#define NM_PER_KM (1.0 / 1.852)
#define NM_PER_MI (1609.344 / 1852.0)

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return ORBAT_E_INVAL;
}

static const char *const kind_names[] = {"",        "distance", "presence",
                                         "absence", "count",    "incident"};

const char *claim_kind_name(enum claim_kind k)
{
    return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "";
}

enum claim_kind claim_kind_parse(const char *s)
{
    for (size_t i = 1; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (!strcmp(s, kind_names[i]))
            return (enum claim_kind)i;
    return CLAIM_NONE;
}

const char *claim_qual_text(enum claim_qual q)
{
    switch (q) {
    case CQ_LE:
        return "within";
    case CQ_LT:
        return "less than";
    case CQ_ABOUT:
        return "about";
    case CQ_GE:
        return "at least";
    case CQ_GT:
        return "more than";
    case CQ_EQ:
        return "exactly";
    default:
        return "";
    }
}

const char *claim_unit_text(enum claim_unit u)
{
    return u == CU_NM ? "nm" : u == CU_KM ? "km" : u == CU_MI ? "mi" : "";
}

double claim_unit_nm(enum claim_unit u)
{
    return u == CU_NM ? 1.0 : u == CU_KM ? NM_PER_KM : u == CU_MI ? NM_PER_MI : 0.0;
}

/* Lowercase s into buf with runs of blanks folded to one space and the ends
 * trimmed; -1 when it does not fit. */
static int fold(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    bool sp = false;
    while (*s == ' ' || *s == '\t')
        s++;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = true;
            continue;
        }
        if (sp && n) {
            if (n + 1 >= size)
                return -1;
            buf[n++] = ' ';
        }
        sp = false;
        if (n + 1 >= size)
            return -1;
        buf[n++] = (char)tolower(ch);
    }
    buf[n] = '\0';
    return 0;
}

static const struct {
    const char *w;
    enum claim_qual q;
} quals[] = {
    {"no more than", CQ_LE},
    {"no less than", CQ_GE},
    {"fewer than", CQ_LT},
    {"less than", CQ_LT},
    {"more than", CQ_GT},
    {"at least", CQ_GE},
    {"at most", CQ_LE},
    {"up to", CQ_LE},
    {"within", CQ_LE},
    {"under", CQ_LT},
    {"over", CQ_GT},
    {"beyond", CQ_GT},
    {"about", CQ_ABOUT},
    {"around", CQ_ABOUT},
    {"approximately", CQ_ABOUT},
    {"roughly", CQ_ABOUT},
    {"exactly", CQ_EQ},
    {"<=", CQ_LE},
    {">=", CQ_GE},
    {"<", CQ_LT},
    {">", CQ_GT},
    {"~", CQ_ABOUT},
};

/* The word at p is w followed by a space, a digit or the end. */
static bool word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(p, w, n))
        return false;
    char c = p[n];
    return c == '\0' || c == ' ' || isdigit((unsigned char)c) || !isalpha((unsigned char)w[0]);
}

static const struct {
    const char *w;
    enum claim_unit u;
} units[] = {
    {"nautical miles", CU_NM},
    {"nautical mile", CU_NM},
    {"nmi", CU_NM},
    {"nm", CU_NM},
    {"kilometres", CU_KM},
    {"kilometre", CU_KM},
    {"kilometers", CU_KM},
    {"kilometer", CU_KM},
    {"km", CU_KM},
    {"statute miles", CU_MI},
    {"statute mile", CU_MI},
    {"mi", CU_MI},
};

static const struct {
    const char *w;
    const char *cat;
} cats[] = {
    {"warships", "warship"},
    {"warship", "warship"},
    {"ships", "warship"},
    {"ship", "warship"},
    {"vessels", "warship"},
    {"vessel", "warship"},
    {"bombers", "bomber"},
    {"bomber", "bomber"},
    {"aircraft", "military aircraft"},
    {"planes", "military aircraft"},
    {"plane", "military aircraft"},
    {"assets", "military"},
    {"asset", "military"},
};

static const char *const cat_prefixes[] = {"us ",    "u.s. ",     "american ", "navy ",
                                           "naval ", "military ", "combat "};

int claim_parse_measure(const char *s, enum claim_kind k, struct claim_measure *m, char *err,
                        size_t errlen)
{
    char buf[160];
    memset(m, 0, sizeof *m);
    if (k != CLAIM_DISTANCE && k != CLAIM_COUNT)
        return fail(err, errlen, "only distance and count claims have a measure");
    const char *eg = k == CLAIM_DISTANCE ? "'within 6 nmi', 'about 80 km', 'at least 12 nm'"
                                         : "'at least 10 warships', 'exactly 8 ships'";
    if (!s || fold(s, buf, sizeof buf) < 0)
        return fail(err, errlen, "the claim is missing or longer than %zu bytes", sizeof buf - 1);
    if (!buf[0])
        return fail(err, errlen, "empty claim: write it as %s", eg);
    const char *p = buf;
    for (size_t i = 0; i < sizeof quals / sizeof quals[0]; i++)
        if (word_at(p, quals[i].w)) {
            m->qual = quals[i].q;
            p += strlen(quals[i].w);
            break;
        }
    while (*p == ' ')
        p++;
    if (!isdigit((unsigned char)*p)) {
        if (m->qual == CQ_NONE && isalpha((unsigned char)*p))
            return fail(err, errlen, "'%s': unknown qualifier or a number in words; write it as %s",
                        buf, eg);
        return fail(err, errlen, "'%s': write the number in digits, as %s", buf, eg);
    }
    char *end;
    double v = strtod(p, &end);
    if (end == p || !isfinite(v) || (*end && *end != ' ' && !isalpha((unsigned char)*end)))
        return fail(err, errlen, "'%s': bad number; write it as %s", buf, eg);
    p = end;
    while (*p == ' ')
        p++;
    m->value = v;
    if (m->qual == CQ_NONE)
        return fail(err, errlen, "'%s' has no qualifier: add one of %s before the number (e.g. %s)",
                    buf,
                    k == CLAIM_DISTANCE ? "within, about, at least, more than, less than"
                                        : "exactly, at least, more than, about, at most",
                    eg);
    if (k == CLAIM_DISTANCE) {
        if (m->qual == CQ_EQ)
            return fail(err, errlen,
                        "'exactly' is for counts; a distance takes within, about, at least, "
                        "more than or less than");
        if (!*p)
            return fail(err, errlen, "'%s' has no unit: add nm, nmi, km or mi", buf);
        if (word_at(p, "miles") || word_at(p, "mile"))
            return fail(err, errlen,
                        "'%s': 'miles' is ambiguous: write nmi (nautical) or mi (statute)", buf);
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (word_at(p, units[i].w)) {
                m->unit = units[i].u;
                p += strlen(units[i].w);
                break;
            }
        if (m->unit == CU_NONE)
            return fail(err, errlen, "'%s': unknown unit '%s': use nm, nmi, km or mi", buf, p);
        while (*p == ' ')
            p++;
        if (*p)
            return fail(err, errlen,
                        "'%s': unexpected '%s' after the unit (the reference goes in ref=)", buf,
                        p);
        m->nm = v * claim_unit_nm(m->unit);
        if (!(v > 0) || m->nm > CLAIM_MAX_NM)
            return fail(err, errlen, "'%s': a distance is > 0 and at most %.0f nm", buf,
                        CLAIM_MAX_NM);
        return ORBAT_OK;
    }
    // count
    if (v != floor(v) || v < 0 || v > CLAIM_MAX_COUNT)
        return fail(err, errlen, "'%s': a count is a whole number from 0 to %.0f", buf,
                    CLAIM_MAX_COUNT);
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof cat_prefixes / sizeof cat_prefixes[0]; i++)
            if (!strncmp(p, cat_prefixes[i], strlen(cat_prefixes[i]))) {
                p += strlen(cat_prefixes[i]);
                again = true;
            }
    }
    if (!*p)
        return fail(err, errlen,
                    "'%s' does not say what is counted: add warships, bombers, aircraft or "
                    "assets",
                    buf);
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        if (!strcmp(p, cats[i].w)) {
            snprintf(m->category, sizeof m->category, "%s", cats[i].cat);
            return ORBAT_OK;
        }
    return fail(err, errlen, "'%s': cannot count '%s': use warships, bombers, aircraft or assets",
                buf, p);
}

void claim_format_measure(const struct claim_measure *m, enum claim_kind k, char *buf, size_t size)
{
    if (k == CLAIM_DISTANCE) {
        snprintf(buf, size, "%s %.10g %s", claim_qual_text(m->qual), m->value,
                 claim_unit_text(m->unit));
    } else if (k == CLAIM_COUNT) {
        const char *q = m->qual == CQ_LE   ? "at most"
                        : m->qual == CQ_LT ? "fewer than"
                                           : claim_qual_text(m->qual);
        const char *what = !strcmp(m->category, "warship")    ? "warships"
                           : !strcmp(m->category, "bomber")   ? "bombers"
                           : !strcmp(m->category, "military") ? "military assets"
                                                              : m->category;
        snprintf(buf, size, "%s %.0f %s", q, m->value, what);
    } else if (size)
        buf[0] = '\0';
}

/* ---- specs ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Parse n comma-separated numbers from s into v; the rest (after the last
 * comma-separated number) into *rest. */
static int numbers(const char *s, double *v, int n, const char **rest)
{
    const char *p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        while (*p == ' ')
            p++;
        v[i] = strtod(p, &end);
        if (end == p || !isfinite(v[i]))
            return -1;
        p = end;
        while (*p == ' ')
            p++;
        if (i + 1 < n) {
            if (*p != ',')
                return -1;
            p++;
        }
    }
    if (rest)
        *rest = p;
    else if (*p)
        return -1;
    return 0;
}

static bool latlon_ok(double lat, double lon)
{
    return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

static bool name_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!n || n >= max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static int parse_time(const char *key, const char *v, int64_t *ms, char *err, size_t errlen)
{
    int rc = rtime_parse(v, ms);
    if (rc == -2)
        return fail(err, errlen, "%s=%s: outside %s", key, v, RTIME_RANGE_TEXT);
    if (rc < 0 || !strcmp(v, "now"))
        return fail(err, errlen, "%s=%s: not a time (write 2025-10-23 or 2025-10-23T18:00Z)", key,
                    v);
    return 0;
}

static int parse_asset(const char *v, struct claim *c, char *err, size_t errlen)
{
    if (!v[0] || strlen(v) >= sizeof c->asset || strpbrk(v, "=;\"\\"))
        return fail(err, errlen, "asset=%s: give a name, hull, call sign, hex, MMSI or role:WORD",
                    v);
    if (!strncmp(v, "hex:", 4)) {
        if (strlen(v + 4) != 6 || strspn(v + 4, "0123456789abcdefABCDEF") != 6)
            return fail(err, errlen, "asset=%s: an ICAO hex has 6 hex digits", v);
    } else if (!strncmp(v, "mmsi:", 5)) {
        if (strlen(v + 5) != 9 || strspn(v + 5, "0123456789") != 9)
            return fail(err, errlen, "asset=%s: an MMSI has 9 digits", v);
    } else if (!strncmp(v, "role:", 5) && !v[5]) {
        return fail(err, errlen, "asset=role: needs a word (role:bomber)");
    }
    const char *star = strchr(v, '*');
    if (star && (star[1] || star == v || !strncmp(v, "role:", 5)))
        return fail(err, errlen, "asset=%s: '*' only ends a call sign pattern (BUNNY0*)", v);
    snprintf(c->asset, sizeof c->asset, "%s", v);
    return 0;
}

static int parse_ref(const char *v, struct claim *c, char *err, size_t errlen)
{
    if (!strncmp(v, "point:", 6)) {
        double ll[2];
        if (numbers(v + 6, ll, 2, NULL) < 0 || !latlon_ok(ll[0], ll[1]))
            return fail(err, errlen, "ref=%s: write point:LAT,LON in decimal degrees", v);
        c->ref[0] = '\0';
        c->ref_lat = ll[0];
        c->ref_lon = ll[1];
        return 0;
    }
    if (!name_ok(v, sizeof c->ref))
        return fail(err, errlen,
                    "ref=%s: give an approach layer of the theatre (venezuela_coast, "
                    "venezuela_12nm_line) or point:LAT,LON",
                    v);
    snprintf(c->ref, sizeof c->ref, "%s", v);
    return 0;
}

static int parse_radius(const char *s, struct claim *c, char *err, size_t errlen)
{
    char buf[64];
    if (fold(s, buf, sizeof buf) < 0 || !buf[0])
        return fail(err, errlen, "a circle needs a radius with its unit (circle:LAT,LON,20 km)");
    char *end;
    double v = strtod(buf, &end);
    if (end == buf || !isfinite(v) || !(v > 0))
        return fail(err, errlen, "circle radius '%s': a number > 0 with its unit (20 km)", buf);
    while (*end == ' ')
        end++;
    if (!*end)
        return fail(err, errlen, "circle radius '%s' has no unit: add nm, nmi, km or mi", buf);
    if (word_at(end, "miles") || word_at(end, "mile"))
        return fail(err, errlen, "circle radius: 'miles' is ambiguous: write nmi or mi");
    enum claim_unit u = CU_NONE;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(end, units[i].w))
            u = units[i].u;
    if (u == CU_NONE)
        return fail(err, errlen, "circle radius: unknown unit '%s': use nm, nmi, km or mi", end);
    c->radius_value = v;
    c->radius_unit = u;
    c->radius_nm = v * claim_unit_nm(u);
    if (c->radius_nm > 500)
        return fail(err, errlen, "circle radius: at most 500 nm");
    return 0;
}

static int parse_area(const char *v, struct claim *c, char *err, size_t errlen)
{
    if (!strncmp(v, "zone:", 5)) {
        if (!name_ok(v + 5, sizeof c->zone))
            return fail(err, errlen, "area=%s: zone:NAME (a zone of the theatre)", v);
        c->area = CA_ZONE;
        snprintf(c->zone, sizeof c->zone, "%s", v + 5);
        return 0;
    }
    if (!strncmp(v, "bbox:", 5)) {
        double b[4];
        if (numbers(v + 5, b, 4, NULL) < 0 || !latlon_ok(b[0], b[1]) || !latlon_ok(b[2], b[3]) ||
            b[0] >= b[2] || b[1] >= b[3])
            return fail(err, errlen, "area=%s: write bbox:SOUTH,WEST,NORTH,EAST (degrees)", v);
        c->area = CA_BBOX;
        c->south = b[0], c->west = b[1], c->north = b[2], c->east = b[3];
        return 0;
    }
    if (!strncmp(v, "circle:", 7)) {
        double ll[2];
        const char *rest;
        if (numbers(v + 7, ll, 2, &rest) < 0 || *rest != ',' || !latlon_ok(ll[0], ll[1]))
            return fail(err, errlen, "area=%s: write circle:LAT,LON,RADIUS UNIT", v);
        c->area = CA_CIRCLE;
        c->lat = ll[0], c->lon = ll[1];
        return parse_radius(rest + 1, c, err, errlen);
    }
    if (!name_ok(v, sizeof c->theatre))
        return fail(err, errlen,
                    "area=%s: a theatre name, zone:NAME, bbox:S,W,N,E or circle:LAT,LON,R UNIT", v);
    c->area = CA_THEATRE;
    snprintf(c->theatre, sizeof c->theatre, "%s", v);
    return 0;
}

enum {
    K_KIND,
    K_ASSET,
    K_FROM,
    K_TO,
    K_REF,
    K_AREA,
    K_CLAIM,
    K_THEATRE,
    K_N
};
static const char *const keys[K_N] = {"kind", "asset", "from",  "to",
                                      "ref",  "area",  "claim", "theatre"};

int claim_parse_spec(const char *spec, struct claim *c, char *err, size_t errlen)
{
    char buf[CLAIM_SPEC_MAX];
    memset(c, 0, sizeof *c);
    if (!spec || strlen(spec) >= sizeof buf)
        return fail(err, errlen, "claim spec missing or longer than %zu bytes", sizeof buf - 1);
    memcpy(buf, spec, strlen(spec) + 1);
    const char *val[K_N] = {0};
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        tok = trim(tok);
        if (!*tok)
            continue;
        char *eq = strchr(tok, '=');
        if (!eq)
            return fail(err, errlen, "'%s': expected key=value", tok);
        *eq = '\0';
        char *k = trim(tok), *v = trim(eq + 1);
        int i = 0;
        while (i < K_N && strcmp(k, keys[i]))
            i++;
        if (i == K_N)
            return fail(err, errlen,
                        "unknown key '%s' (kind, asset, from, to, ref, area, claim, theatre)", k);
        if (val[i])
            return fail(err, errlen, "key '%s' given twice", k);
        val[i] = v;
    }
    if (!val[K_KIND] || (c->kind = claim_kind_parse(val[K_KIND])) == CLAIM_NONE)
        return fail(err, errlen,
                    "kind=%s: give kind=distance, presence, absence, count or incident",
                    val[K_KIND] ? val[K_KIND] : "");
    const char *kn = claim_kind_name(c->kind);
    snprintf(c->theatre, sizeof c->theatre, "caribbean");
    if (val[K_THEATRE] && !name_ok(val[K_THEATRE], sizeof c->theatre))
        return fail(err, errlen, "theatre=%s: not a theatre name", val[K_THEATRE]);
    if (val[K_THEATRE])
        snprintf(c->theatre, sizeof c->theatre, "%s", val[K_THEATRE]);
    bool need_asset =
        c->kind == CLAIM_DISTANCE || c->kind == CLAIM_PRESENCE || c->kind == CLAIM_ABSENCE;
    bool need_claim = c->kind == CLAIM_DISTANCE || c->kind == CLAIM_COUNT;
    if (need_asset && !val[K_ASSET])
        return fail(err, errlen, "a %s claim needs asset= (name, hull, call sign, hex or MMSI)",
                    kn);
    if (!need_asset && val[K_ASSET])
        return fail(err, errlen, "a %s claim takes no asset= (count: the category goes in claim=)",
                    kn);
    if (need_claim && !val[K_CLAIM])
        return fail(err, errlen, "a %s claim needs claim= (e.g. %s)", kn,
                    c->kind == CLAIM_DISTANCE ? "within 6 nmi" : "at least 10 warships");
    if (!need_claim && val[K_CLAIM])
        return fail(err, errlen, "a %s claim takes no claim= measure", kn);
    if (c->kind == CLAIM_DISTANCE && !val[K_REF])
        return fail(err, errlen,
                    "a distance claim needs ref= (venezuela_coast, venezuela_12nm_line or "
                    "point:LAT,LON)");
    if (c->kind != CLAIM_DISTANCE && val[K_REF])
        return fail(err, errlen, "ref= is for distance claims; use area= for a %s claim", kn);
    if (c->kind == CLAIM_DISTANCE && val[K_AREA])
        return fail(err, errlen, "a distance claim takes ref=, not area=");
    if (!val[K_FROM] || !val[K_TO])
        return fail(err, errlen, "a %s claim needs a time window: from= and to=", kn);
    int rc;
    if ((rc = parse_time("from", val[K_FROM], &c->from_ms, err, errlen)) ||
        (rc = parse_time("to", val[K_TO], &c->to_ms, err, errlen)))
        return rc;
    if (c->to_ms <= c->from_ms)
        return fail(err, errlen, "empty time window: to=%s is not after from=%s", val[K_TO],
                    val[K_FROM]);
    if (c->to_ms - c->from_ms > CLAIM_MAX_WINDOW)
        return fail(err, errlen, "time window longer than 366 days: narrow it");
    if (val[K_ASSET] && (rc = parse_asset(val[K_ASSET], c, err, errlen)))
        return rc;
    if (val[K_REF] && (rc = parse_ref(val[K_REF], c, err, errlen)))
        return rc;
    c->area = CA_THEATRE;
    if (val[K_AREA] && (rc = parse_area(val[K_AREA], c, err, errlen)))
        return rc;
    if (c->kind == CLAIM_INCIDENT && c->area != CA_CIRCLE)
        return fail(err, errlen,
                    "an incident claim needs area=circle:LAT,LON,RADIUS UNIT (the uncertainty)");
    if (need_claim && (rc = claim_parse_measure(val[K_CLAIM], c->kind, &c->m, err, errlen)))
        return rc;
    if (c->kind == CLAIM_DISTANCE)
        c->area = CA_NONE;
    return ORBAT_OK;
}

int claim_format_spec(const struct claim *c, char *buf, size_t size)
{
    char from[32], to[32], ref[96] = "", area[128] = "", m[96] = "";
    rtime_format(c->from_ms, from, sizeof from);
    rtime_format(c->to_ms, to, sizeof to);
    if (c->kind == CLAIM_DISTANCE) {
        if (c->ref[0])
            snprintf(ref, sizeof ref, "; ref=%s", c->ref);
        else
            snprintf(ref, sizeof ref, "; ref=point:%.10g,%.10g", c->ref_lat, c->ref_lon);
    }
    switch (c->area) {
    case CA_ZONE:
        snprintf(area, sizeof area, "; area=zone:%s", c->zone);
        break;
    case CA_BBOX:
        snprintf(area, sizeof area, "; area=bbox:%.10g,%.10g,%.10g,%.10g", c->south, c->west,
                 c->north, c->east);
        break;
    case CA_CIRCLE:
        snprintf(area, sizeof area, "; area=circle:%.10g,%.10g,%.10g %s", c->lat, c->lon,
                 c->radius_value, claim_unit_text(c->radius_unit));
        break;
    default:
        break;
    }
    if (c->kind == CLAIM_DISTANCE || c->kind == CLAIM_COUNT) {
        char t[80];
        claim_format_measure(&c->m, c->kind, t, sizeof t);
        snprintf(m, sizeof m, "; claim=%s", t);
    }
    int n = snprintf(buf, size, "kind=%s%s%s; from=%s; to=%s; theatre=%s%s%s%s",
                     claim_kind_name(c->kind), c->asset[0] ? "; asset=" : "", c->asset, from, to,
                     c->theatre, ref, area, m);
    return n < 0 || (size_t)n >= size ? ORBAT_E_TOOLONG : ORBAT_OK;
}

/* ---- CSV rows ---- */

static const char *col(const char *const *header, int nheader, const char *const *field, int nfield,
                       const char *name)
{
    for (int i = 0; i < nheader && i < nfield; i++)
        if (!strcmp(header[i], name))
            return field[i][0] ? field[i] : NULL;
    return NULL;
}

/* The first call sign in s ("callsigns BUNNY01/02/03 (per ...)" gives
 * BUNNY0*, "callsign BARB21 / 'BARB'" gives BARB21); false if none. */
static bool find_callsign(const char *s, char *out, size_t size)
{
    for (const char *p = s; *p; p++) {
        if (!isupper((unsigned char)*p) || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        const char *q = p;
        while (isupper((unsigned char)*q))
            q++;
        if (q - p < 2 || !isdigit((unsigned char)*q))
            continue;
        const char *d = q;
        while (isdigit((unsigned char)*q))
            q++;
        if (isalpha((unsigned char)*q) || q - d > 4)
            continue;
        size_t nd = (size_t)(q - d);
        // BUNNY01/02/03: the digits the alternatives share, then '*'
        size_t common = nd;
        const char *r = q;
        while (*r == '/' && isdigit((unsigned char)r[1])) {
            const char *e = r + 1;
            while (isdigit((unsigned char)*e))
                e++;
            size_t k = 0;
            while (k < common && k < (size_t)(e - r - 1) && d[k] == r[1 + k])
                k++;
            common = k;
            r = e;
        }
        if (r == q)
            snprintf(out, size, "%.*s", (int)(q - p), p);
        else
            snprintf(out, size, "%.*s*", (int)(d - p + (ptrdiff_t)common), p);
        return true;
    }
    return false;
}

/* A hull number such as DDG-107 in s. */
static bool find_hull(const char *s, char *out, size_t size)
{
    for (const char *p = s; *p; p++) {
        if (!isupper((unsigned char)*p) || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        const char *q = p;
        while (isupper((unsigned char)*q))
            q++;
        if (q - p < 2 || q - p > 4 || *q != '-' || !isdigit((unsigned char)q[1]))
            continue;
        q++;
        while (isdigit((unsigned char)*q))
            q++;
        if (isalnum((unsigned char)*q))
            continue;
        snprintf(out, size, "%.*s", (int)(q - p), p);
        return true;
    }
    return false;
}

/* A plain ship name after MV/USS/USNS ("MV Ocean Trader"): letters and
 * spaces only, at most four words. */
static bool find_name(const char *s, char *out, size_t size)
{
    static const char *const pre[] = {"MV ", "USS ", "USNS ", "HMS "};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        if (!strncmp(s, pre[i], strlen(pre[i]))) {
            const char *n = s + strlen(pre[i]);
            int words = 1;
            for (const char *p = n; *p; p++) {
                if (*p == ' ')
                    words++;
                else if (!isalpha((unsigned char)*p))
                    return false;
            }
            if (!*n || words > 4)
                return false;
            snprintf(out, size, "%s", n);
            return true;
        }
    return false;
}

int claim_csv_row(const char *const *header, int nheader, const char *const *field, int nfield,
                  struct claim_row_out *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
#define COL(name) col(header, nheader, field, nfield, name)
    const char *kind = COL("kind"), *domain = COL("domain");
    const char *asset = COL("asset"), *callsign = COL("callsign");
    const char *date = COL("date") ? COL("date") : COL("date_utc_approx");
    const char *from = COL("from"), *to = COL("to"), *ref = COL("ref"), *area = COL("area");
    const char *claim = COL("claim"), *theatre = COL("theatre");
    const char *text = COL("text") ? COL("text") : COL("summary");
    const char *source = COL("source"), *by = COL("claimant") ? COL("claimant") : COL("by");
    const char *published = COL("published");
#undef COL
    if (!kind && domain) {
        if (!strcmp(domain, "air") || !strcmp(domain, "sea"))
            kind = "presence";
        else if (!strcmp(domain, "count"))
            kind = "count";
        else
            return fail(err, errlen, "domain '%s': air, sea or count", domain);
    }
    if (!kind)
        return fail(err, errlen, "no kind (or domain) column value");
    enum claim_kind k = claim_kind_parse(kind);
    if (k == CLAIM_NONE)
        return fail(err, errlen, "kind '%s': distance, presence, absence, count or incident", kind);
    char akey[64] = "";
    if (k == CLAIM_DISTANCE || k == CLAIM_PRESENCE || k == CLAIM_ABSENCE) {
        struct claim tmp;
        char e2[8];
        if (asset && parse_asset(asset, &tmp, e2, sizeof e2) == 0 && !strchr(asset, ' ') &&
            !strchr(asset, '('))
            snprintf(akey, sizeof akey, "%s", asset);
        else if (callsign && find_callsign(callsign, akey, sizeof akey))
            ;
        else if (asset && find_hull(asset, akey, sizeof akey))
            ;
        else if (asset && find_name(asset, akey, sizeof akey))
            ;
        else
            return fail(err, errlen,
                        "asset '%s': no call sign, hull number, hex or MMSI to look it up by; "
                        "add a callsign column value or an asset key",
                        asset ? asset : "");
    }
    if (k == CLAIM_COUNT && !claim)
        return fail(err, errlen,
                    "a count row needs a claim column such as 'at least 10 warships' (the "
                    "summary is not parsed)");
    char f[40] = "", t[40] = "";
    if (from && to) {
        snprintf(f, sizeof f, "%s", from);
        snprintf(t, sizeof t, "%s", to);
    } else if (date) {
        int64_t ms;
        int rc = rtime_parse(date, &ms);
        if (rc == -2)
            return fail(err, errlen, "date '%s': outside %s", date, RTIME_RANGE_TEXT);
        if (rc < 0 || strlen(date) != 10)
            return fail(err, errlen, "date '%s': write YYYY-MM-DD", date);
        rtime_format(ms, f, sizeof f);
        rtime_format(ms + 86400000LL, t, sizeof t);
    } else {
        return fail(err, errlen, "no date, or from and to");
    }
    char spec[CLAIM_SPEC_MAX];
    int n = snprintf(spec, sizeof spec, "kind=%s; from=%s; to=%s", kind, f, t);
    if (akey[0])
        n += snprintf(spec + n, sizeof spec - (size_t)n, "; asset=%s", akey);
#define ADD(key, v)                                                                                \
    do {                                                                                           \
        if ((v) && n > 0 && (size_t)n < sizeof spec) {                                             \
            if (strchr((v), ';'))                                                                  \
                return fail(err, errlen, "%s '%s': no ';' allowed", key, (v));                     \
            n += snprintf(spec + n, sizeof spec - (size_t)n, "; %s=%s", key, (v));                 \
        }                                                                                          \
    } while (0)
    ADD("ref", ref);
    ADD("area", area);
    ADD("claim", claim);
    ADD("theatre", theatre);
#undef ADD
    if (n < 0 || (size_t)n >= sizeof spec)
        return fail(err, errlen, "row too long");
    struct claim c;
    int rc = claim_parse_spec(spec, &c, err, errlen);
    if (rc)
        return rc;
    if ((rc = claim_format_spec(&c, out->spec, sizeof out->spec)))
        return fail(err, errlen, "row too long");
    snprintf(out->text, sizeof out->text, "%s", text ? text : "");
    snprintf(out->source_url, sizeof out->source_url, "%s", source ? source : "");
    snprintf(out->claimant, sizeof out->claimant, "%s", by ? by : "");
    if (published) {
        int64_t ms;
        int prc = rtime_parse(published, &ms);
        if (prc < 0)
            return fail(err, errlen, "published '%s': %s", published,
                        prc == -2 ? "outside " RTIME_RANGE_TEXT : "not a date");
        out->published_ms = ms;
    }
    return ORBAT_OK;
}
