/* SPDX-License-Identifier: BSD-2-Clause
 *
 * detect.h - guess a feed's framing (NMEA AIS, Beast, AVR, SBS) from its
 * first bytes. Used by the pipeline and by `orbat decode`.
 */
#ifndef ORBAT_CORE_DETECT_H
#define ORBAT_CORE_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pipeline.h"

/* Never returns PIPE_AUTO: text that is none of the others is NMEA, which
 * tolerates and counts non-AIS lines. */
enum pipeline_input detect_input(const uint8_t *p, size_t n);

/* The framing of one text line, for files that mix them (Mode S AVR or SBS
 * lines among NMEA): l holds the line's first `avail` bytes, `complete` says
 * the line ends there. AVR lines start with '*', '@', ':', '<' or '%'; SBS
 * lines with one of the record types above; NMEA with '!', '$' or '\\'.
 * Any other line (comments, junk) is `dflt`, the framing detected for the
 * file. Returns PIPE_AUTO while the first bytes could still start an SBS
 * record type (fewer than 4 bytes seen, line not complete). */
enum pipeline_input detect_line(const uint8_t *l, size_t avail, bool complete,
                                enum pipeline_input dflt);

#endif /* ORBAT_CORE_DETECT_H */
