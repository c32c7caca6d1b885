/* SPDX-License-Identifier: BSD-2-Clause
 *
 * ais_legend.c - text for coded AIS fields, worded as gpsd 3.22 words them
 * so that gpsd-compatible output matches: navigational status (ITU-R
 * M.1371-5 Table 45 parameter "Navigational status"), ship and cargo type
 * (Table 53), EPFD type (Table 48).
 */
#include "orbat/ais.h"

const char *orbat_ais_status_text(unsigned status)
{
    static const char *const t[16] = {
        "Under way using engine",
        "At anchor",
        "Not under command",
        "Restricted manoeuverability",
        "Constrained by her draught",
        "Moored",
        "Aground",
        "Engaged in fishing",
        "Under way sailing",
        "Reserved for HSC",
        "Reserved for WIG",
        "Reserved",
        "Reserved",
        "Reserved",
        "Reserved",
        "Not defined",
    };
    return status < 16 ? t[status] : "Not defined";
}

const char *orbat_ais_epfd_text(unsigned epfd)
{
    static const char *const t[9] = {
        "Undefined",
        "GPS",
        "GLONASS",
        "Combined GPS/GLONASS",
        "Loran-C",
        "Chayka",
        "Integrated navigation system",
        "Surveyed",
        "Galileo",
    };
    return epfd < 9 ? t[epfd] : "INVALID EPFD";
}

const char *orbat_ais_shiptype_text(unsigned st)
{
    static const char *const low[] = {
        "Fishing",
        "Towing",
        "Towing: length exceeds 200m or breadth exceeds 25m",
        "Dredging or underwater ops",
        "Diving ops",
        "Military ops",
        "Sailing",
        "Pleasure Craft",
        "Reserved",
        "Reserved",
    };
    static const char *const fifty[] = {
        "Pilot Vessel",
        "Search and Rescue vessel",
        "Tug",
        "Port Tender",
        "Anti-pollution equipment",
        "Law Enforcement",
        "Spare - Local Vessel",
        "Spare - Local Vessel",
        "Medical Transport",
        "Ship according to RR Resolution No. 18",
    };
    // Pre-joined so the caller gets one static string.
    static const char *const joined[6][10] = {
        {"Wing in ground (WIG) - all ships of this type",
         "Wing in ground (WIG) - Hazardous category A",
         "Wing in ground (WIG) - Hazardous category B",
         "Wing in ground (WIG) - Hazardous category C",
         "Wing in ground (WIG) - Hazardous category D",
         "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use",
         "Wing in ground (WIG) - Reserved for future use"},
        {"High speed craft (HSC) - all ships of this type",
         "High speed craft (HSC) - Hazardous category A",
         "High speed craft (HSC) - Hazardous category B",
         "High speed craft (HSC) - Hazardous category C",
         "High speed craft (HSC) - Hazardous category D",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - Reserved for future use",
         "High speed craft (HSC) - No additional information"},
        {"Passenger - all ships of this type", "Passenger - Hazardous category A",
         "Passenger - Hazardous category B", "Passenger - Hazardous category C",
         "Passenger - Hazardous category D", "Passenger - Reserved for future use",
         "Passenger - Reserved for future use", "Passenger - Reserved for future use",
         "Passenger - Reserved for future use", "Passenger - No additional information"},
        {"Cargo - all ships of this type", "Cargo - Hazardous category A",
         "Cargo - Hazardous category B", "Cargo - Hazardous category C",
         "Cargo - Hazardous category D", "Cargo - Reserved for future use",
         "Cargo - Reserved for future use", "Cargo - Reserved for future use",
         "Cargo - Reserved for future use", "Cargo - No additional information"},
        {"Tanker - all ships of this type", "Tanker - Hazardous category A",
         "Tanker - Hazardous category B", "Tanker - Hazardous category C",
         "Tanker - Hazardous category D", "Tanker - Reserved for future use",
         "Tanker - Reserved for future use", "Tanker - Reserved for future use",
         "Tanker - Reserved for future use", "Tanker - No additional information"},
        {"Other Type - all ships of this type", "Other Type - Hazardous category A",
         "Other Type - Hazardous category B", "Other Type - Hazardous category C",
         "Other Type - Hazardous category D", "Other Type - Reserved for future use",
         "Other Type - Reserved for future use", "Other Type - Reserved for future use",
         "Other Type - Reserved for future use", "Other Type - no additional information"},
    };
    if (st == 0)
        return "Not available";
    if (st < 20)
        return "Reserved for future use";
    if (st < 30)
        return joined[0][st - 20];
    if (st < 40)
        return low[st - 30];
    if (st < 50)
        return joined[1][st - 40];
    if (st < 60)
        return fifty[st - 50];
    if (st < 100)
        return joined[2 + (st - 60) / 10][st % 10];
    return "INVALID SHIP TYPE";
}
