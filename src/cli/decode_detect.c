/* SPDX-License-Identifier: BSD-2-Clause
 *
 * decode_detect.c - `orbat decode`'s view of the framing detector in
 * src/core/detect.c (the enums have the same values by construction).
 */
#include "cli/decode.h"

#include "core/detect.h"

_Static_assert((int)DIN_NMEA == (int)PIPE_NMEA && (int)DIN_BEAST == (int)PIPE_BEAST &&
                   (int)DIN_AVR == (int)PIPE_AVR && (int)DIN_SBS == (int)PIPE_SBS,
               "decode_input and pipeline_input must agree");

enum decode_input decode_detect(const uint8_t *p, size_t n)
{
    return (enum decode_input)detect_input(p, n);
}

const char *decode_input_name(enum decode_input in)
{
    switch (in) {
    case DIN_NMEA:
        return "nmea";
    case DIN_BEAST:
        return "beast";
    case DIN_AVR:
        return "avr";
    case DIN_SBS:
        return "sbs";
    case DIN_AUTO:
        break;
    }
    return "auto";
}
