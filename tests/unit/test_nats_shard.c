/* SPDX-License-Identifier: BSD-2-Clause
 *
 * test_nats_shard.c - line classification, multi-part AIS, ICAO address
 * extraction and shard choice of `orbat publish` (src/nats/nats_shard.c),
 * and the raw offsets of a batch (src/nats/nats_msg.c).
 */
#include <string.h>

#include "check.h"
#include "nats/nats_msg.h"
#include "nats/nats_shard.h"

#define L(s)    s, strlen(s)
#define T(cond) CHECK(cond, "%s", #cond)

int main(void)
{
    T(nshard_classify(L("!AIVDM,1,1,,A,13=O:DQ000s4MbP6s7H0000>01:7,0*79")) == NLINE_AIS);
    T(nshard_classify(L("\\s:SIMULATION,c:1760400007*2C\\!AIVDM,1,1,,A,13=O,0*79")) == NLINE_AIS);
    T(nshard_classify(L("!BSVDO,1,1,,B,4,0*00")) == NLINE_AIS);
    T(nshard_classify(L("$GPGGA,1,2,3")) == NLINE_OTHER);
    T(nshard_classify(L("MSG,3,1,1,A2A5B7,1,2025/10/14,00:55:43.501")) == NLINE_SBS);
    T(nshard_classify(L("*8D4840D6202CC371C32CE0576098;")) == NLINE_AVR);
    T(nshard_classify(L("@0000A1B2C3D48D4840D6202CC371C32CE0576098;")) == NLINE_AVR);
    T(nshard_classify(L("# SIMULATION")) == NLINE_COMMENT);
    T(nshard_classify(L("")) == NLINE_OTHER);

    T(nshard_ais_more(
        L("!AIVDM,2,1,3,A,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E")));
    T(!nshard_ais_more(L("!AIVDM,2,2,3,A,1@0000000000000,2*55")));
    T(!nshard_ais_more(L("!AIVDM,1,1,,A,13=O,0*79")));
    T(nshard_ais_more(L("\\g:1-2-73874*5A\\!AIVDM,2,1,3,A,55P5,0*3E")));
    T(!nshard_ais_more(L("!AIVDM")));

    uint32_t icao = 0;
    T(nshard_sbs_icao(L("MSG,3,1,1,A2A5B7,1,2025/10/14"), &icao) == 0 && icao == 0xa2a5b7);
    T(nshard_sbs_icao(L("CLK,,,,,,2025/10/14"), &icao) == -1);
    T(nshard_sbs_icao(L("MSG,3,1,1,A2A5"), &icao) == -1);
    T(nshard_avr_icao(L("*8D4840D6202CC371C32CE0576098;"), &icao) == 0 && icao == 0x4840d6);
    T(nshard_avr_icao(L("@0000A1B2C3D48D4840D6202CC371C32CE0576098;"), &icao) == 0 &&
      icao == 0x4840d6);
    // '<': timestamp and signal level before the frame (orbat publish's Beast lines).
    T(nshard_avr_icao(L("<0000A1B2C3D4FF8D4840D6202CC371C32CE0576098;"), &icao) == 0 &&
      icao == 0x4840d6);
    T(nshard_avr_icao(L("%0000A1B2C3D48D4840D6202CC371C32CE0576098;"), &icao) == 0 &&
      icao == 0x4840d6);
    // DF4/DF20: the address is the CRC remainder of the AP field.
    T(nshard_avr_icao(L("*200012B0E5C2A3;"), &icao) == 0 && icao != 0);
    T(nshard_avr_icao(L("*8D48;"), &icao) == -1);

    // Shards: in range, stable, and spread.
    unsigned hits[4] = {0}, bad = 0;
    for (uint32_t a = 0; a < 4000; a++) {
        unsigned s = nshard_icao(0xa00000 + a * 77, 4);
        if (s < 4)
            hits[s]++;
        else
            bad++;
    }
    T(bad == 0);
    for (int i = 0; i < 4; i++)
        T(hits[i] > 800 && hits[i] < 1200);
    T(nshard_icao(0xa2a5b7, 2) == nshard_icao(0xa2a5b7, 2));
    T(nshard_ais("rx1", 1) == 0 && nshard_ais("rx1", 7) < 7);
    T(nshard_hash("a", 1) == 0xe40c292cu); // FNV-1a reference value

    // Raw offsets: distinct per line, batch and receiver.
    struct nmsg_hdr h = {.receiver = "rx1", .seq = 5};
    uint64_t a = nmsg_raw_offset(&h, 1), b = nmsg_raw_offset(&h, 2);
    h.seq = 6;
    uint64_t c = nmsg_raw_offset(&h, 1);
    memcpy(h.receiver, "rx2", 4);
    uint64_t d = nmsg_raw_offset(&h, 1);
    T(a != b && a != c && c != d && b - a == 1);
    T(nmsg_receiver_ok("rx-1_A") && !nmsg_receiver_ok("") && !nmsg_receiver_ok("a.b") &&
      !nmsg_receiver_ok("a b"));
    char subj[64];
    nmsg_subject(subj, sizeof subj, NMSG_SBS, 3);
    T(!strcmp(subj, "orbat.raw.adsb.3"));
    nmsg_subject(subj, sizeof subj, NMSG_AIS, 0);
    T(!strcmp(subj, "orbat.raw.ais.0"));
    return check_exit();
}
