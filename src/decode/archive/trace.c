/* SPDX-License-Identifier: BSD-2-Clause
 *
 * trace.c - readsb trace files (trace_full_<hex>.json): a hand-written,
 * single-pass, validating JSON scanner specialised for the layout that
 * readsb's generateTraceJson / sprintTracePoint write (json_out.c; format
 * in readsb README-json.md "trace jsons"). See include/orbat/trace.h.
 *
 * Why not jansson: it builds a tree of the whole document (one allocation
 * per value) and the importer must stay within 1.5x of inflating the
 * gzip. This scanner reads each byte once, keeps nothing, and converts
 * numbers with json_num.h's exact fast path.
 * Measured with bench/bench_trace.c (52 MB document: 377k 14-field points
 * in readsb's number formats, a full aircraft object on every 10th point;
 * CPU time, one core of the shared 2-core AMD EPYC dev VM under load,
 * gcc -O2, three runs, 2026-12-07):
 *   orbat_trace_parse           674-767 MB/s
 *   jansson json_loads           29-37  MB/s (about 20x slower, same text)
 *   zlib inflate (gzip -6 text)  390-500 MB/s of output (stands for zcat)
 *   libdeflate gzip_decompress   950-1220 MB/s of output
 * So parsing costs 0.53-0.65x of a zlib inflate of the same member: an
 * importer on zlib lands at ~1.6x zcat, one on libdeflate (linked already)
 * at 0.86-1.06x zcat for inflate + parse. Points alone (no objects) parse
 * at ~640 MB/s, object-heavy text at ~1 GB/s: the numbers dominate.
 *
 * Validation: the whole document must be one JSON object (RFC 8259
 * grammar: strings with valid escapes and no raw control characters,
 * numbers, literals, commas and colons where they belong), followed only by
 * whitespace. UTF-8 inside strings is not validated; decoded strings are
 * cut at a UTF-8 sequence boundary when they do not fit. Nesting deeper
 * than TRACE_MAX_DEPTH (the root object counts 1) is ORBAT_E_TOOLONG.
 */
#include "orbat/trace.h"

#include <string.h>

#include "decode/common/json_num.h"

#define TRACE_MAX_DEPTH 32

// Internal results beside enum orbat_err (never returned to the caller).
enum {
    R_WRONG = 100, // the value is valid JSON but not of the type expected here
    R_STOP = 101,  // the callback asked to stop
    R_BAD = 102,   // the value was read but is out of range here
};

#define TRY(x)                                                                                     \
    do {                                                                                           \
        int try_r_ = (x);                                                                          \
        if (try_r_ != ORBAT_OK)                                                                    \
            return try_r_;                                                                         \
    } while (0)

static inline const char *ws(const char *p, const char *end)
{
    while (p < end && (unsigned char)*p <= ' ' &&
           (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static inline int is_num_start(char c)
{
    return c == '-' || (c >= '0' && c <= '9');
}

static inline int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int lit(const char **pp, const char *end, const char *word, size_t n)
{
    size_t avail = (size_t)(end - *pp);
    size_t m = avail < n ? avail : n;
    if (memcmp(*pp, word, m) != 0)
        return ORBAT_E_FORMAT;
    if (m < n)
        return ORBAT_E_TRUNCATED;
    *pp += n;
    return ORBAT_OK;
}

// Reads the 4 hex digits of a \u escape at p (just after "\u").
static int hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if (p + i >= end)
            return ORBAT_E_TRUNCATED;
        int h = hexval(p[i]);
        if (h < 0)
            return ORBAT_E_FORMAT;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return ORBAT_OK;
}

// The first byte at or after p that ends a plain run inside a string: '"',
// '\\' or a control character (end when none). Eight bytes at a time on
// little-endian machines (the high bit of each byte that matches; borrows
// only run upwards, so the lowest flagged byte is exact).
static inline const char *str_run(const char *p, const char *end)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t w, ones = 0x0101010101010101ull;
        memcpy(&w, p, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t t = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        t &= ones * 0x80;
        if (t)
            return p + (__builtin_ctzll(t) >> 3);
        p += 8;
    }
#endif
    while (p < end && (unsigned char)*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
    return p;
}

// Skips the string whose opening quote is at *pp.
static int str_skip(const char **pp, const char *end)
{
    const char *p = *pp + 1;
    for (;;) {
        p = str_run(p, end);
        if (p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p == '"') {
            *pp = p + 1;
            return ORBAT_OK;
        }
        if (*p != '\\')
            return ORBAT_E_FORMAT; // raw control character
        if (p + 1 >= end)
            return ORBAT_E_TRUNCATED;
        char c = p[1];
        if (c == 'u') {
            unsigned u;
            TRY(hex4(p + 2, end, &u));
            p += 6;
        } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                   c == 'r' || c == 't') {
            p += 2;
        } else {
            return ORBAT_E_FORMAT;
        }
    }
}

// Appends the UTF-8 form of code point u to dst (capacity cap including the
// NUL); sets *full once a byte did not fit.
static void put_utf8(char *dst, size_t cap, size_t *n, int *full, unsigned u)
{
    unsigned char b[4];
    size_t k;
    if (u < 0x20) {
        b[0] = ' '; // control characters decoded from escapes become spaces
        k = 1;
    } else if (u < 0x80) {
        b[0] = (unsigned char)u;
        k = 1;
    } else if (u < 0x800) {
        b[0] = (unsigned char)(0xC0 | u >> 6);
        b[1] = (unsigned char)(0x80 | (u & 0x3F));
        k = 2;
    } else if (u < 0x10000) {
        b[0] = (unsigned char)(0xE0 | u >> 12);
        b[1] = (unsigned char)(0x80 | (u >> 6 & 0x3F));
        b[2] = (unsigned char)(0x80 | (u & 0x3F));
        k = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | u >> 18);
        b[1] = (unsigned char)(0x80 | (u >> 12 & 0x3F));
        b[2] = (unsigned char)(0x80 | (u >> 6 & 0x3F));
        b[3] = (unsigned char)(0x80 | (u & 0x3F));
        k = 4;
    }
    if (*full || *n + k > cap - 1) {
        *full = 1;
        return;
    }
    memcpy(dst + *n, b, k);
    *n += k;
}

// Decodes the string whose opening quote is at *pp into dst (cap >= 1,
// NUL-terminated, cut at a UTF-8 boundary when it does not fit; *truncated
// says so). On error dst is "".
static int str_get(const char **pp, const char *end, char *dst, size_t cap, size_t *len,
                   int *truncated)
{
    const char *p = *pp + 1;
    size_t n = 0;
    int full = 0;
    for (;;) {
        const char *s = p;
        p = str_run(p, end);
        size_t run = (size_t)(p - s);
        if (!full) {
            if (n + run <= cap - 1) {
                memcpy(dst + n, s, run);
                n += run;
            } else {
                size_t k = cap - 1 - n;
                memcpy(dst + n, s, k);
                n += k;
                full = 1;
                // cut at a sequence boundary: drop a lead byte whose
                // continuation bytes did not all fit
                size_t i = n;
                while (i > 0 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80)
                    i--;
                if (i > 0 && (unsigned char)dst[i - 1] >= 0xC0) {
                    unsigned char lead = (unsigned char)dst[i - 1];
                    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                    if (n - (i - 1) < need)
                        n = i - 1;
                }
            }
        }
        if (p >= end) {
            dst[0] = '\0';
            return ORBAT_E_TRUNCATED;
        }
        if (*p == '"') {
            dst[n] = '\0';
            *pp = p + 1;
            if (len)
                *len = n;
            if (truncated)
                *truncated = full;
            return ORBAT_OK;
        }
        int r = ORBAT_E_FORMAT;
        if (*p != '\\')
            goto fail;
        if (p + 1 >= end) {
            r = ORBAT_E_TRUNCATED;
            goto fail;
        }
        char c = p[1];
        unsigned u;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            u = (unsigned char)c;
            break;
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            u = 0x08; // a control character: stored as a space
            break;
        case 'u':
            r = hex4(p + 2, end, &u);
            if (r != ORBAT_OK)
                goto fail;
            if (u >= 0xD800 && u < 0xDC00 && p + 7 < end && p[6] == '\\' && p[7] == 'u') {
                unsigned lo;
                r = hex4(p + 8, end, &lo);
                if (r != ORBAT_OK)
                    goto fail;
                if (lo >= 0xDC00 && lo < 0xE000) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            if (u >= 0xD800 && u < 0xE000)
                u = 0xFFFD; // lone surrogate
            p += 4;
            break;
        default:
            goto fail;
        }
        p += 2;
        put_utf8(dst, cap, &n, &full, u);
        continue;
    fail:
        dst[0] = '\0';
        return r;
    }
}

// Trims ASCII spaces and tabs at both ends of the C string s in place.
static void trim(char *s)
{
    size_t n = strlen(s), a = 0;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (a < n && (s[a] == ' ' || s[a] == '\t'))
        a++;
    memmove(s, s + a, n - a);
    s[n - a] = '\0';
}

static int str_get_trim(const char **pp, const char *end, char *dst, size_t cap)
{
    int r = str_get(pp, end, dst, cap, NULL, NULL);
    if (r == ORBAT_OK)
        trim(dst);
    return r;
}

// Validates and skips the number at *pp.
static int num_skip(const char **pp, const char *end)
{
    const char *p = *pp;
    if (*p == '-' && ++p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (++p < end && *p >= '0' && *p <= '9')
            ;
    } else {
        return ORBAT_E_FORMAT;
    }
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == '.') {
        if (++p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p < '0' || *p > '9')
            return ORBAT_E_FORMAT;
        while (++p < end && *p >= '0' && *p <= '9')
            ;
        if (p >= end)
            return ORBAT_E_TRUNCATED;
    }
    if (*p == 'e' || *p == 'E') {
        if (++p >= end)
            return ORBAT_E_TRUNCATED;
        if ((*p == '+' || *p == '-') && ++p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p < '0' || *p > '9')
            return ORBAT_E_FORMAT;
        while (++p < end && *p >= '0' && *p <= '9')
            ;
        if (p >= end)
            return ORBAT_E_TRUNCATED;
    }
    *pp = p;
    return ORBAT_OK;
}

// Validates and skips any JSON value at *pp (which must be < end); depth is
// the nesting depth of the container that holds it. Iterative: bit k of
// `obj` says whether the k-th container opened here is an object.
static int skip_value(const char **pp, const char *end, int depth)
{
    const char *p = *pp;
    int d = 0;
    uint32_t obj = 0;
value:
    p = ws(p, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    switch (*p) {
    case '{':
    case '[':
        if (depth + d + 1 > TRACE_MAX_DEPTH)
            return ORBAT_E_TOOLONG;
        if (*p == '{')
            obj |= 1u << d;
        else
            obj &= ~(1u << d);
        d++;
        p = ws(p + 1, end);
        if (p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p == ((obj >> (d - 1) & 1) ? '}' : ']')) {
            p++;
            d--;
            goto after;
        }
        if (obj >> (d - 1) & 1)
            goto key;
        goto value;
    case '"':
        TRY(str_skip(&p, end));
        goto after;
    case 't':
        TRY(lit(&p, end, "true", 4));
        goto after;
    case 'f':
        TRY(lit(&p, end, "false", 5));
        goto after;
    case 'n':
        TRY(lit(&p, end, "null", 4));
        goto after;
    default:
        TRY(num_skip(&p, end));
        goto after;
    }
key:
    p = ws(p, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p != '"')
        return ORBAT_E_FORMAT;
    TRY(str_skip(&p, end));
    p = ws(p, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p != ':')
        return ORBAT_E_FORMAT;
    p++;
    goto value;
after:
    if (d == 0) {
        *pp = p;
        return ORBAT_OK;
    }
    p = ws(p, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    {
        int is_obj = obj >> (d - 1) & 1;
        if (*p == ',') {
            p++;
            if (is_obj)
                goto key;
            goto value;
        }
        if (*p == (is_obj ? '}' : ']')) {
            p++;
            d--;
            goto after;
        }
    }
    return ORBAT_E_FORMAT;
}

// Reads an object key (opening quote at *pp). *k/*kl: the key's bytes,
// borrowed from the buffer when it has no escapes, else decoded into kbuf
// (keys longer than kbuf get *kl = 0: they match nothing we look for).
static inline int key_get(const char **pp, const char *end, char *kbuf, size_t kcap, const char **k,
                          size_t *kl)
{
    const char *s = *pp + 1, *q = str_run(s, end);
    if (q >= end)
        return ORBAT_E_TRUNCATED;
    if (*q == '"') {
        *k = s;
        *kl = (size_t)(q - s);
        *pp = q + 1;
        return ORBAT_OK;
    }
    int full;
    TRY(str_get(pp, end, kbuf, kcap, kl, &full));
    *k = kbuf;
    if (full)
        *kl = 0;
    return ORBAT_OK;
}

#define KEY_IS(k, kl, lit) ((kl) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

// After a value inside a container: a comma (*more = 1) or the closer (*more = 0).
static inline int next_or_close(const char **pp, const char *end, char closer, int *more)
{
    const char *p = ws(*pp, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == ',')
        *more = 1;
    else if (*p == closer)
        *more = 0;
    else
        return ORBAT_E_FORMAT;
    *pp = p + 1;
    return ORBAT_OK;
}

static inline int expect_colon(const char **pp, const char *end)
{
    const char *p = ws(*pp, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p != ':')
        return ORBAT_E_FORMAT;
    p = ws(p + 1, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    *pp = p;
    return ORBAT_OK;
}

// A double to int32, rounded to nearest; 0 when out of range.
static inline int to_i32(double v, int32_t *out)
{
    if (!(v > -2147483648.5 && v < 2147483647.5))
        return 0;
    *out = (int32_t)(v < 0 ? v - 0.5 : v + 0.5);
    return 1;
}

// A number (R_WRONG for anything else).
static inline int f_num(const char **pp, const char *end, double *v)
{
    if (!is_num_start(**pp))
        return R_WRONG;
    return json_num_parse(pp, end, v);
}

// A number or null.
static inline int f_numnull(const char **pp, const char *end, double *v, bool *has)
{
    char c = **pp;
    if (is_num_start(c)) {
        *has = true;
        return json_num_parse(pp, end, v);
    }
    *has = false;
    if (c == 'n')
        return lit(pp, end, "null", 4);
    return R_WRONG;
}

// The fast path for integers as readsb writes them (%d): at most 9 digits,
// no fraction or exponent, not at the end of the buffer. Returns 0 (and
// reads nothing) when the token is anything else.
static inline int int_fast(const char **pp, const char *end, int32_t *v)
{
    const char *p = *pp;
    int neg = *p == '-';
    p += neg;
    if (end - p < 11 || (unsigned)((unsigned char)p[0] - '0') > 9)
        return 0;
    int64_t a = 0; // up to 10 digits are read (the 10th one rejects)
    int k = 0;
    unsigned c;
    while (k < 10 && (c = (unsigned)((unsigned char)p[k] - '0')) <= 9) {
        a = a * 10 + (int64_t)c;
        k++;
    }
    char t = p[k];
    if (k == 10 || (k > 1 && p[0] == '0') || t == '.' || t == 'e' || t == 'E')
        return 0;
    *v = (int32_t)(neg ? -a : a);
    *pp = p + k;
    return 1;
}

static inline int f_i32null(const char **pp, const char *end, int32_t *v, bool *has)
{
    if (int_fast(pp, end, v)) {
        *has = true;
        return ORBAT_OK;
    }
    double d;
    int r = f_numnull(pp, end, &d, has);
    if (r == ORBAT_OK && *has && !to_i32(d, v)) {
        *has = false;
        return R_BAD;
    }
    return r;
}

// "A3" -> 0xA3 (emitter category set A..D, code 0..7); 0 when malformed.
static uint8_t category_of(const char *s)
{
    if (s[0] >= 'A' && s[0] <= 'D' && s[1] >= '0' && s[1] <= '7' && s[2] == '\0')
        return (uint8_t)((0xA + (s[0] - 'A')) << 4 | (s[1] - '0'));
    return 0;
}

// The aircraft object [8] ('{' at *pp, depth 4): only flight, squawk and
// category are read, everything else is validated and skipped.
static int parse_acobj(const char **pp, const char *end, struct orbat_trace_point *pt)
{
    const char *p = ws(*pp + 1, end);
    pt->has_obj = true;
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == '}') {
        *pp = p + 1;
        return ORBAT_OK;
    }
    for (int more = 1; more;) {
        p = ws(p, end);
        if (p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p != '"')
            return ORBAT_E_FORMAT;
        char kbuf[16], tmp[8];
        const char *k;
        size_t kl;
        TRY(key_get(&p, end, kbuf, sizeof kbuf, &k, &kl));
        TRY(expect_colon(&p, end));
        if (*p == '"' && KEY_IS(k, kl, "flight")) {
            TRY(str_get_trim(&p, end, pt->flight, sizeof pt->flight));
        } else if (*p == '"' && KEY_IS(k, kl, "squawk")) {
            TRY(str_get_trim(&p, end, tmp, sizeof tmp));
            int ok = 1;
            unsigned sq = 0;
            for (int i = 0; i < 4; i++) {
                if (tmp[i] < '0' || tmp[i] > '7')
                    ok = 0;
                else
                    sq = sq * 10 + (unsigned)(tmp[i] - '0');
                if (!ok)
                    break;
            }
            if (ok && tmp[4] == '\0') {
                pt->has_squawk = true;
                pt->squawk = (uint16_t)sq;
            }
        } else if (*p == '"' && KEY_IS(k, kl, "category")) {
            TRY(str_get_trim(&p, end, tmp, sizeof tmp));
            pt->category = category_of(tmp);
        } else if (*p == '"') {
            TRY(str_skip(&p, end));
        } else if (is_num_start(*p)) {
            TRY(num_skip(&p, end));
        } else {
            TRY(skip_value(&p, end, 4));
        }
        TRY(next_or_close(&p, end, '}', &more));
    }
    *pp = p;
    return ORBAT_OK;
}

// One point ('[' at *pp, depth 3). *bad is set when the point is malformed
// but syntactically valid JSON (it is then skipped, not delivered).
static int parse_point(const char **pp, const char *end, struct orbat_trace_point *pt, int *bad)
{
    const char *p = *pp;
    // field by field: a memset of the whole struct (rep stos) was about 3%
    // of the parse; the string fields are only cut to "" (bytes after the NUL
    // are unspecified)
    pt->dt = pt->lat = pt->lon = 0;
    pt->has_alt = pt->ground = pt->has_gs = pt->has_track = pt->has_vrate = false;
    pt->alt_ft = pt->vrate_fpm = 0;
    pt->gs_kt = pt->track_deg = 0;
    pt->flags = 0;
    pt->src_type[0] = '\0';
    pt->has_alt_geom = pt->has_geom_vrate = pt->has_ias = pt->has_roll = false;
    pt->alt_geom_ft = pt->geom_vrate_fpm = 0;
    pt->ias_kt = pt->roll_deg = 0;
    pt->has_obj = pt->has_squawk = false;
    pt->flight[0] = '\0';
    pt->squawk = 0;
    pt->category = 0;
    pt->text = p;
    *bad = 0;
    p = ws(p + 1, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    unsigned nf = 0;
    if (*p == ']') {
        p++;
    } else {
        for (int more = 1; more; nf++) {
            p = ws(p, end);
            if (p >= end)
                return ORBAT_E_TRUNCATED;
            int r;
            double v;
            int32_t iv;
            switch (nf) {
            case 0:
                r = f_num(&p, end, &pt->dt);
                break;
            case 1:
                r = f_num(&p, end, &pt->lat);
                break;
            case 2:
                r = f_num(&p, end, &pt->lon);
                break;
            case 3:
                if (*p == '"') {
                    char tmp[8];
                    r = str_get(&p, end, tmp, sizeof tmp, NULL, NULL);
                    if (r == ORBAT_OK && strcmp(tmp, "ground") == 0)
                        pt->ground = true;
                    else if (r == ORBAT_OK)
                        *bad = 1;
                } else {
                    r = f_i32null(&p, end, &pt->alt_ft, &pt->has_alt);
                }
                break;
            case 4:
                r = f_numnull(&p, end, &pt->gs_kt, &pt->has_gs);
                break;
            case 5:
                r = f_numnull(&p, end, &pt->track_deg, &pt->has_track);
                break;
            case 6:
                if (int_fast(&p, end, &iv)) {
                    r = ORBAT_OK;
                    if (iv >= 0)
                        pt->flags = (unsigned)iv;
                    else
                        *bad = 1;
                    break;
                }
                r = f_num(&p, end, &v);
                if (r == ORBAT_OK) {
                    if (v >= 0 && v <= 4294967295.0 && v == (double)(uint32_t)v)
                        pt->flags = (unsigned)v;
                    else
                        *bad = 1;
                }
                break;
            case 7:
                r = f_i32null(&p, end, &pt->vrate_fpm, &pt->has_vrate);
                break;
            case 8:
                if (*p == '{')
                    r = parse_acobj(&p, end, pt);
                else if (*p == 'n')
                    r = lit(&p, end, "null", 4);
                else
                    r = R_WRONG;
                break;
            case 9:
                if (*p == '"')
                    r = str_get_trim(&p, end, pt->src_type, sizeof pt->src_type);
                else if (*p == 'n')
                    r = lit(&p, end, "null", 4);
                else
                    r = R_WRONG;
                break;
            case 10:
                r = f_i32null(&p, end, &pt->alt_geom_ft, &pt->has_alt_geom);
                break;
            case 11:
                r = f_i32null(&p, end, &pt->geom_vrate_fpm, &pt->has_geom_vrate);
                break;
            case 12:
                r = f_numnull(&p, end, &pt->ias_kt, &pt->has_ias);
                break;
            case 13:
                r = f_numnull(&p, end, &pt->roll_deg, &pt->has_roll);
                break;
            default:
                r = skip_value(&p, end, 3);
                break;
            }
            if (r == R_WRONG) {
                *bad = 1;
                r = skip_value(&p, end, 3);
            } else if (r == R_BAD) {
                *bad = 1;
                r = ORBAT_OK;
            }
            TRY(r);
            TRY(next_or_close(&p, end, ']', &more));
        }
    }
    if (nf < 8 || !(pt->lat >= -90 && pt->lat <= 90) || !(pt->lon >= -180 && pt->lon <= 180))
        *bad = 1;
    pt->text_len = (size_t)(p - pt->text);
    *pp = p;
    return ORBAT_OK;
}

struct trace_run {
    orbat_trace_point_cb cb;
    void *ctx;
    uint32_t index; // next point index
    uint32_t bad;
};

// The "trace" array ('[' at *pp, depth 2).
static int parse_trace(const char **pp, const char *end, struct trace_run *run)
{
    const char *p = ws(*pp + 1, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == ']') {
        *pp = p + 1;
        return ORBAT_OK;
    }
    struct orbat_trace_point pt;
    memset(&pt, 0, sizeof pt); // once; parse_point resets each field
    for (int more = 1; more;) {
        p = ws(p, end);
        if (p >= end)
            return ORBAT_E_TRUNCATED;
        if (*p == '[') {
            int bad;
            TRY(parse_point(&p, end, &pt, &bad));
            pt.index = run->index;
            if (bad)
                run->bad++;
            else if (run->cb && run->cb(run->ctx, &pt) != 0)
                return R_STOP;
        } else {
            TRY(skip_value(&p, end, 2));
            run->bad++;
        }
        run->index++;
        TRY(next_or_close(&p, end, ']', &more));
    }
    *pp = p;
    return ORBAT_OK;
}

// "icao": "3c66b0" or "~3c66b0" (1 to 6 hex digits).
static void icao_of(const char *s, struct orbat_trace_hdr *h)
{
    int non_icao = 0;
    if (*s == '~') {
        non_icao = 1;
        s++;
    }
    uint32_t a = 0;
    int n = 0;
    for (; *s; s++, n++) {
        int v = hexval(*s);
        if (v < 0 || n >= 6)
            return;
        a = a << 4 | (uint32_t)v;
    }
    if (n == 0)
        return;
    h->icao = a;
    h->have_icao = true;
    h->non_icao = non_icao;
}

// One header value (*pp at its first byte, depth 1).
static int header_value(const char **pp, const char *end, const char *k, size_t kl,
                        struct orbat_trace_hdr *h)
{
    const char *p = *pp;
    char c = *p;
    int r = R_WRONG;
    double v;
    char tmp[16];
    if (KEY_IS(k, kl, "icao")) {
        if (c == '"') {
            r = str_get_trim(&p, end, tmp, sizeof tmp);
            if (r == ORBAT_OK)
                icao_of(tmp, h);
        }
    } else if (KEY_IS(k, kl, "r")) {
        if (c == '"')
            r = str_get_trim(&p, end, h->r, sizeof h->r);
    } else if (KEY_IS(k, kl, "t")) {
        if (c == '"')
            r = str_get_trim(&p, end, h->t, sizeof h->t);
    } else if (KEY_IS(k, kl, "desc")) {
        if (c == '"')
            r = str_get_trim(&p, end, h->desc, sizeof h->desc);
    } else if (KEY_IS(k, kl, "ownOp")) {
        if (c == '"')
            r = str_get_trim(&p, end, h->ownop, sizeof h->ownop);
    } else if (KEY_IS(k, kl, "timestamp")) {
        r = f_num(&p, end, &v);
        if (r == ORBAT_OK) {
            h->timestamp = v;
            h->have_timestamp = true;
        }
    } else if (KEY_IS(k, kl, "dbFlags")) {
        r = f_num(&p, end, &v);
        if (r == ORBAT_OK && v >= 0 && v <= 4294967295.0 && v == (double)(uint32_t)v) {
            h->dbflags = (uint32_t)v;
            h->have_dbflags = true;
        }
    } else if (KEY_IS(k, kl, "year")) {
        // readsb writes "year":"1998" (a string); accept a number too
        if (c == '"') {
            r = str_get_trim(&p, end, tmp, sizeof tmp);
            int y = 0, i = 0;
            for (; r == ORBAT_OK && tmp[i] >= '0' && tmp[i] <= '9' && i < 4; i++)
                y = y * 10 + (tmp[i] - '0');
            if (r == ORBAT_OK && i > 0 && tmp[i] == '\0')
                h->year = y;
        } else {
            int32_t y;
            r = f_num(&p, end, &v);
            if (r == ORBAT_OK && v >= 0 && v < 10000 && to_i32(v, &y))
                h->year = (int)y;
        }
    } else if (KEY_IS(k, kl, "orbat_simulated")) {
        if (c == 't') {
            r = lit(&p, end, "true", 4);
            if (r == ORBAT_OK)
                h->simulated = true;
        }
    }
    if (r == R_WRONG)
        r = skip_value(&p, end, 1);
    *pp = p;
    return r;
}

// The document. peek: stop with ORBAT_OK once the "trace" key is read.
static int parse_doc(const char *buf, size_t len, struct orbat_trace_hdr *h, struct trace_run *run,
                     int peek)
{
    const char *p = buf, *end = buf + len;
    int seen_trace = 0;
    memset(h, 0, sizeof *h);
    p = ws(p, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p != '{')
        return ORBAT_E_FORMAT;
    p = ws(p + 1, end);
    if (p >= end)
        return ORBAT_E_TRUNCATED;
    if (*p == '}') {
        p++;
    } else {
        for (int more = 1; more;) {
            p = ws(p, end);
            if (p >= end)
                return ORBAT_E_TRUNCATED;
            if (*p != '"')
                return ORBAT_E_FORMAT;
            char kbuf[32];
            const char *k;
            size_t kl;
            TRY(key_get(&p, end, kbuf, sizeof kbuf, &k, &kl));
            int is_trace = KEY_IS(k, kl, "trace");
            if (is_trace && peek)
                return ORBAT_OK;
            TRY(expect_colon(&p, end));
            if (is_trace) {
                if (*p != '[')
                    return ORBAT_E_FORMAT;
                seen_trace = 1;
                TRY(parse_trace(&p, end, run));
            } else {
                TRY(header_value(&p, end, k, kl, h));
            }
            TRY(next_or_close(&p, end, '}', &more));
        }
    }
    if (ws(p, end) != end || !seen_trace)
        return ORBAT_E_FORMAT;
    return ORBAT_OK;
}

int orbat_trace_parse(const char *buf, size_t len, struct orbat_trace_hdr *h,
                      orbat_trace_point_cb cb, void *ctx, uint32_t *bad_points)
{
    struct trace_run run = {.cb = cb, .ctx = ctx};
    int r = parse_doc(buf, len, h, &run, 0);
    if (bad_points)
        *bad_points = run.bad;
    return r == R_STOP ? ORBAT_OK : r;
}

int orbat_trace_peek_header(const char *buf, size_t len, struct orbat_trace_hdr *h)
{
    struct trace_run run = {0};
    int r = parse_doc(buf, len, h, &run, 1);
    return r == ORBAT_E_TRUNCATED ? ORBAT_AGAIN : r;
}
