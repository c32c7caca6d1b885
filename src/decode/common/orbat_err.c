/* SPDX-License-Identifier: BSD-2-Clause
 *
 * orbat_err.c - text for enum orbat_err.
 */
#include "orbat/orbat.h"

struct err_text {
    enum orbat_err err;
    const char *name;
    const char *text;
};

static const struct err_text err_table[] = {
    {ORBAT_OK, "ok", "no error"},
    {ORBAT_AGAIN, "again", "more input needed"},
    {ORBAT_E_CHECKSUM, "checksum", "NMEA checksum mismatch"},
    {ORBAT_E_TRUNCATED, "truncated", "payload too short"},
    {ORBAT_E_UNSUPPORTED, "unsupported", "unsupported message"},
    {ORBAT_E_CRC, "crc", "CRC-24 parity error"},
    {ORBAT_E_RANGE, "range", "value out of range"},
    {ORBAT_E_SYNTAX, "syntax", "malformed input"},
    {ORBAT_E_BITCOUNT, "bitcount", "wrong bit count for message type"},
    {ORBAT_E_ORPHAN, "orphan", "orphan fragment"},
    {ORBAT_E_FRAGMENT, "fragment", "bad or duplicate fragment"},
    {ORBAT_E_TOOLONG, "toolong", "input longer than the buffer cap"},
    {ORBAT_E_TAGBLOCK, "tagblock", "malformed tag block"},
    {ORBAT_E_NOMEM, "nomem", "out of memory"},
    {ORBAT_E_IO, "io", "input/output error"},
    {ORBAT_E_INVAL, "inval", "invalid argument"},
    {ORBAT_E_NOTFOUND, "notfound", "not found"},
    {ORBAT_E_DB, "db", "database error"},
    {ORBAT_E_TIMEOUT, "timeout", "fragments timed out"},
    {ORBAT_E_PADDING, "padding", "bad fill-bit count"},
    {ORBAT_E_ARMOR, "armor", "invalid 6-bit armour character"},
    {ORBAT_E_FRAME, "frame", "bad framing"},
    {ORBAT_E_DF, "df", "unknown downlink format"},
    {ORBAT_E_CPR, "cpr", "CPR position unresolved"},
    {ORBAT_E_FORMAT, "format", "bad file format"},
    {ORBAT_E_PROTOCOL, "protocol", "protocol violation"},
    {ORBAT_E_STATE, "state", "call in wrong state"},
};

static const struct err_text *err_find(enum orbat_err err)
{
    for (unsigned i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
        if (err_table[i].err == err)
            return &err_table[i];
    return 0;
}

const char *orbat_strerror(enum orbat_err err)
{
    const struct err_text *e = err_find(err);
    return e ? e->text : "unknown error";
}

const char *orbat_err_name(enum orbat_err err)
{
    const struct err_text *e = err_find(err);
    return e ? e->name : "unknown";
}
