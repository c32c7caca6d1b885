/* SPDX-License-Identifier: BSD-2-Clause
 *
 * report_fmt.c - escaping and naming helpers shared by the reports: JSON
 * strings (RFC 8259 section 7), CSV fields (RFC 4180 section 2), XML text
 * (XML 1.0 section 2.4), Markdown table cells; asset labels and English
 * count phrases. See report.h.
 */
#include "report/report.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int report_format_parse(const char *s)
{
    static const struct {
        const char *name;
        enum report_format f;
    } t[] = {{"table", RFMT_TABLE},       {"text", RFMT_TABLE},  {"json", RFMT_JSON},
             {"markdown", RFMT_MARKDOWN}, {"md", RFMT_MARKDOWN}, {"csv", RFMT_CSV},
             {"geojson", RFMT_GEOJSON},   {"kml", RFMT_KML}};
    for (size_t i = 0; s && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].name))
            return (int)t[i].f;
    return -1;
}

void report_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void report_csv_str(FILE *out, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void report_xml_str(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            // XML 1.0 allows only tab, LF and CR below 0x20.
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                fputc(' ', out);
            else
                fputc(*p, out);
        }
    }
}

void report_md_str(FILE *out, const char *s)
{
    for (s = s ? s : ""; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

void report_asset_ident(const struct store_asset *a, char *buf, size_t size)
{
    if (a->kind == STORE_SHIP)
        snprintf(buf, size, "%09u", a->ident);
    else if (a->kind == STORE_AIRCRAFT)
        snprintf(buf, size, "%06x", a->ident);
    else
        snprintf(buf, size, "-");
}

/* A name that names nothing: empty, or only placeholder characters such as
 * plane-alert-db's "????" registration or a "-". Such a name as a KML folder
 * or GeoPackage layer name breaks tools (GDAL refuses "????"). */
static bool placeholder(const char *s)
{
    for (; *s; s++)
        if (*s != '?' && *s != '-' && *s != ' ' && *s != '.')
            return false;
    return true;
}

const char *report_asset_label(const struct store_asset *a, char *buf, size_t size)
{
    if (!placeholder(a->name))
        return a->name;
    if (!placeholder(a->callsign))
        return a->callsign;
    if (!placeholder(a->hull))
        return a->hull;
    report_asset_ident(a, buf, size);
    return buf;
}

/* Nouns that do not change in the plural. */
static bool invariant_plural(const char *word)
{
    static const char *const inv[] = {"aircraft", "personnel", "craft", "series", "unclassified"};
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++)
        if (!strcmp(word, inv[i]))
            return true;
    return false;
}

void report_count_phrase(unsigned long n, const char *noun, char *buf, size_t size)
{
    int k = snprintf(buf, size, "%lu %s", n, noun && *noun ? noun : "unclassified");
    if (k < 0 || (size_t)k >= size || n == 1 || !noun || !*noun)
        return;
    size_t len = (size_t)k;
    const char *last = strrchr(buf, ' ');
    last = last ? last + 1 : buf;
    if (invariant_plural(last))
        return;
    char c = len ? buf[len - 1] : 0;
    char b = len > 1 ? buf[len - 2] : 0;
    const char *suffix = "s";
    size_t cut = 0;
    if (c == 'y' && b && !strchr("aeiou", b)) {
        suffix = "ies";
        cut = 1;
    } else if (c == 's' || c == 'x' || c == 'z' || (c == 'h' && (b == 's' || b == 'c'))) {
        suffix = "es";
    }
    if (len - cut + strlen(suffix) + 1 > size)
        return;
    strcpy(buf + len - cut, suffix);
}

const char *report_kind_name(int kind)
{
    return kind == STORE_SHIP ? "ship" : kind == STORE_AIRCRAFT ? "aircraft" : "sighted";
}

void report_json_asset_fields(FILE *out, const struct store_asset *a)
{
    char id[16];
    report_asset_ident(a, id, sizeof id);
    fprintf(out, "\"asset_id\":%lld,\"kind\":\"%s\",\"id\":\"%s\"", (long long)a->id,
            report_kind_name(a->kind), id);
    const struct {
        const char *key, *val;
    } f[] = {{"name", a->name},       {"callsign", a->callsign}, {"hull", a->hull},
             {"country", a->country}, {"category", a->category}, {"role", a->role}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        fprintf(out, ",\"%s\":", f[i].key);
        report_json_str(out, f[i].val);
    }
}

void report_category_noun(const char *category, char *buf, size_t size)
{
    static const char *const nouns[] = {"ship",  "aircraft",  "vessel",     "boat",   "craft",
                                        "asset", "submarine", "helicopter", "warship"};
    if (!category || !*category) {
        snprintf(buf, size, "unclassified asset");
        return;
    }
    const char *last = strrchr(category, ' ');
    last = last ? last + 1 : category;
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
        if (!strcmp(last, nouns[i])) {
            snprintf(buf, size, "%s", category);
            return;
        }
    snprintf(buf, size, "%s asset", category);
}

/* Display order of categories: the order of battle leads with warships and
 * military aircraft, civil traffic (only with --all) comes last. */
int report_category_rank(const char *c)
{
    if (!c || !*c)
        return 6;
    if (strstr(c, "warship") || strstr(c, "naval"))
        return 0;
    if (strstr(c, "military"))
        return 1;
    if (strstr(c, "law") || strstr(c, "coast") || strstr(c, "police"))
        return 2;
    if (strstr(c, "gov"))
        return 3;
    if (strstr(c, "civil"))
        return 5;
    return 4;
}

void report_licence_footer(FILE *out, const char *licences, bool markdown)
{
    if (!licences || !*licences)
        return;
    fprintf(out, "\n%s\n",
            markdown ? "**Data sources and licences**\n" : "Data sources and licences:");
    for (const char *p = licences; *p;) {
        const char *nl = strchr(p, '\n');
        int l = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(out, "%s%.*s\n", markdown ? "- " : "  ", l, p);
        p += l + (nl ? 1 : 0);
    }
}

void report_simulated_notice(FILE *out, uint64_t simulated, uint64_t sources, bool markdown)
{
    if (!simulated)
        return;
    fprintf(out,
            "%sSIMULATED DATA:%s %llu of %llu sources in the database are simulations "
            "(orbat simulate), not real broadcasts%s\n",
            markdown ? "> **" : "", markdown ? "**" : "", (unsigned long long)simulated,
            (unsigned long long)sources, markdown ? ".\n" : "");
}

/* Length of a rule id ("mil_mmsi", "R3.1") followed by ": " at s, else 0. */
static size_t rule_prefix(const char *s)
{
    size_t k = 0;
    while (s[k] && (isalnum((unsigned char)s[k]) || s[k] == '_' || s[k] == '-' || s[k] == '.'))
        k++;
    return k && s[k] == ':' && s[k + 1] == ' ' ? k : 0;
}

void report_json_reasons(FILE *out, const char *reasons)
{
    fputc('[', out);
    const char *p = reasons;
    bool first = true;
    while (*p) {
        // One reason runs to the next "; " that starts another "rule: ".
        const char *e = p;
        for (;;) {
            e = strstr(e, "; ");
            if (!e || rule_prefix(e + 2))
                break;
            e += 2;
        }
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t k = rule_prefix(p);
        char rule[64], ev[512];
        snprintf(rule, sizeof rule, "%.*s", (int)(k < sizeof rule ? k : sizeof rule - 1), p);
        size_t off = k ? k + 2 : 0;
        snprintf(ev, sizeof ev, "%.*s", (int)(len > off ? len - off : 0), p + off);
        fputs(first ? "{\"rule\":" : ",{\"rule\":", out);
        report_json_str(out, rule);
        fputs(",\"evidence\":", out);
        report_json_str(out, ev);
        fputc('}', out);
        first = false;
        p += len;
        if (*p)
            p += 2;
    }
    fputc(']', out);
}
