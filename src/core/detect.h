/* SPDX-License-Identifier: BSD-2-Clause
 *
 * detect.h - guess a feed's framing (NMEA AIS, Beast, AVR, SBS) from its
 * first bytes. Used by the pipeline and by `orbat decode`.
 */
#ifndef ORBAT_CORE_DETECT_H
#define ORBAT_CORE_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "core/pipeline.h"

/* Never returns PIPE_AUTO: text that is none of the others is NMEA, which
 * tolerates and counts non-AIS lines. */
enum pipeline_input detect_input(const uint8_t *p, size_t n);

#endif /* ORBAT_CORE_DETECT_H */
