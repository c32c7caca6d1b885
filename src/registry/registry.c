/* SPDX-License-Identifier: BSD-2-Clause
 *
 * registry.c - the asset registry: CSV loaders for the supported formats,
 * name normalisation, and open-addressing hash tables; see registry.h.
 */
#include "registry/registry.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/csv.h"

#define REG_MAX_FILE  (256u << 20) /* refuse registry files over 256 MiB */
#define REG_MAX_FILES 1024
#define AMBIGUOUS     UINT32_MAX

/* ---- names of categories and roles ---- */

static const char *const category_names[] = {
    [CAT_UNKNOWN] = "unknown",
    [CAT_CIVIL] = "civil",
    [CAT_GOVERNMENT] = "government",
    [CAT_LAW_ENFORCEMENT] = "law enforcement",
    [CAT_MILITARY_AIRCRAFT] = "military aircraft",
    [CAT_WARSHIP] = "warship",
};

static const char *const role_names[] = {
    [ROLE_NONE] = "",
    [ROLE_CARRIER] = "carrier",
    [ROLE_CRUISER] = "cruiser",
    [ROLE_DESTROYER] = "destroyer",
    [ROLE_FRIGATE] = "frigate",
    [ROLE_AMPHIB_ASSAULT] = "amphibious assault",
    [ROLE_AMPHIB_TRANSPORT_DOCK] = "amphibious transport dock",
    [ROLE_DOCK_LANDING] = "dock landing ship",
    [ROLE_SUBMARINE] = "submarine",
    [ROLE_AUXILIARY] = "auxiliary/replenishment",
    [ROLE_PATROL] = "patrol",
    [ROLE_SPECIAL_OPS] = "special operations",
    [ROLE_BOMBER] = "bomber",
    [ROLE_FIGHTER] = "fighter",
    [ROLE_TANKER] = "tanker",
    [ROLE_ISR] = "ISR/maritime patrol",
    [ROLE_AEW] = "AEW",
    [ROLE_TRANSPORT] = "transport",
    [ROLE_UAV] = "UAV",
    [ROLE_HELICOPTER] = "helicopter",
    [ROLE_TRAINER] = "trainer",
};

const char *registry_category_name(enum reg_category c)
{
    if ((unsigned)c < sizeof category_names / sizeof category_names[0])
        return category_names[c];
    return "unknown";
}

const char *registry_role_name(enum reg_role r)
{
    if ((unsigned)r < ROLE_COUNT)
        return role_names[r];
    return "";
}

int registry_category_parse(const char *s)
{
    static const struct {
        const char *name;
        enum reg_category c;
    } syn[] = {{"mil", CAT_MILITARY_AIRCRAFT},
               {"military", CAT_MILITARY_AIRCRAFT},
               {"navy", CAT_WARSHIP},
               {"naval", CAT_WARSHIP},
               {"gov", CAT_GOVERNMENT},
               {"pol", CAT_LAW_ENFORCEMENT},
               {"police", CAT_LAW_ENFORCEMENT},
               {"coast guard", CAT_LAW_ENFORCEMENT},
               {"law_enforcement", CAT_LAW_ENFORCEMENT},
               {"civ", CAT_CIVIL},
               {"military_aircraft", CAT_MILITARY_AIRCRAFT},
               {"", CAT_UNKNOWN}};
    for (size_t i = 0; i < sizeof category_names / sizeof category_names[0]; i++)
        if (!strcasecmp(s, category_names[i]))
            return (int)i;
    for (size_t i = 0; i < sizeof syn / sizeof syn[0]; i++)
        if (!strcasecmp(s, syn[i].name))
            return (int)syn[i].c;
    return -1;
}

int registry_role_parse(const char *s)
{
    static const struct {
        const char *name;
        enum reg_role r;
    } syn[] = {{"isr", ROLE_ISR},
               {"maritime patrol", ROLE_ISR},
               {"auxiliary", ROLE_AUXILIARY},
               {"replenishment", ROLE_AUXILIARY},
               {"dock landing", ROLE_DOCK_LANDING},
               {"sof", ROLE_SPECIAL_OPS},
               {"aew&c", ROLE_AEW},
               {"none", ROLE_NONE}};
    for (int i = 0; i < ROLE_COUNT; i++)
        if (!strcasecmp(s, role_names[i]))
            return i;
    for (size_t i = 0; i < sizeof syn / sizeof syn[0]; i++)
        if (!strcasecmp(s, syn[i].name))
            return (int)syn[i].r;
    return -1;
}

// Case-insensitive substring test; needle must be lower case. The hay is
// lower-cased once into a bounded buffer (longer text is cut) so the search
// itself is a plain strstr.
static bool has_word(const char *hay, const char *needle)
{
    char low[256];
    size_t i = 0;
    for (; hay[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)hay[i]);
    low[i] = '\0';
    return strstr(low, needle) != NULL;
}

// The same for many needles against one hay.
static int first_word(const char *hay, const char *const *needles, size_t stride, size_t n)
{
    char low[256];
    size_t i = 0;
    for (; hay[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)hay[i]);
    low[i] = '\0';
    for (size_t k = 0; k < n; k++) {
        const char *needle = *(const char *const *)((const char *)needles + k * stride);
        if (strstr(low, needle))
            return (int)k;
    }
    return -1;
}

enum reg_role registry_ship_role_guess(const char *type_text, const char *hull)
{
    // Order matters: "submarine tender" is an auxiliary, not a submarine.
    static const struct {
        const char *word;
        enum reg_role r;
    } text[] = {{"tender", ROLE_AUXILIARY},
                {"replenish", ROLE_AUXILIARY},
                {"oiler", ROLE_AUXILIARY},
                {"supply", ROLE_AUXILIARY},
                {"sea base", ROLE_AUXILIARY},
                {"command ship", ROLE_AUXILIARY},
                {"auxiliar", ROLE_AUXILIARY},
                {"special op", ROLE_SPECIAL_OPS},
                {"carrier", ROLE_CARRIER},
                {"cruiser", ROLE_CRUISER},
                {"destroyer", ROLE_DESTROYER},
                {"frigate", ROLE_FRIGATE},
                {"littoral combat", ROLE_FRIGATE},
                {"amphibious assault", ROLE_AMPHIB_ASSAULT},
                {"transport dock", ROLE_AMPHIB_TRANSPORT_DOCK},
                {"dock landing", ROLE_DOCK_LANDING},
                {"submarine", ROLE_SUBMARINE},
                {"patrol", ROLE_PATROL},
                {"cutter", ROLE_PATROL},
                {"mine", ROLE_PATROL},
                {"corvette", ROLE_FRIGATE}};
    if (type_text && *type_text) {
        int k = first_word(type_text, &text[0].word, sizeof text[0], sizeof text / sizeof text[0]);
        if (k >= 0)
            return text[k].r;
    }
    if (hull && *hull) {
        struct reg_name_parts np;
        registry_name_parse(hull, &np);
        static const struct {
            const char *cls;
            enum reg_role r;
        } hc[] = {{"CVN", ROLE_CARRIER},
                  {"CV", ROLE_CARRIER},
                  {"CG", ROLE_CRUISER},
                  {"DDG", ROLE_DESTROYER},
                  {"DD", ROLE_DESTROYER},
                  {"FFG", ROLE_FRIGATE},
                  {"FF", ROLE_FRIGATE},
                  {"LCS", ROLE_FRIGATE},
                  {"LHD", ROLE_AMPHIB_ASSAULT},
                  {"LHA", ROLE_AMPHIB_ASSAULT},
                  {"LPD", ROLE_AMPHIB_TRANSPORT_DOCK},
                  {"LSD", ROLE_DOCK_LANDING},
                  {"SSN", ROLE_SUBMARINE},
                  {"SSBN", ROLE_SUBMARINE},
                  {"SSGN", ROLE_SUBMARINE},
                  {"SS", ROLE_SUBMARINE},
                  {"T", ROLE_AUXILIARY},
                  {"AS", ROLE_AUXILIARY},
                  {"ESB", ROLE_AUXILIARY},
                  {"LCC", ROLE_AUXILIARY},
                  {"EPF", ROLE_AUXILIARY},
                  {"MCM", ROLE_PATROL},
                  {"PC", ROLE_PATROL},
                  {"W", ROLE_PATROL}};
        size_t letters = 0;
        while (np.hull[letters] && isalpha((unsigned char)np.hull[letters]))
            letters++;
        for (size_t i = 0; letters && i < sizeof hc / sizeof hc[0]; i++) {
            size_t n = strlen(hc[i].cls);
            // "T" (MSC) and "W" (Coast Guard) are prefixes of longer codes.
            bool prefix_only = n == 1;
            if ((prefix_only && np.hull[0] == hc[i].cls[0]) ||
                (n == letters && !strncmp(np.hull, hc[i].cls, n)))
                return hc[i].r;
        }
    }
    return ROLE_NONE;
}

enum reg_role registry_aircraft_role_guess(const char *icao_type, const char *text)
{
    // ICAO Doc 8643 type designators of common military types.
    static const struct {
        const char *t;
        enum reg_role r;
    } types[] = {
        {"B52", ROLE_BOMBER},      {"B1", ROLE_BOMBER},       {"B2", ROLE_BOMBER},
        {"TU95", ROLE_BOMBER},     {"T160", ROLE_BOMBER},     {"TU22", ROLE_BOMBER},
        {"F15", ROLE_FIGHTER},     {"F16", ROLE_FIGHTER},     {"F18", ROLE_FIGHTER},
        {"F18S", ROLE_FIGHTER},    {"F18H", ROLE_FIGHTER},    {"F22", ROLE_FIGHTER},
        {"F35", ROLE_FIGHTER},     {"EUFI", ROLE_FIGHTER},    {"RFAL", ROLE_FIGHTER},
        {"TOR", ROLE_FIGHTER},     {"A10", ROLE_FIGHTER},     {"F5", ROLE_FIGHTER},
        {"AV8B", ROLE_FIGHTER},    {"MG29", ROLE_FIGHTER},    {"SU27", ROLE_FIGHTER},
        {"K35R", ROLE_TANKER},     {"K35E", ROLE_TANKER},     {"KC10", ROLE_TANKER},
        {"K46", ROLE_TANKER},      {"KC46", ROLE_TANKER},     {"R135", ROLE_ISR},
        {"P8", ROLE_ISR},          {"P3", ROLE_ISR},          {"U2", ROLE_ISR},
        {"E8", ROLE_ISR},          {"E6", ROLE_ISR},          {"E3TF", ROLE_AEW},
        {"E3CF", ROLE_AEW},        {"E2", ROLE_AEW},          {"E737", ROLE_AEW},
        {"C17", ROLE_TRANSPORT},   {"C5M", ROLE_TRANSPORT},   {"C5", ROLE_TRANSPORT},
        {"C130", ROLE_TRANSPORT},  {"C30J", ROLE_TRANSPORT},  {"A400", ROLE_TRANSPORT},
        {"C160", ROLE_TRANSPORT},  {"C295", ROLE_TRANSPORT},  {"CN35", ROLE_TRANSPORT},
        {"C27J", ROLE_TRANSPORT},  {"IL76", ROLE_TRANSPORT},  {"AN12", ROLE_TRANSPORT},
        {"AN26", ROLE_TRANSPORT},  {"C2", ROLE_TRANSPORT},    {"V22", ROLE_TRANSPORT},
        {"Q4", ROLE_UAV},          {"Q1", ROLE_UAV},          {"Q9", ROLE_UAV},
        {"H60", ROLE_HELICOPTER},  {"H47", ROLE_HELICOPTER},  {"H64", ROLE_HELICOPTER},
        {"H53", ROLE_HELICOPTER},  {"H53S", ROLE_HELICOPTER}, {"NH90", ROLE_HELICOPTER},
        {"EC45", ROLE_HELICOPTER}, {"LYNX", ROLE_HELICOPTER}, {"EH10", ROLE_HELICOPTER},
        {"TEX2", ROLE_TRAINER},    {"T38", ROLE_TRAINER},     {"HAWK", ROLE_TRAINER},
        {"PC21", ROLE_TRAINER},    {"AJET", ROLE_TRAINER},    {"PC9", ROLE_TRAINER},
    };
    if (icao_type && *icao_type)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (!strcasecmp(icao_type, types[i].t))
                return types[i].r;
    // plane-alert-db tags and free-text descriptions.
    static const struct {
        const char *word;
        enum reg_role r;
    } words[] = {{"bomber", ROLE_BOMBER},
                 {"tanker", ROLE_TANKER},
                 {"air2air", ROLE_TANKER},
                 {"refuel", ROLE_TANKER},
                 {"hawkeye", ROLE_AEW},
                 {"awacs", ROLE_AEW},
                 {"early warning", ROLE_AEW},
                 {"surveillance", ROLE_ISR},
                 {"eye in the sky", ROLE_ISR},
                 {"isr", ROLE_ISR},
                 {"maritime patrol", ROLE_ISR},
                 {"asw", ROLE_ISR},
                 {"recon", ROLE_ISR},
                 {"uav", ROLE_UAV},
                 {"drone", ROLE_UAV},
                 {"chop", ROLE_HELICOPTER},
                 {"heli", ROLE_HELICOPTER},
                 {"whirly", ROLE_HELICOPTER},
                 {"rotor", ROLE_HELICOPTER},
                 {"air cavalry", ROLE_HELICOPTER},
                 {"trainer", ROLE_TRAINER},
                 {"training", ROLE_TRAINER},
                 {"flying classroom", ROLE_TRAINER},
                 {"l-plate", ROLE_TRAINER},
                 {"fighter", ROLE_FIGHTER},
                 {"danger zone", ROLE_FIGHTER},
                 {"attack", ROLE_FIGHTER},
                 {"cargo", ROLE_TRANSPORT},
                 {"airlift", ROLE_TRANSPORT},
                 {"transport", ROLE_TRANSPORT}};
    if (text && *text) {
        int k = first_word(text, &words[0].word, sizeof words[0], sizeof words / sizeof words[0]);
        if (k >= 0)
            return words[k].r;
    }
    return ROLE_NONE;
}

/* ---- name normalisation ---- */

void registry_key_normalise(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    if (!outsz)
        return;
    for (; in && *in && o + 1 < outsz; in++)
        if (isalnum((unsigned char)*in))
            out[o++] = (char)toupper((unsigned char)*in);
    out[o] = '\0';
}

// Hull classification symbols (US Navy SECNAVINST 5030.8, MSC "T-" prefix,
// US Coast Guard "W" symbols) and a few common foreign ones.
static const char *const hull_classes[] = {
    "CVN", "CV",   "CG",   "DDG",  "DD",   "FFG",  "FF",  "LCS",  "LHD",  "LHA",
    "LPD", "LSD",  "LCC",  "SSN",  "SSBN", "SSGN", "SS",  "AS",   "ESB",  "EPF",
    "MCM", "PC",   "AO",   "AOE",  "AKE",  "AKR",  "AOT", "ARS",  "ATS",  "AGOS",
    "AH",  "WMSL", "WMEC", "WHEC", "WPC",  "WPB",  "WLB", "WAGB", "WMSM", "WIX"};

static bool is_hull_class(const char *s, size_t n)
{
    if (n >= 2 && s[0] == 'T' && is_hull_class(s + 1, n - 1))
        return true; // MSC "T-AO"
    for (size_t i = 0; i < sizeof hull_classes / sizeof hull_classes[0]; i++)
        if (strlen(hull_classes[i]) == n && !strncmp(hull_classes[i], s, n))
            return true;
    return false;
}

static const char *const ship_prefixes[] = {
    "USS",  "USNS", "USCGC", "HMS", "HMCS", "HMAS", "HMNZS", "HNLMS", "HNOMS", "HDMS", "FS",
    "ARV",  "BAE",  "ARC",   "ARA", "BAP",  "ITS",  "SPS",   "NRP",   "TCG",   "INS",  "JS",
    "ROKS", "KRI",  "PNS",   "BRP", "HTMS", "CNS",  "RFS",   "ESPS",  "KNM",   "HSWMS"};

static const char *const generic_words[] = {"WARSHIP", "NAVY",       "NAVAL", "MILITARY", "COAST",
                                            "GUARD",   "COASTGUARD", "WAR",   "SHIP",     "US",
                                            "USA",     "USN",        "USCG"};

static bool in_list(const char *tok, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tok, list[i]))
            return true;
    return false;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static void append_word(char *dst, size_t dsz, const char *w)
{
    size_t l = strlen(dst);
    if (l && l + 1 < dsz)
        dst[l++] = ' ';
    for (; *w && l + 1 < dsz; w++)
        dst[l++] = *w;
    dst[l] = '\0';
}

#define MAX_TOKENS 16

void registry_name_parse(const char *in, struct reg_name_parts *out)
{
    memset(out, 0, sizeof *out);
    char buf[96];
    size_t o = 0;
    // Upper case; everything but letters and digits separates words, except
    // that '.' and '\'' inside a word are dropped ("ST. LOUIS" ~ "ST LOUIS").
    for (; in && *in && o + 1 < sizeof buf; in++) {
        unsigned char c = (unsigned char)*in;
        if (isalnum(c))
            buf[o++] = (char)toupper(c);
        else if (c == '.' || c == '\'')
            buf[o++] = ' ';
        else
            buf[o++] = ' ';
    }
    buf[o] = '\0';
    char *tok[MAX_TOKENS];
    int nt = 0;
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t && nt < MAX_TOKENS;
         t = strtok_r(NULL, " ", &save))
        tok[nt++] = t;
    int i = 0;
    // Civil "motor vessel" style prefixes are dropped from the key but are
    // not a naval prefix ("MV Ocean Trader" ~ "OCEAN TRADER").
    static const char *const civil_prefixes[] = {"MV", "MS", "MT", "MY", "SV", "RV"};
    if (nt > 1 && in_list(tok[0], ship_prefixes, sizeof ship_prefixes / sizeof ship_prefixes[0])) {
        snprintf(out->prefix, sizeof out->prefix, "%s", tok[0]);
        i = 1;
    } else if (nt > 1 &&
               in_list(tok[0], civil_prefixes, sizeof civil_prefixes / sizeof civil_prefixes[0])) {
        i = 1;
    }
    bool generic = true;
    int nwords = 0;
    for (; i < nt; i++) {
        char *t = tok[i];
        size_t letters = 0;
        while (t[letters] && isalpha((unsigned char)t[letters]))
            letters++;
        // "T" "AO" "187" -> TAO187
        if (!out->hull[0] && !strcmp(t, "T") && i + 1 < nt) {
            char *n = tok[i + 1];
            size_t nl = 0;
            while (n[nl] && isalpha((unsigned char)n[nl]))
                nl++;
            if (nl && is_hull_class(n, nl) &&
                (all_digits(n + nl) || (!n[nl] && i + 2 < nt && all_digits(tok[i + 2])))) {
                const char *digits = n[nl] ? n + nl : tok[i + 2];
                snprintf(out->hull, sizeof out->hull, "T%.*s%s", (int)nl, n, digits);
                snprintf(out->number, sizeof out->number, "%s", digits);
                i += n[nl] ? 1 : 2;
                continue;
            }
        }
        if (!out->hull[0] && letters && is_hull_class(t, letters)) {
            if (all_digits(t + letters)) {
                snprintf(out->hull, sizeof out->hull, "%s", t);
                snprintf(out->number, sizeof out->number, "%s", t + letters);
                continue;
            }
            if (!t[letters] && i + 1 < nt && all_digits(tok[i + 1]) && strlen(tok[i + 1]) <= 4) {
                snprintf(out->hull, sizeof out->hull, "%s%s", t, tok[i + 1]);
                snprintf(out->number, sizeof out->number, "%s", tok[i + 1]);
                i++;
                continue;
            }
        }
        if (all_digits(t) && generic && nwords > 0 && i == nt - 1 && !out->number[0] &&
            strlen(t) <= 4) {
            // "WARSHIP 7": a bare number after generic words.
            snprintf(out->number, sizeof out->number, "%s", t);
            continue;
        }
        if (!in_list(t, generic_words, sizeof generic_words / sizeof generic_words[0]))
            generic = false;
        nwords++;
        append_word(out->name, sizeof out->name, t);
    }
    // Generic only if there were words and all were generic, and at least
    // one of them is more than a country abbreviation.
    out->generic = nwords > 0 && generic &&
                   (strstr(out->name, "WARSHIP") || strstr(out->name, "NAVY") ||
                    strstr(out->name, "NAVAL") || strstr(out->name, "MILITARY") ||
                    strstr(out->name, "COAST") || strstr(out->name, "WAR SHIP"));
    if (out->generic)
        out->name[0] = '\0';
}

/* ---- hash tables ---- */

struct u32slot {
    uint32_t key;
    uint32_t val; /* index + 1; 0 = empty */
};

struct u32map {
    struct u32slot *s; /* key and value side by side: one cache line per probe */
    size_t cap, len;
};

static inline size_t u32_hash(uint32_t k, size_t mask)
{
    return (size_t)((k * 0x9E3779B1u) ^ (k >> 16)) & mask;
}

static int u32map_grow(struct u32map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    struct u32slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->s[i].val)
            continue;
        size_t j = u32_hash(m->s[i].key, ncap - 1);
        while (ns[j].val)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->s[i];
    }
    free(m->s);
    m->s = ns;
    m->cap = ncap;
    return 0;
}

// Insert or replace. Returns 1 if replaced, 0 if new, -1 on OOM.
static int u32map_put(struct u32map *m, uint32_t key, uint32_t idx)
{
    if ((m->len + 1) * 2 > m->cap && u32map_grow(m)) // load factor <= 1/2
        return -1;
    size_t mask = m->cap - 1, j = u32_hash(key, mask);
    while (m->s[j].val) {
        if (m->s[j].key == key) {
            m->s[j].val = idx + 1;
            return 1;
        }
        j = (j + 1) & mask;
    }
    m->s[j].key = key;
    m->s[j].val = idx + 1;
    m->len++;
    return 0;
}

static inline uint32_t u32map_get(const struct u32map *m, uint32_t key)
{
    if (!m->cap)
        return AMBIGUOUS;
    size_t mask = m->cap - 1, j = u32_hash(key, mask);
    while (m->s[j].val) {
        if (m->s[j].key == key)
            return m->s[j].val - 1;
        j = (j + 1) & mask;
    }
    return AMBIGUOUS;
}

static void u32map_free(struct u32map *m)
{
    free(m->s);
}

struct smap_entry {
    uint64_t h;
    uint32_t idx; /* AMBIGUOUS allowed as a value */
    char *key;    /* NULL = empty slot */
};

struct smap {
    struct smap_entry *e;
    size_t cap, len;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; // FNV-1a
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static int smap_grow(struct smap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    struct smap_entry *ne = calloc(ncap, sizeof *ne);
    if (!ne)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].key)
            continue;
        size_t j = m->e[i].h & (ncap - 1);
        while (ne[j].key)
            j = (j + 1) & (ncap - 1);
        ne[j] = m->e[i];
    }
    free(m->e);
    m->e = ne;
    m->cap = ncap;
    return 0;
}

static struct smap_entry *smap_find(const struct smap *m, const char *key, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1, j = h & mask;
    while (m->e[j].key) {
        if (m->e[j].h == h && !strcmp(m->e[j].key, key))
            return &m->e[j];
        j = (j + 1) & mask;
    }
    return NULL;
}

// Returns the entry for key, creating it (idx AMBIGUOUS, *created=1) if new.
static struct smap_entry *smap_upsert(struct smap *m, const char *key, int *created)
{
    uint64_t h = str_hash(key);
    struct smap_entry *e = smap_find(m, key, h);
    *created = 0;
    if (e)
        return e;
    if ((m->len + 1) * 4 > m->cap * 3 && smap_grow(m))
        return NULL;
    size_t mask = m->cap - 1, j = h & mask;
    while (m->e[j].key)
        j = (j + 1) & mask;
    char *k = strdup(key);
    if (!k)
        return NULL;
    m->e[j].key = k;
    m->e[j].h = h;
    m->e[j].idx = AMBIGUOUS;
    m->len++;
    *created = 1;
    return &m->e[j];
}

static uint32_t smap_get(const struct smap *m, const char *key)
{
    const struct smap_entry *e = smap_find(m, key, str_hash(key));
    return e ? e->idx : AMBIGUOUS;
}

static void smap_free(struct smap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
}

/* ---- the registry ---- */

struct registry {
    struct reg_aircraft *air;
    size_t nair, capair;
    struct reg_ship *ship;
    size_t nship, capship;
    struct u32map by_icao, by_mmsi, by_imo;
    struct smap by_reg, by_name, by_hull, by_call, by_number;
    char *files[REG_MAX_FILES];
    size_t nfiles;
    char *urls; /* source links, each NUL-terminated; a row's url is offset + 1 */
    size_t nurls, capurls;
};

struct registry *registry_new(void)
{
    return calloc(1, sizeof(struct registry));
}

void registry_free(struct registry *reg)
{
    if (!reg)
        return;
    free(reg->air);
    free(reg->ship);
    free(reg->urls);
    u32map_free(&reg->by_icao);
    u32map_free(&reg->by_mmsi);
    u32map_free(&reg->by_imo);
    smap_free(&reg->by_reg);
    smap_free(&reg->by_name);
    smap_free(&reg->by_hull);
    smap_free(&reg->by_call);
    smap_free(&reg->by_number);
    for (size_t i = 0; i < reg->nfiles; i++)
        free(reg->files[i]);
    free(reg);
}

const char *registry_format_name(enum reg_format f)
{
    switch (f) {
    case REGFMT_PLANE_ALERT:
        return "plane-alert-db";
    case REGFMT_TAR1090_MIL:
        return "tar1090-db military";
    case REGFMT_READSB:
        return "readsb/tar1090 aircraft.csv";
    case REGFMT_ORBAT_AIRCRAFT:
        return "orbat aircraft";
    case REGFMT_SHIPS_SEED:
        return "orbat ships seed";
    case REGFMT_HEXFAIR:
        return "US Navy hull/MMSI list";
    case REGFMT_ORBAT_SHIPS:
        return "orbat ships";
    case REGFMT_UNKNOWN:
        break;
    }
    return "unknown";
}

// Copy a field, trimmed of surrounding blanks, truncated to the buffer.
static void copy_field(char *dst, size_t dsz, const char *src)
{
    while (*src == ' ' || *src == '\t')
        src++;
    size_t n = strlen(src);
    while (n && (src[n - 1] == ' ' || src[n - 1] == '\t'))
        n--;
    if (n >= dsz)
        n = dsz - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

// A value that stands for "unknown": empty, or only the placeholder
// characters '?', '-', '.' and blanks (plane-alert-db writes "????" for a
// registration it does not know, other lists "-", "n/a" is not one of them).
bool registry_placeholder(const char *s)
{
    for (; *s; s++)
        if (*s != '?' && *s != '-' && *s != '.' && *s != ' ' && *s != '\t')
            return false;
    return true;
}

// copy_field for a descriptive value: a placeholder becomes "", so that no
// "????" reaches a name, aircraft.json's r or the web map.
static void copy_value(char *dst, size_t dsz, const char *src)
{
    copy_field(dst, dsz, src);
    if (registry_placeholder(dst))
        dst[0] = '\0';
}

// Parse a 24-bit hex address: 6 hex digits, or 5 when a spreadsheet has
// dropped a leading zero (plane-alert-db has "10166" for 010166). readsb's
// '~' prefix for non-ICAO addresses is rejected. Returns 0 on success.
static int parse_icao(const char *s, uint32_t *out)
{
    char t[8];
    copy_field(t, sizeof t, s);
    size_t n = strlen(t);
    if (n != 6 && n != 5)
        return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)t[i];
        int d = isdigit(c) ? c - '0' : (isxdigit(c) ? (tolower(c) - 'a' + 10) : -1);
        if (d < 0)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    if (v == 0)
        return -1;
    *out = v;
    return 0;
}

// Parse an unsigned decimal of at most maxdigits digits; empty -> 0.
static int parse_uint(const char *s, unsigned maxdigits, uint32_t *out)
{
    char t[16];
    copy_field(t, sizeof t, s);
    *out = 0;
    if (!t[0])
        return 0;
    if (strlen(t) > maxdigits || !all_digits(t))
        return -1;
    *out = (uint32_t)strtoul(t, NULL, 10);
    return 0;
}

struct loader {
    struct registry *reg;
    const char *file;
    uint16_t file_idx;
    reg_err_cb cb;
    void *ctx;
    struct reg_load_stats *st;
    int col[32]; /* column index by logical field, -1 if absent */
    int ncols;
};

static void bad(struct loader *ld, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad(struct loader *ld, uint32_t line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ld->st->bad++;
    if (ld->cb)
        ld->cb(ld->ctx, ld->file, line, msg);
}

static const char *fld(const struct csv_row *row, const struct loader *ld, int logical)
{
    int c = ld->col[logical];
    if (c < 0 || c >= row->nfields)
        return "";
    return row->field[c];
}

static int air_put(struct loader *ld, const struct reg_aircraft *a)
{
    struct registry *reg = ld->reg;
    if (reg->nair == reg->capair) {
        size_t nc = reg->capair ? reg->capair * 2 : 1024;
        struct reg_aircraft *n = realloc(reg->air, nc * sizeof *n);
        if (!n)
            return -1;
        reg->air = n;
        reg->capair = nc;
    }
    uint32_t idx = (uint32_t)reg->nair;
    reg->air[reg->nair++] = *a;
    int r = u32map_put(&reg->by_icao, a->icao, idx);
    if (r < 0)
        return -1;
    if (r == 1)
        ld->st->replaced++;
    char key[24];
    registry_key_normalise(a->registration, key, sizeof key);
    if (key[0]) {
        int created;
        struct smap_entry *e = smap_upsert(&reg->by_reg, key, &created);
        if (!e)
            return -1;
        e->idx = idx;
    }
    ld->st->loaded++;
    return 0;
}

static int ship_key(struct smap *m, const char *key, uint32_t idx)
{
    if (!key[0])
        return 0;
    int created;
    struct smap_entry *e = smap_upsert(m, key, &created);
    if (!e)
        return -1;
    e->idx = idx;
    return 0;
}

static int ship_put(struct loader *ld, struct reg_ship *s)
{
    struct registry *reg = ld->reg;
    struct reg_name_parts np, hp;
    registry_name_parse(s->name, &np);
    registry_name_parse(s->hull, &hp);
    snprintf(s->name_key, sizeof s->name_key, "%s", np.name);
    snprintf(s->hull_key, sizeof s->hull_key, "%s", hp.hull[0] ? hp.hull : np.hull);
    const char *number = hp.hull[0] ? hp.number : np.number;
    if (!s->name_key[0] && !s->hull_key[0] && !s->mmsi && !s->imo && !s->callsign[0])
        return 1; // nothing to find it by
    if (!s->role)
        s->role = (uint8_t)registry_ship_role_guess(s->type, s->hull[0] ? s->hull : s->name);
    if (reg->nship == reg->capship) {
        size_t nc = reg->capship ? reg->capship * 2 : 256;
        struct reg_ship *n = realloc(reg->ship, nc * sizeof *n);
        if (!n)
            return -1;
        reg->ship = n;
        reg->capship = nc;
    }
    uint32_t idx = (uint32_t)reg->nship;
    reg->ship[reg->nship++] = *s;
    int replaced = 0;
    if (s->mmsi) {
        int r = u32map_put(&reg->by_mmsi, s->mmsi, idx);
        if (r < 0)
            return -1;
        replaced |= r;
    }
    if (s->imo && u32map_put(&reg->by_imo, s->imo, idx) < 0)
        return -1;
    char call[12];
    registry_key_normalise(s->callsign, call, sizeof call);
    if (ship_key(&reg->by_name, s->name_key, idx) || ship_key(&reg->by_hull, s->hull_key, idx) ||
        ship_key(&reg->by_call, call, idx))
        return -1;
    if (number[0]) {
        int created;
        struct smap_entry *e = smap_upsert(&reg->by_number, number, &created);
        if (!e)
            return -1;
        if (created)
            e->idx = idx;
        else if (e->idx != AMBIGUOUS && strcmp(reg->ship[e->idx].hull_key, s->hull_key) != 0)
            e->idx = AMBIGUOUS; // two different hulls share this number
        else if (e->idx != AMBIGUOUS)
            e->idx = idx;
    }
    if (replaced)
        ld->st->replaced++;
    ld->st->loaded++;
    return 0;
}

enum {
    F_ICAO,
    F_REG,
    F_OPERATOR,
    F_TYPE,
    F_ICAOTYPE,
    F_CMPG,
    F_TAG1,
    F_TAG2,
    F_TAG3,
    F_CATEGORY,
    F_FLAGS,
    F_MILITARY,
    F_INTERESTING,
    F_PIA,
    F_LADD,
    F_COUNTRY,
    F_ROLE,
    F_NAME,
    F_HULL,
    F_MMSI,
    F_IMO,
    F_CALLSIGN,
    F_CLASS,
    F_VERIFIED,
    F_LINK,
    F_SOURCE,
    F_COUNT
};
_Static_assert(F_COUNT <= 32, "struct loader's col[] holds every field");

// Map header names (without plane-alert's $/# markers, case-insensitive).
static const struct {
    const char *name;
    int f;
} header_names[] = {
    {"icao", F_ICAO},
    {"icao_hex", F_ICAO},
    {"hex", F_ICAO},
    {"registration", F_REG},
    {"reg", F_REG},
    {"operator", F_OPERATOR},
    {"owner", F_OPERATOR},
    {"ownop", F_OPERATOR},
    {"type", F_TYPE},
    {"type_description", F_TYPE},
    {"description", F_TYPE},
    {"icao type", F_ICAOTYPE},
    {"icao_type", F_ICAOTYPE},
    {"cmpg", F_CMPG},
    {"tag 1", F_TAG1},
    {"tag 2", F_TAG2},
    {"tag 3", F_TAG3},
    {"category", F_CATEGORY},
    {"db_flags", F_FLAGS},
    {"flags", F_FLAGS},
    {"military", F_MILITARY},
    {"interesting", F_INTERESTING},
    {"pia", F_PIA},
    {"ladd", F_LADD},
    {"country", F_COUNTRY},
    {"role", F_ROLE},
    {"name", F_NAME},
    {"hull", F_HULL},
    {"mmsi", F_MMSI},
    {"mmsi_candidate", F_MMSI},
    {"imo", F_IMO},
    {"callsign", F_CALLSIGN},
    {"call_sign", F_CALLSIGN},
    {"class", F_CLASS},
    {"mmsi_verified", F_VERIFIED},
    {"link", F_LINK},
    {"source_url", F_LINK},
    {"source", F_SOURCE},
};

static void map_header(struct loader *ld, const struct csv_row *row)
{
    for (int i = 0; i < F_COUNT; i++)
        ld->col[i] = -1;
    for (int c = 0; c < row->nfields; c++) {
        const char *h = row->field[c];
        while (*h == '$' || *h == '#')
            h++;
        for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
            if (!strcasecmp(h, header_names[i].name) && ld->col[header_names[i].f] < 0)
                ld->col[header_names[i].f] = c;
    }
    ld->ncols = row->nfields;
}

static enum reg_format detect_format(const struct csv_row *row)
{
    const char *f0 = row->nfields > 0 ? row->field[0] : "";
    const char *f1 = row->nfields > 1 ? row->field[1] : "";
    uint32_t icao;
    if (!strcmp(f0, "$ICAO"))
        return REGFMT_PLANE_ALERT;
    if (!strcmp(f0, "icao_hex") && row->nfields >= 6)
        return REGFMT_TAR1090_MIL;
    if ((!strcasecmp(f0, "hex") || !parse_icao(f0, &icao)) && row->nfields >= 4 &&
        row->nfields <= 8)
        return REGFMT_READSB;
    if (!strcasecmp(f0, "icao"))
        return REGFMT_ORBAT_AIRCRAFT;
    if (!strcmp(f0, "name") && !strcmp(f1, "hull"))
        return REGFMT_SHIPS_SEED;
    if (!strcmp(f0, "hull") && !strcmp(f1, "name"))
        return REGFMT_HEXFAIR;
    if (!strcasecmp(f0, "mmsi"))
        return REGFMT_ORBAT_SHIPS;
    return REGFMT_UNKNOWN;
}

static bool flag_true(const char *s)
{
    return !strcmp(s, "1") || !strcasecmp(s, "true") || !strcasecmp(s, "yes") ||
           !strcasecmp(s, "y");
}

// Keep the first http(s) URL of a field (a link column, or the seed list's
// "URL ; URL" sources) in the registry's pool; returns its url handle, 0
// when there is none, it is too long, or memory ran out (a missing link
// loses nothing else).
static uint32_t url_put(struct registry *reg, const char *field)
{
    const char *u = strstr(field, "http://");
    const char *u2 = strstr(field, "https://");
    if (!u || (u2 && u2 < u))
        u = u2;
    if (!u)
        return 0;
    size_t n = 0;
    while (u[n] && u[n] != ' ' && u[n] != '\t' && u[n] != ';' && u[n] != '"' && u[n] != '<' &&
           u[n] != '>' && (unsigned char)u[n] > 0x20 && u[n] != 0x7f)
        n++;
    if (n > REG_URL_MAX || n <= strlen("https://"))
        return 0;
    if (reg->nurls + n + 1 > reg->capurls) {
        size_t nc = reg->capurls ? reg->capurls * 2 : 4096;
        while (nc < reg->nurls + n + 1)
            nc *= 2;
        if (nc > UINT32_MAX - 1)
            return 0;
        char *p = realloc(reg->urls, nc);
        if (!p)
            return 0;
        reg->urls = p;
        reg->capurls = nc;
    }
    uint32_t off = (uint32_t)reg->nurls;
    memcpy(reg->urls + off, u, n);
    reg->urls[off + n] = '\0';
    reg->nurls += n + 1;
    return off + 1;
}

const char *registry_url(const struct registry *reg, uint32_t url)
{
    if (!reg || !url || url > reg->nurls)
        return "";
    return reg->urls + url - 1;
}

static int load_aircraft_row(struct loader *ld, enum reg_format fmt, const struct csv_row *row)
{
    struct reg_aircraft a;
    memset(&a, 0, sizeof a);
    a.file = ld->file_idx;
    a.line = row->line;
    if (parse_icao(fld(row, ld, F_ICAO), &a.icao)) {
        bad(ld, row->line, "bad ICAO address '%.16s' (want 6 hex digits)", fld(row, ld, F_ICAO));
        return 0;
    }
    copy_value(a.registration, sizeof a.registration, fld(row, ld, F_REG));
    copy_value(a.icao_type, sizeof a.icao_type, fld(row, ld, F_ICAOTYPE));
    copy_value(a.type, sizeof a.type, fld(row, ld, F_TYPE));
    copy_value(a.operator_name, sizeof a.operator_name, fld(row, ld, F_OPERATOR));
    copy_value(a.country, sizeof a.country, fld(row, ld, F_COUNTRY));
    char tags[160];
    snprintf(tags, sizeof tags, "%s%s%s%s%s%s%s", fld(row, ld, F_TAG1),
             *fld(row, ld, F_TAG2) ? "; " : "", fld(row, ld, F_TAG2),
             *fld(row, ld, F_TAG3) ? "; " : "", fld(row, ld, F_TAG3),
             *fld(row, ld, F_CATEGORY) ? "; " : "", fld(row, ld, F_CATEGORY));
    copy_field(a.tags, sizeof a.tags, tags);
    a.url = url_put(ld->reg, fld(row, ld, F_LINK));
    switch (fmt) {
    case REGFMT_PLANE_ALERT: {
        const char *cmpg = fld(row, ld, F_CMPG);
        if (!strcmp(cmpg, "Mil"))
            a.cls = AIRCLASS_MIL;
        else if (!strcmp(cmpg, "Gov"))
            a.cls = AIRCLASS_GOV;
        else if (!strcmp(cmpg, "Pol"))
            a.cls = AIRCLASS_POL;
        else if (!strcmp(cmpg, "Civ"))
            a.cls = AIRCLASS_CIV;
        else if (!cmpg[0] && row->nfields <= 2 && has_word(ld->file, "pia"))
            a.cls = AIRCLASS_PIA; // the PIA list carries only hex and registration
        else {
            bad(ld, row->line, "bad #CMPG '%.16s' (want Mil, Gov, Pol or Civ)", cmpg);
            return 0;
        }
        if (!strcmp(fld(row, ld, F_CATEGORY), "PIA") || !strcmp(fld(row, ld, F_TAG1), "PIA"))
            a.cls = AIRCLASS_PIA;
        break;
    }
    case REGFMT_TAR1090_MIL:
    case REGFMT_READSB: {
        // readsb dbFlags: character i of the flag string is bit i (bit 0
        // military, 1 interesting, 2 PIA, 3 LADD; readsb README-json.md).
        const char *fl = fld(row, ld, F_FLAGS);
        size_t n = strlen(fl);
        for (size_t i = 0; i < n; i++)
            if (fl[i] != '0' && fl[i] != '1') {
                bad(ld, row->line, "bad flags '%.16s' (want a string of 0 and 1)", fl);
                return 0;
            }
        bool mil = (n > 0 && fl[0] == '1') || flag_true(fld(row, ld, F_MILITARY));
        bool pia = (n > 2 && fl[2] == '1') || flag_true(fld(row, ld, F_PIA));
        a.ladd = (n > 3 && fl[3] == '1') || flag_true(fld(row, ld, F_LADD));
        bool interesting = (n > 1 && fl[1] == '1') || flag_true(fld(row, ld, F_INTERESTING));
        a.cls = pia           ? AIRCLASS_PIA
                : mil         ? AIRCLASS_MIL
                : interesting ? AIRCLASS_CIV
                              : AIRCLASS_NONE;
        break;
    }
    case REGFMT_ORBAT_AIRCRAFT: {
        int c = registry_category_parse(fld(row, ld, F_CATEGORY));
        if (c < 0) {
            bad(ld, row->line, "bad category '%.24s'", fld(row, ld, F_CATEGORY));
            return 0;
        }
        int r = registry_role_parse(fld(row, ld, F_ROLE));
        if (r < 0) {
            bad(ld, row->line, "bad role '%.24s'", fld(row, ld, F_ROLE));
            return 0;
        }
        if (c == CAT_WARSHIP)
            c = CAT_MILITARY_AIRCRAFT;
        a.category = (uint8_t)c;
        a.role = (uint8_t)r;
        a.cls = c == CAT_MILITARY_AIRCRAFT ? AIRCLASS_MIL
                : c == CAT_GOVERNMENT      ? AIRCLASS_GOV
                : c == CAT_LAW_ENFORCEMENT ? AIRCLASS_POL
                : c == CAT_CIVIL           ? AIRCLASS_CIV
                                           : AIRCLASS_NONE;
        break;
    }
    default:
        break;
    }
    if (!a.category)
        a.category = a.cls == AIRCLASS_MIL   ? CAT_MILITARY_AIRCRAFT
                     : a.cls == AIRCLASS_GOV ? CAT_GOVERNMENT
                     : a.cls == AIRCLASS_POL ? CAT_LAW_ENFORCEMENT
                     : a.cls == AIRCLASS_CIV ? CAT_CIVIL
                                             : CAT_UNKNOWN;
    if (!a.role)
        a.role = (uint8_t)registry_aircraft_role_guess(a.icao_type, a.tags[0] ? a.tags : a.type);
    return air_put(ld, &a);
}

static int load_ship_row(struct loader *ld, enum reg_format fmt, const struct csv_row *row)
{
    struct reg_ship s;
    memset(&s, 0, sizeof s);
    s.file = ld->file_idx;
    s.line = row->line;
    copy_value(s.name, sizeof s.name, fld(row, ld, F_NAME));
    copy_value(s.hull, sizeof s.hull, fld(row, ld, F_HULL));
    if (s.hull[0] == '(') // ships_seed "(none; MSC charter)"
        s.hull[0] = '\0';
    copy_value(s.callsign, sizeof s.callsign, fld(row, ld, F_CALLSIGN));
    copy_value(s.ship_class, sizeof s.ship_class, fld(row, ld, F_CLASS));
    copy_value(s.type, sizeof s.type, fld(row, ld, F_TYPE));
    copy_value(s.country, sizeof s.country, fld(row, ld, F_COUNTRY));
    copy_value(s.operator_name, sizeof s.operator_name, fld(row, ld, F_OPERATOR));
    s.url = url_put(ld->reg, fld(row, ld, F_LINK));
    if (!s.url)
        s.url = url_put(ld->reg, fld(row, ld, F_SOURCE));
    char mmsi_txt[16];
    copy_field(mmsi_txt, sizeof mmsi_txt, fld(row, ld, F_MMSI));
    if (parse_uint(mmsi_txt, 9, &s.mmsi) || (mmsi_txt[0] && strlen(mmsi_txt) != 9) ||
        (mmsi_txt[0] && !s.mmsi)) {
        bad(ld, row->line, "bad MMSI '%.16s' (want 9 digits)", fld(row, ld, F_MMSI));
        return 0;
    }
    if (parse_uint(fld(row, ld, F_IMO), 7, &s.imo)) {
        bad(ld, row->line, "bad IMO number '%.16s' (want 7 digits)", fld(row, ld, F_IMO));
        return 0;
    }
    if (!s.name[0] && !s.hull[0] && !s.mmsi) {
        bad(ld, row->line, "row has no name, hull or MMSI");
        return 0;
    }
    s.category = CAT_WARSHIP;
    if (fmt == REGFMT_ORBAT_SHIPS) {
        int c = registry_category_parse(fld(row, ld, F_CATEGORY));
        int r = registry_role_parse(fld(row, ld, F_ROLE));
        if (c < 0) {
            bad(ld, row->line, "bad category '%.24s'", fld(row, ld, F_CATEGORY));
            return 0;
        }
        if (r < 0) {
            bad(ld, row->line, "bad role '%.24s'", fld(row, ld, F_ROLE));
            return 0;
        }
        if (c == CAT_MILITARY_AIRCRAFT)
            c = CAT_WARSHIP;
        s.category = (uint8_t)c;
        s.role = (uint8_t)r;
        s.mmsi_verified = flag_true(fld(row, ld, F_VERIFIED));
    } else {
        // The seed list and the hull/MMSI list are US Navy / MSC / USCG
        // hulls with unverified MMSIs: candidates only.
        snprintf(s.country, sizeof s.country, "United States");
        struct reg_name_parts np;
        registry_name_parse(s.name, &np);
        if (!strcmp(np.prefix, "USCGC"))
            s.category = CAT_LAW_ENFORCEMENT;
        if (has_word(s.type, "saildrone"))
            s.category = CAT_GOVERNMENT;
    }
    int r = ship_put(ld, &s);
    if (r == 1)
        bad(ld, row->line, "row has nothing to match on");
    return r < 0 ? -1 : 0;
}

static bool is_ship_format(enum reg_format f)
{
    return f == REGFMT_SHIPS_SEED || f == REGFMT_HEXFAIR || f == REGFMT_ORBAT_SHIPS;
}

int registry_load_buf(struct registry *reg, const char *buf, size_t n, const char *name,
                      reg_err_cb cb, void *ctx, struct reg_load_stats *st)
{
    struct reg_load_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    if (reg->nfiles >= REG_MAX_FILES) {
        if (cb)
            cb(ctx, name, 0, "too many registry files");
        return -1;
    }
    char *fname = strdup(name);
    if (!fname)
        return -1;
    reg->files[reg->nfiles] = fname;
    struct loader ld = {.reg = reg,
                        .file = fname,
                        .file_idx = (uint16_t)reg->nfiles,
                        .cb = cb,
                        .ctx = ctx,
                        .st = st};
    reg->nfiles++;
    struct csv_reader rd;
    csv_init(&rd, buf, n, 0);
    struct csv_row *row = malloc(sizeof *row);
    if (!row)
        return -1;
    enum csv_status cs;
    // Header (the first record that parses).
    while ((cs = csv_next(&rd, row)) == CSV_ERROR)
        bad(&ld, row->line, "%s", row->err);
    if (cs == CSV_EOF) {
        if (cb)
            cb(ctx, name, 0, "empty file");
        free(row);
        return -1;
    }
    enum reg_format fmt = detect_format(row);
    st->format = fmt;
    if (fmt == REGFMT_UNKNOWN) {
        if (cb)
            cb(ctx, name, row->line,
               "unknown registry format (header not recognised; see docs/identification.md)");
        free(row);
        return -1;
    }
    bool header_is_data = false;
    if (fmt == REGFMT_READSB) {
        // aircraft.csv: hex;registration;icao_type;flags;description;year;owner
        for (int i = 0; i < F_COUNT; i++)
            ld.col[i] = -1;
        ld.col[F_ICAO] = 0;
        ld.col[F_REG] = 1;
        ld.col[F_ICAOTYPE] = 2;
        ld.col[F_FLAGS] = 3;
        ld.col[F_TYPE] = 4;
        ld.col[F_OPERATOR] = 6;
        ld.ncols = row->nfields;
        header_is_data = strcasecmp(row->field[0], "hex") != 0;
    } else {
        map_header(&ld, row);
    }
    int rc = 0;
    bool first = true;
    for (;;) {
        if (!(first && header_is_data)) {
            cs = csv_next(&rd, row);
            if (cs == CSV_EOF)
                break;
            if (cs == CSV_ERROR) {
                st->rows++;
                bad(&ld, row->line, "%s", row->err);
                continue;
            }
        }
        first = false;
        st->rows++;
        // plane-alert's PIA list and readsb's aircraft.csv have short rows;
        // any other row must have at least the ID columns.
        if (row->nfields < 2) {
            bad(&ld, row->line, "%d field(s), expected %d", row->nfields, ld.ncols);
            continue;
        }
        if (fmt != REGFMT_PLANE_ALERT && fmt != REGFMT_READSB && row->nfields != ld.ncols) {
            bad(&ld, row->line, "%d fields, expected %d", row->nfields, ld.ncols);
            continue;
        }
        if (fmt == REGFMT_PLANE_ALERT && row->nfields > ld.ncols) {
            bad(&ld, row->line, "%d fields, expected at most %d", row->nfields, ld.ncols);
            continue;
        }
        int r =
            is_ship_format(fmt) ? load_ship_row(&ld, fmt, row) : load_aircraft_row(&ld, fmt, row);
        if (r < 0) {
            rc = -1;
            if (cb)
                cb(ctx, name, row->line, "out of memory");
            break;
        }
    }
    free(row);
    return rc;
}

int registry_load_file(struct registry *reg, const char *path, reg_err_cb cb, void *ctx,
                       struct reg_load_stats *st)
{
    size_t n;
    char *buf = csv_slurp(path, REG_MAX_FILE, &n);
    if (!buf) {
        if (cb) {
            char msg[160];
            snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
            cb(ctx, path, 0, msg);
        }
        if (st)
            memset(st, 0, sizeof *st);
        return -1;
    }
    int rc = registry_load_buf(reg, buf, n, path, cb, ctx, st);
    free(buf);
    return rc;
}

const struct reg_aircraft *registry_find_icao(const struct registry *reg, uint32_t icao)
{
    uint32_t i = u32map_get(&reg->by_icao, icao);
    return i == AMBIGUOUS ? NULL : &reg->air[i];
}

const struct reg_ship *registry_find_mmsi(const struct registry *reg, uint32_t mmsi)
{
    uint32_t i = u32map_get(&reg->by_mmsi, mmsi);
    return i == AMBIGUOUS ? NULL : &reg->ship[i];
}

const struct reg_ship *registry_find_imo(const struct registry *reg, uint32_t imo)
{
    uint32_t i = u32map_get(&reg->by_imo, imo);
    return i == AMBIGUOUS ? NULL : &reg->ship[i];
}

static const struct reg_ship *ship_by(const struct registry *reg, const struct smap *m,
                                      const char *key)
{
    if (!key || !key[0])
        return NULL;
    uint32_t i = smap_get(m, key);
    return i == AMBIGUOUS ? NULL : &reg->ship[i];
}

const struct reg_ship *registry_find_ship_name(const struct registry *reg, const char *name_key)
{
    return ship_by(reg, &reg->by_name, name_key);
}

const struct reg_ship *registry_find_ship_hull(const struct registry *reg, const char *hull_key)
{
    return ship_by(reg, &reg->by_hull, hull_key);
}

const struct reg_ship *registry_find_ship_callsign(const struct registry *reg, const char *callsign)
{
    char key[12];
    registry_key_normalise(callsign, key, sizeof key);
    return ship_by(reg, &reg->by_call, key);
}

const struct reg_ship *registry_find_ship_number(const struct registry *reg, const char *number)
{
    return ship_by(reg, &reg->by_number, number);
}

const struct reg_aircraft *registry_find_registration(const struct registry *reg,
                                                      const char *reg_key)
{
    if (!reg_key || !reg_key[0])
        return NULL;
    uint32_t i = smap_get(&reg->by_reg, reg_key);
    return i == AMBIGUOUS ? NULL : &reg->air[i];
}

size_t registry_aircraft_count(const struct registry *reg)
{
    return reg->nair;
}

const struct reg_aircraft *registry_aircraft_at(const struct registry *reg, size_t i)
{
    return i < reg->nair ? &reg->air[i] : NULL;
}

size_t registry_ship_count(const struct registry *reg)
{
    return reg->nship;
}

const struct reg_ship *registry_ship_at(const struct registry *reg, size_t i)
{
    return i < reg->nship ? &reg->ship[i] : NULL;
}

bool registry_aircraft_is_current(const struct registry *reg, const struct reg_aircraft *a)
{
    return registry_find_icao(reg, a->icao) == a;
}

bool registry_ship_is_current(const struct registry *reg, const struct reg_ship *s)
{
    return (s->mmsi && registry_find_mmsi(reg, s->mmsi) == s) ||
           (s->hull_key[0] && registry_find_ship_hull(reg, s->hull_key) == s) ||
           (s->name_key[0] && registry_find_ship_name(reg, s->name_key) == s);
}

size_t registry_file_count(const struct registry *reg)
{
    return reg->nfiles;
}

const char *registry_file_name(const struct registry *reg, size_t i)
{
    return i < reg->nfiles ? reg->files[i] : "?";
}

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int try_dir(const char *base, const char *rel, char *out, size_t outsz)
{
    char cand[PATH_MAX], probe[PATH_MAX + 16];
    int n = snprintf(cand, sizeof cand, "%s%s%s", base, rel[0] ? "/" : "", rel);
    if (n < 0 || (size_t)n >= sizeof cand)
        return -1;
    snprintf(probe, sizeof probe, "%s/registry", cand);
    if (!is_dir(probe))
        return -1;
    if (strlen(cand) >= outsz)
        return -1;
    snprintf(out, outsz, "%s", cand);
    return 0;
}

int registry_find_data_dir(char *out, size_t outsz)
{
    const char *env = getenv("ORBAT_DATA_DIR");
    if (env && *env)
        return try_dir(env, "", out, outsz);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"../data", "../../data", "../share/orbat",
                                              "../../share/orbat"};
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
                if (!try_dir(exe, rel[i], out, outsz)) {
                    char real[PATH_MAX];
                    if (realpath(out, real) && strlen(real) < outsz)
                        snprintf(out, outsz, "%s", real);
                    return 0;
                }
        }
    }
    return try_dir("data", "", out, outsz);
}

int registry_load_defaults(struct registry *reg, const char *data_dir, reg_err_cb cb, void *ctx)
{
    // plane-alert-mil/gov are subsets of plane-alert-db; the PIA list adds
    // addresses the main file lacks.
    static const char *const files[] = {"plane-alert-db.csv", "plane-alert-pia.csv",
                                        "ships_seed.csv"};
    int failed = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/registry/%s", data_dir, files[i]);
        if (registry_load_file(reg, path, cb, ctx, NULL))
            failed++;
    }
    return failed;
}

void registry_err_print(void *ctx, const char *file, uint32_t line, const char *msg)
{
    FILE *f = ctx ? ctx : stderr;
    if (line)
        fprintf(f, "%s:%u: %s\n", file, line, msg);
    else
        fprintf(f, "%s: %s\n", file, msg);
}

struct registry *registry_setup(bool no_defaults, char *const *files, size_t nfiles, reg_err_cb cb,
                                void *ctx, int *failed, char *data_dir, size_t data_dir_sz)
{
    struct registry *reg = registry_new();
    *failed = 0;
    if (data_dir && data_dir_sz)
        data_dir[0] = '\0';
    if (!reg)
        return NULL;
    if (!no_defaults) {
        char dir[PATH_MAX];
        if (registry_find_data_dir(dir, sizeof dir)) {
            if (cb)
                cb(ctx, "orbat", 0,
                   "data directory not found (set ORBAT_DATA_DIR); using no shipped registry");
            (*failed)++;
        } else {
            *failed += registry_load_defaults(reg, dir, cb, ctx);
            if (data_dir && data_dir_sz)
                snprintf(data_dir, data_dir_sz, "%s", dir);
        }
    }
    for (size_t i = 0; i < nfiles; i++)
        if (registry_load_file(reg, files[i], cb, ctx, NULL))
            (*failed)++;
    return reg;
}
