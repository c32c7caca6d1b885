/* SPDX-License-Identifier: BSD-2-Clause
 *
 * identify.c - identification rules and the per-asset cache; see
 * identify.h and docs/identification.md (rule ids, weights, sources).
 *
 * Scoring: each rule adds a weight to one category (weak 1, medium 2,
 * strong 4) and writes a reason. The non-civil category with the highest
 * score wins; civil evidence (a declared civil AIS ship type, a civil
 * registry row) is subtracted from it. Net >= 4 confirmed, 2-3 likely,
 * 1 possible; <= 0 falls back to civil or unknown.
 */
#include "registry/identify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry/tables.h"

const char *ident_confidence_name(enum ident_confidence c)
{
    switch (c) {
    case CONF_POSSIBLE:
        return "possible";
    case CONF_LIKELY:
        return "likely";
    case CONF_CONFIRMED:
        return "confirmed";
    case CONF_NONE:
        break;
    }
    return "none";
}

#define NCAT (CAT_WARSHIP + 1)

struct eval {
    struct ident_result *r;
    int score[NCAT];
    int role_prio, country_prio, name_prio;
};

static void reason(struct eval *e, const char *rule, int weight, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void reason(struct eval *e, const char *rule, int weight, const char *fmt, ...)
{
    struct ident_result *r = e->r;
    if (r->nreasons >= IDENT_MAX_REASONS)
        return;
    struct ident_reason *rs = &r->reasons[r->nreasons++];
    snprintf(rs->rule, sizeof rs->rule, "%s", rule);
    rs->weight = (int8_t)weight;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rs->evidence, sizeof rs->evidence, fmt, ap);
    va_end(ap);
}

static void set_role(struct eval *e, int role, int prio)
{
    if (role && prio > e->role_prio) {
        e->r->role = (uint8_t)role;
        e->role_prio = prio;
    }
}

static void set_country(struct eval *e, const char *country, int prio)
{
    if (country && *country && prio > e->country_prio) {
        snprintf(e->r->country, sizeof e->r->country, "%s", country);
        e->country_prio = prio;
    }
}

static void set_name(struct eval *e, const char *name, int prio)
{
    if (name && *name && prio > e->name_prio) {
        snprintf(e->r->name, sizeof e->r->name, "%s", name);
        e->name_prio = prio;
    }
}

static const char *file_of(const struct registry *reg, uint16_t file)
{
    const char *f = registry_file_name(reg, file);
    const char *slash = strrchr(f, '/');
    return slash ? slash + 1 : f;
}

// The MID table (ITU short forms) and the registry files name some states
// differently; report and compare the ICAO-table spelling.
static const char *country_canon(const char *c)
{
    static const struct {
        const char *from, *to;
    } alias[] = {{"USA", "United States"},
                 {"UAE", "United Arab Emirates"},
                 {"Trinidad Tobago", "Trinidad and Tobago"},
                 {"Antigua Barbuda", "Antigua and Barbuda"},
                 {"Dominican Rep", "Dominican Republic"},
                 {"Korea", "South Korea"},
                 {"DPR Korea", "North Korea"},
                 {"Vietnam", "Viet Nam"},
                 {"Cayman Is", "Cayman Islands"},
                 {"St Kitts Nevis", "Saint Kitts and Nevis"},
                 {"St Lucia", "Saint Lucia"},
                 {"St Vincent Grenadines", "Saint Vincent and the Grenadines"},
                 {"Turks Caicos Is", "Turks and Caicos Islands"},
                 {"Czech Republic", "Czechia"},
                 {"Cape Verde", "Cabo Verde"},
                 {"Marshall Is", "Marshall Islands"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (!strcmp(c, alias[i].from))
            return alias[i].to;
    return c;
}

/* ---- aircraft ---- */

static void eval_callsign(struct eval *e, const struct callsign_rules *rules,
                          const struct ident_input *in, enum reg_category mil)
{
    const struct callsign_rule *cr = callsign_rules_match(rules, in->callsign);
    if (!cr)
        return;
    int cat = cr->category;
    if (cat == CAT_MILITARY_AIRCRAFT || cat == CAT_WARSHIP)
        cat = mil;
    e->score[cat] += cr->strength;
    reason(e, "CALLSIGN", cr->strength, "callsign %s matches %s (%s) [rules line %u; %.60s]",
           in->callsign, cr->pattern, cr->operator_name, cr->line, cr->source);
    set_role(e, cr->role, 2);
    set_country(e, cr->country, 2);
}

/* The aircraft database an archive carries with each aircraft (readsb's
 * trace header and aircraft.json: registration, type, description,
 * owner/operator, dbFlags from the aggregator's tar1090-db). Its military
 * flag is a medium indicator (the aggregator's database, not ours: it can
 * be wrong either way); the other fields name the aircraft when our
 * registry does not. */
static void eval_acdb(struct eval *e, const struct ident_input *in)
{
    const struct obs_acdb *d = &in->acdb;
    struct ident_result *r = e->r;
    if (d->has_flags && (d->flags & 1u)) {
        e->score[CAT_MILITARY_AIRCRAFT] += STRENGTH_MEDIUM;
        reason(e, "A.ARCHIVE_MIL", STRENGTH_MEDIUM,
               "archive aircraft database flags %06X as military (readsb dbFlags %u)", in->id,
               (unsigned)d->flags);
    }
    if (d->reg[0] || d->type[0] || d->desc[0] || d->ownop[0]) {
        reason(e, "A.ARCHIVE_DB", 0, "archive aircraft database: %s %s (%s), %s",
               d->reg[0] ? d->reg : "-", d->type[0] ? d->type : "-", d->desc[0] ? d->desc : "-",
               d->ownop[0] ? d->ownop : "no operator");
        if (d->reg[0])
            set_name(e, d->reg, 2);
        if (!r->type[0])
            snprintf(r->type, sizeof r->type, "%s", d->type[0] ? d->type : d->desc);
        if (!r->operator_name[0])
            snprintf(r->operator_name, sizeof r->operator_name, "%s", d->ownop);
    }
}

static void eval_aircraft(struct eval *e, const struct registry *reg,
                          const struct callsign_rules *rules, const struct ident_input *in)
{
    struct ident_result *r = e->r;
    bool anon = in->flags & OBS_F_ANON;
    if (anon)
        reason(e, "A.ANON", 0,
               "non-ICAO/anonymous address %06X: address-block and registry rules skipped", in->id);
    if (in->flags & OBS_F_TISB)
        reason(e, "A.TISB", 0,
               "TIS-B/ADS-R: relayed by a ground station, not broadcast by the aircraft");
    if (!anon) {
        const struct icao_block *cb = tables_icao_country(in->id);
        if (cb) {
            set_country(e, cb->country, 1);
            reason(e, "A.ICAO_COUNTRY", 0,
                   "address %06X in the %s block %06X-%06X (state of registry, not military)",
                   in->id, cb->country, cb->start, cb->end);
        }
        const struct icao_mil_block *mb = tables_icao_military(in->id);
        if (mb && mb->enabled) {
            e->score[CAT_MILITARY_AIRCRAFT] += STRENGTH_MEDIUM;
            set_country(e, mb->country, 3);
            reason(e, "A.MIL_BLOCK", STRENGTH_MEDIUM,
                   "address %06X in military block %06X-%06X (%s; readsb isMilRange)", in->id,
                   mb->start, mb->end, mb->label);
        } else if (mb) {
            reason(e, "A.MIL_BLOCK_OFF", 0,
                   "address %06X in %06X-%06X (%s), which readsb disables because civil "
                   "aircraft use it: ignored",
                   in->id, mb->start, mb->end, mb->label);
        }
        const struct reg_aircraft *a = reg ? registry_find_icao(reg, in->id) : NULL;
        if (a) {
            const char *f = file_of(reg, a->file);
            const char *rg = a->registration[0] ? a->registration : "no registration";
            if (a->cls == AIRCLASS_PIA) {
                reason(e, "A.PIA", 0,
                       "FAA Privacy ICAO Address (%s:%u, %s): PIA addresses rotate, the "
                       "owner is not established",
                       f, a->line, rg);
            } else if (a->category == CAT_CIVIL) {
                e->score[CAT_CIVIL] += STRENGTH_MEDIUM;
                reason(e, "A.REGISTRY", -STRENGTH_MEDIUM,
                       "registry %s:%u lists %s (%s, %s) as civil", f, a->line, rg, a->type,
                       a->operator_name);
            } else if (a->category != CAT_UNKNOWN) {
                e->score[a->category] += STRENGTH_STRONG;
                reason(e, "A.REGISTRY", STRENGTH_STRONG, "registry %s:%u: %s %s, %s (%s)", f,
                       a->line, rg, a->icao_type[0] ? a->icao_type : "-", a->operator_name,
                       registry_category_name(a->category));
            } else {
                reason(e, "A.REGISTRY", 0, "registry %s:%u: %s %s (no military flag)", f, a->line,
                       rg, a->icao_type[0] ? a->icao_type : "-");
            }
            if (a->cls != AIRCLASS_PIA) {
                set_name(e, a->registration, 3);
                snprintf(r->operator_name, sizeof r->operator_name, "%s", a->operator_name);
                snprintf(r->type, sizeof r->type, "%s", a->icao_type[0] ? a->icao_type : a->type);
                set_role(e, a->role, 3);
                set_country(e, a->country, 4);
            }
        }
    }
    if (in->has_acdb)
        eval_acdb(e, in);
    if (in->callsign[0]) {
        eval_callsign(e, rules, in, CAT_MILITARY_AIRCRAFT);
        set_name(e, in->callsign, 1);
    }
    if (in->flags & OBS_F_DF19) {
        e->score[CAT_MILITARY_AIRCRAFT] += STRENGTH_MEDIUM;
        reason(e, "A.DF19", STRENGTH_MEDIUM,
               "DF19 military extended squitter received (ICAO Annex 10 Vol IV 3.1.2.8.8)");
    }
    if (in->has_emitter) {
        // DO-260B 2.2.3.2.5.2: set A (TC 4) A6 high performance, A7
        // rotorcraft; set B (TC 3) B6 unmanned aerial vehicle.
        unsigned set = in->emitter >> 4, num = in->emitter & 0xF;
        if (set == 0xA && num == 6) {
            e->score[CAT_MILITARY_AIRCRAFT] += STRENGTH_WEAK;
            set_role(e, ROLE_FIGHTER, 1);
            reason(e, "A.EMITTER", STRENGTH_WEAK,
                   "emitter category A6 high performance (>5 g, >400 kt): typical of "
                   "military jets (weak)");
        } else if (set == 0xB && num == 6) {
            e->score[CAT_MILITARY_AIRCRAFT] += STRENGTH_WEAK;
            set_role(e, ROLE_UAV, 1);
            reason(e, "A.EMITTER", STRENGTH_WEAK,
                   "emitter category B6 unmanned aerial vehicle (weak: civil UAVs exist)");
        } else if (set == 0xA && num == 7) {
            set_role(e, ROLE_HELICOPTER, 1);
            reason(e, "A.EMITTER", 0, "emitter category A7 rotorcraft (role only)");
        }
    }
}

/* ---- ships ---- */

static bool civil_ship_type(unsigned t)
{
    // ITU-R M.1371-5 Annex 8 Table 53: 30-34, 36-37 (fishing, towing,
    // dredging, diving, sailing, pleasure), 40-49 HSC, 50 pilot, 52-54 tug,
    // port tender, anti-pollution, 58 medical transport, 60-89 passenger,
    // cargo, tanker.
    return (t >= 30 && t <= 34) || t == 36 || t == 37 || (t >= 40 && t <= 50) ||
           (t >= 52 && t <= 54) || t == 58 || (t >= 60 && t <= 89);
}

// Open registries (flags of convenience, ITF list) whose states have no
// navy of note: a warship flies its own state's flag, so a type-35
// declaration under one of these MIDs is more likely a misconfigured
// merchant ship (e.g. a Panama-flagged bulk carrier seen declaring 35).
static bool open_registry_mid(unsigned mid)
{
    static const uint16_t mids[] = {214, 304, 305, 312, 341, 351, 352, 353, 354, 355, 356, 357, 370,
                                    371, 372, 373, 374, 375, 376, 377, 457, 511, 514, 515, 518, 538,
                                    570, 572, 576, 577, 616, 636, 637, 667, 668, 671, 720};
    for (size_t i = 0; i < sizeof mids / sizeof mids[0]; i++)
        if (mids[i] == mid)
            return true;
    return false;
}

static void ship_label(const struct reg_ship *s, char *buf, size_t n)
{
    if (s->name[0] && s->hull[0])
        snprintf(buf, n, "%s (%s)", s->name, s->hull);
    else
        snprintf(buf, n, "%s", s->name[0] ? s->name : s->hull);
}

static bool same_ship(const struct reg_ship *a, const struct reg_ship *b)
{
    if (a == b)
        return true;
    if (a->hull_key[0] && b->hull_key[0])
        return !strcmp(a->hull_key, b->hull_key);
    return a->name_key[0] && !strcmp(a->name_key, b->name_key);
}

static void eval_ship(struct eval *e, const struct registry *reg,
                      const struct callsign_rules *rules, const struct ident_input *in)
{
    struct ident_result *r = e->r;
    uint16_t mid;
    enum mmsi_kind mk = tables_mmsi_kind(in->id, &mid);
    const struct mid_entry *me = mid ? tables_mid_lookup(mid) : NULL;
    const char *flag = me ? country_canon(me->country) : "";
    if (me)
        set_country(e, flag, 1);
    if (mk != MMSI_SHIP)
        reason(e, "S.MMSI_KIND", 0, "MMSI %09u is a %s (ITU-R M.585)%s%s", in->id,
               tables_mmsi_kind_name(mk), me ? ", MID -> " : "", flag);
    else
        reason(e, "S.MID", 0, "MID %03u -> flag state %s (ITU RR Appendix 43)", mid,
               me ? flag : "unallocated");
    if (in->has_ship_type) {
        unsigned t = in->ship_type;
        if (t == 35) {
            e->score[CAT_WARSHIP] += STRENGTH_MEDIUM;
            reason(e, "S.TYPE35", STRENGTH_MEDIUM,
                   "AIS ship type 35: military operations (ITU-R M.1371-5 Table 53; "
                   "self-declared)");
            if (mk == MMSI_SHIP && open_registry_mid(mid)) {
                e->score[CAT_WARSHIP] -= STRENGTH_WEAK;
                reason(e, "S.OPEN_REGISTRY", -STRENGTH_WEAK,
                       "type 35 under the open-registry flag of %s (ITF flags of convenience): "
                       "navies fly their own flag",
                       flag);
            }
        } else if (t == 55) {
            e->score[CAT_LAW_ENFORCEMENT] += STRENGTH_MEDIUM;
            set_role(e, ROLE_PATROL, 1);
            reason(e, "S.TYPE55", STRENGTH_MEDIUM,
                   "AIS ship type 55: law enforcement (ITU-R M.1371-5 Table 53)");
        } else if (t == 59) {
            e->score[CAT_GOVERNMENT] += STRENGTH_WEAK;
            reason(e, "S.TYPE59", STRENGTH_WEAK,
                   "AIS ship type 59: noncombatant ship per RR Resolution 18 (weak)");
        } else if (t == 51) {
            reason(e, "S.TYPE51", 0, "AIS ship type 51: search and rescue vessel");
        } else if (civil_ship_type(t)) {
            e->score[CAT_CIVIL] += STRENGTH_MEDIUM;
            reason(e, "S.TYPE_CIVIL", -STRENGTH_MEDIUM,
                   "AIS ship type %u declares a civil vessel (ITU-R M.1371-5 Table 53)", t);
        }
    }
    struct reg_name_parts np;
    registry_name_parse(in->name, &np);
    const struct reg_ship *by_mmsi =
        reg && mk != MMSI_INVALID ? registry_find_mmsi(reg, in->id) : NULL;
    const struct reg_ship *matched = NULL; // the registry ship we report
    char label[80];
    if (by_mmsi) {
        ship_label(by_mmsi, label, sizeof label);
        int w = by_mmsi->mmsi_verified ? STRENGTH_STRONG : STRENGTH_WEAK;
        e->score[by_mmsi->category] += w;
        reason(e, "S.REG_MMSI", w, "MMSI %09u = %s in %s:%u (%s)", in->id, label,
               file_of(reg, by_mmsi->file), by_mmsi->line,
               by_mmsi->mmsi_verified ? "verified" : "unverified candidate MMSI");
        matched = by_mmsi;
    }
    const struct reg_ship *by_name = NULL;
    int wname = 0;
    const char *how = "";
    if (reg && in->name[0]) {
        if (np.hull[0] && (by_name = registry_find_ship_hull(reg, np.hull))) {
            wname = STRENGTH_MEDIUM;
            how = "hull designator";
        } else if (np.name[0] && (by_name = registry_find_ship_name(reg, np.name))) {
            wname = np.prefix[0] ? STRENGTH_MEDIUM : STRENGTH_WEAK;
            how = np.prefix[0] ? "prefixed name" : "bare name (weak)";
        } else if (np.generic && np.number[0] &&
                   (by_name = registry_find_ship_number(reg, np.number))) {
            wname = STRENGTH_WEAK;
            how = "generic name with a unique hull number (weak)";
        }
    }
    if (by_name) {
        ship_label(by_name, label, sizeof label);
        bool corroborates = matched && same_ship(matched, by_name);
        if (matched && !corroborates) {
            reason(e, "S.REG_NAME", 0,
                   "name '%s' matches %s (%s:%u) but the MMSI matched another ship: ignored",
                   in->name, label, file_of(reg, by_name->file), by_name->line);
        } else {
            e->score[by_name->category] += wname;
            reason(e, "S.REG_NAME", wname, "name '%s' matches %s by %s (%s:%u)%s", in->name, label,
                   how, file_of(reg, by_name->file), by_name->line,
                   corroborates ? "; corroborates the MMSI" : "");
            if (!matched) {
                matched = by_name;
                // A flag state that contradicts the registry weakens a name match.
                if (me && by_name->country[0] &&
                    strcmp(country_canon(by_name->country), flag) != 0) {
                    e->score[by_name->category] -= STRENGTH_MEDIUM;
                    reason(e, "S.FLAG_MISMATCH", -STRENGTH_MEDIUM,
                           "MID %03u flag %s differs from the registry's %s", mid, flag,
                           by_name->country);
                }
            }
        }
    }
    if (reg && in->callsign[0]) {
        const struct reg_ship *by_call = registry_find_ship_callsign(reg, in->callsign);
        if (by_call && (!matched || same_ship(matched, by_call))) {
            ship_label(by_call, label, sizeof label);
            e->score[by_call->category] += STRENGTH_MEDIUM;
            reason(e, "S.REG_CALLSIGN", STRENGTH_MEDIUM, "call sign %s = %s (%s:%u)", in->callsign,
                   label, file_of(reg, by_call->file), by_call->line);
            if (!matched)
                matched = by_call;
        }
    }
    if (reg && in->imo) {
        const struct reg_ship *by_imo = registry_find_imo(reg, in->imo);
        if (by_imo && (!matched || same_ship(matched, by_imo))) {
            ship_label(by_imo, label, sizeof label);
            e->score[by_imo->category] += STRENGTH_STRONG - 1;
            reason(e, "S.REG_IMO", STRENGTH_STRONG - 1, "IMO %u = %s (%s:%u)", in->imo, label,
                   file_of(reg, by_imo->file), by_imo->line);
            if (!matched)
                matched = by_imo;
        }
    }
    if (matched) {
        set_name(e, matched->name[0] ? matched->name : matched->hull, 3);
        snprintf(r->hull, sizeof r->hull, "%s", matched->hull);
        snprintf(r->operator_name, sizeof r->operator_name, "%s", matched->operator_name);
        snprintf(r->type, sizeof r->type, "%s", matched->type);
        set_role(e, matched->role, 3);
        set_country(e, matched->country, 2);
    }
    // Name conventions: weak (anyone can type "USS" into a transponder).
    if (in->name[0] && !by_name) {
        if (np.prefix[0]) {
            int cat = !strcmp(np.prefix, "USCGC") ? CAT_LAW_ENFORCEMENT : CAT_WARSHIP;
            e->score[cat] += STRENGTH_WEAK;
            reason(e, "S.NAME_PREFIX", STRENGTH_WEAK,
                   "name '%s' has the naval prefix %s (convention; weak)", in->name, np.prefix);
            if (!strcmp(np.prefix, "USNS"))
                set_role(e, ROLE_AUXILIARY, 1);
        } else if (np.generic) {
            bool cg = strstr(in->name, "COAST") != NULL;
            e->score[cg ? CAT_LAW_ENFORCEMENT : CAT_WARSHIP] += STRENGTH_WEAK;
            reason(e, "S.NAME_GENERIC", STRENGTH_WEAK,
                   "generic name '%s' as used by warships hiding their hull name (weak, "
                   "unverified convention)",
                   in->name);
        }
        if (np.hull[0] && !matched)
            set_role(e, registry_ship_role_guess(NULL, np.hull), 1);
    }
    set_name(e, in->name, 1);
    (void)rules;
}

void ident_evaluate(const struct registry *reg, const struct callsign_rules *rules,
                    const struct ident_input *in, struct ident_result *out)
{
    memset(out, 0, sizeof *out);
    struct eval e;
    memset(&e, 0, sizeof e);
    e.r = out;
    if (in->kind == OBS_SHIP)
        eval_ship(&e, reg, rules, in);
    else
        eval_aircraft(&e, reg, rules, in);
    // The best non-civil category; civil evidence is subtracted from it.
    static const enum reg_category order[] = {CAT_WARSHIP, CAT_MILITARY_AIRCRAFT,
                                              CAT_LAW_ENFORCEMENT, CAT_GOVERNMENT};
    enum reg_category best = CAT_UNKNOWN;
    int best_score = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (e.score[order[i]] > best_score) {
            best = order[i];
            best_score = e.score[order[i]];
        }
    int net = best_score - e.score[CAT_CIVIL];
    if (best != CAT_UNKNOWN && net > 0) {
        out->category = (uint8_t)best;
        out->score = net;
        out->confidence = net >= 4 ? CONF_CONFIRMED : net >= 2 ? CONF_LIKELY : CONF_POSSIBLE;
    } else {
        out->score = e.score[CAT_CIVIL];
        if (e.score[CAT_CIVIL] > 0) {
            out->category = CAT_CIVIL;
            out->confidence = e.score[CAT_CIVIL] >= 2 ? CONF_LIKELY : CONF_POSSIBLE;
        } else if (in->kind == OBS_AIRCRAFT && !(in->flags & OBS_F_ANON)) {
            // An ICAO-addressed aircraft with no indicator: most are civil.
            out->category = CAT_CIVIL;
            out->confidence = CONF_POSSIBLE;
        } else {
            out->category = CAT_UNKNOWN;
        }
        if (best != CAT_UNKNOWN)
            reason(&e, "CIVIL_WINS", 0, "%s indicators (%d) do not outweigh civil ones (%d)",
                   registry_category_name(best), best_score, e.score[CAT_CIVIL]);
        // A civil asset keeps no military role.
        if (out->category == CAT_CIVIL)
            out->role = ROLE_NONE;
    }
}

/* ---- the cache ---- */

struct ident_cache {
    const struct registry *reg;
    const struct callsign_rules *rules;
    struct ident_asset *assets;
    size_t n, cap;
    uint64_t *keys;
    uint32_t *slots; /* asset index + 1; 0 empty */
    size_t hcap;
};

static uint64_t asset_key(enum obs_kind kind, uint32_t id, bool anon)
{
    return (uint64_t)kind << 33 | (uint64_t)anon << 32 | id;
}

static size_t key_hash(uint64_t k, size_t mask)
{
    k ^= k >> 29;
    k *= 0xBF58476D1CE4E5B9ull;
    k ^= k >> 32;
    return (size_t)k & mask;
}

struct ident_cache *ident_cache_new(const struct registry *reg, const struct callsign_rules *rules)
{
    struct ident_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->reg = reg;
    c->rules = rules;
    return c;
}

void ident_cache_free(struct ident_cache *c)
{
    if (!c)
        return;
    free(c->assets);
    free(c->keys);
    free(c->slots);
    free(c);
}

static int cache_rehash(struct ident_cache *c)
{
    size_t ncap = c->hcap ? c->hcap * 2 : 1024;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *ns = calloc(ncap, sizeof *ns);
    if (!nk || !ns) {
        free(nk);
        free(ns);
        return -1;
    }
    for (size_t i = 0; i < c->hcap; i++) {
        if (!c->slots[i])
            continue;
        size_t j = key_hash(c->keys[i], ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = c->keys[i];
        ns[j] = c->slots[i];
    }
    free(c->keys);
    free(c->slots);
    c->keys = nk;
    c->slots = ns;
    c->hcap = ncap;
    return 0;
}

static long cache_lookup(const struct ident_cache *c, uint64_t key, size_t *slot)
{
    if (!c->hcap)
        return -1;
    size_t mask = c->hcap - 1, j = key_hash(key, mask);
    while (c->slots[j]) {
        if (c->keys[j] == key)
            return (long)c->slots[j] - 1;
        j = (j + 1) & mask;
    }
    if (slot)
        *slot = j;
    return -1;
}

const struct ident_asset *ident_cache_find(const struct ident_cache *c, enum obs_kind kind,
                                           uint32_t id, bool anon)
{
    long i = cache_lookup(c, asset_key(kind, id, anon), NULL);
    return i < 0 ? NULL : &c->assets[i];
}

size_t ident_cache_count(const struct ident_cache *c)
{
    return c->n;
}

const struct ident_asset *ident_cache_at(const struct ident_cache *c, size_t i)
{
    return i < c->n ? &c->assets[i] : NULL;
}

static void evaluate(struct ident_cache *c, struct ident_asset *a)
{
    ident_evaluate(c->reg, c->rules, &a->in, &a->res);
    a->evaluations++;
}

void ident_cache_reevaluate(struct ident_cache *c)
{
    for (size_t i = 0; i < c->n; i++)
        evaluate(c, &c->assets[i]);
}

static bool copy_changed(char *dst, size_t dsz, const char *src)
{
    if (!strncmp(dst, src, dsz - 1))
        return false;
    snprintf(dst, dsz, "%s", src);
    return true;
}

const struct ident_asset *ident_observe(struct ident_cache *c, const struct obs *o)
{
    bool anon = o->kind == OBS_AIRCRAFT && (o->flags & OBS_F_ANON);
    uint64_t key = asset_key(o->kind, o->id, anon);
    size_t slot = 0;
    long i = cache_lookup(c, key, &slot);
    bool changed = false;
    if (i < 0) {
        if ((c->n + 1) * 4 > c->hcap * 3) {
            if (cache_rehash(c))
                return NULL;
            cache_lookup(c, key, &slot);
        }
        if (c->n == c->cap) {
            size_t nc = c->cap ? c->cap * 2 : 256;
            struct ident_asset *na = realloc(c->assets, nc * sizeof *na);
            if (!na)
                return NULL;
            c->assets = na;
            c->cap = nc;
        }
        i = (long)c->n++;
        memset(&c->assets[i], 0, sizeof c->assets[i]);
        c->assets[i].in.kind = o->kind;
        c->assets[i].in.id = o->id;
        c->assets[i].first_ms = o->t_ms;
        c->keys[slot] = key;
        c->slots[slot] = (uint32_t)i + 1;
        changed = true;
    }
    struct ident_asset *a = &c->assets[i];
    a->messages++;
    if (o->flags & OBS_F_STATIC)
        a->static_messages++;
    if (o->t_ms) {
        if (!a->first_ms || o->t_ms < a->first_ms)
            a->first_ms = o->t_ms;
        if (o->t_ms > a->last_ms)
            a->last_ms = o->t_ms;
    }
    struct ident_input *in = &a->in;
    if ((o->has & OBS_HAS_NAME) && o->name[0])
        changed |= copy_changed(in->name, sizeof in->name, o->name);
    if ((o->has & OBS_HAS_CALLSIGN) && o->callsign[0])
        changed |= copy_changed(in->callsign, sizeof in->callsign, o->callsign);
    if ((o->has & OBS_HAS_SHIPTYPE) && (!in->has_ship_type || in->ship_type != o->ship_type)) {
        in->has_ship_type = true;
        in->ship_type = o->ship_type;
        changed = true;
    }
    if ((o->has & OBS_HAS_CATEGORY) && (!in->has_emitter || in->emitter != o->category)) {
        in->has_emitter = true;
        in->emitter = o->category;
        changed = true;
    }
    if ((o->has & OBS_HAS_IMO) && o->imo && in->imo != o->imo) {
        in->imo = o->imo;
        changed = true;
    }
    if ((o->has & OBS_HAS_ACDB) &&
        (!in->has_acdb || memcmp(&in->acdb, &o->acdb, sizeof in->acdb))) {
        in->has_acdb = true;
        in->acdb = o->acdb;
        changed = true;
    }
    uint32_t f = in->flags | (o->flags & (OBS_F_DF19 | OBS_F_TISB | OBS_F_ANON));
    if (f != in->flags) {
        in->flags = f;
        changed = true;
    }
    if (changed)
        evaluate(c, a);
    return a;
}
