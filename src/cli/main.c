/* SPDX-License-Identifier: BSD-2-Clause
 *
 * main.c - the orbat command-line entry point: dispatch to a command.
 */
#include "cli/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "orbat/orbat.h"

extern const struct orbat_cmd cmd_decode;
extern const struct orbat_cmd cmd_simulate;
extern const struct orbat_cmd cmd_ingest;
extern const struct orbat_cmd cmd_import;
extern const struct orbat_cmd cmd_report;
extern const struct orbat_cmd cmd_diff;
extern const struct orbat_cmd cmd_timeline;
extern const struct orbat_cmd cmd_evidence;
extern const struct orbat_cmd cmd_events;
extern const struct orbat_cmd cmd_export;
extern const struct orbat_cmd cmd_sighting;
extern const struct orbat_cmd cmd_registry;
extern const struct orbat_cmd cmd_identify;
extern const struct orbat_cmd cmd_track;
extern const struct orbat_cmd cmd_serve;
extern const struct orbat_cmd cmd_run;
extern const struct orbat_cmd cmd_db;
extern const struct orbat_cmd cmd_claim;
extern const struct orbat_cmd cmd_feeds;
extern const struct orbat_cmd cmd_publish;
extern const struct orbat_cmd cmd_cluster;

static const struct orbat_cmd *const commands[] = {
    &cmd_decode,   &cmd_simulate, &cmd_ingest,  &cmd_import, &cmd_report,   &cmd_diff,
    &cmd_timeline, &cmd_evidence, &cmd_events,  &cmd_export, &cmd_sighting, &cmd_registry,
    &cmd_identify, &cmd_track,    &cmd_serve,   &cmd_run,    &cmd_db,       &cmd_claim,
    &cmd_feeds,    &cmd_publish,  &cmd_cluster,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void cmd_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "orbat %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *f)
{
    fprintf(f,
            "orbat %s - order-of-battle tracker from public AIS and ADS-B broadcasts\n\n"
            "usage: orbat COMMAND [OPTIONS] [ARGS]\n\ncommands:\n",
            ORBAT_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n'orbat COMMAND --help' describes a command. 'orbat --version' prints the "
               "version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("orbat %s\n", ORBAT_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i]->name))
            return commands[i]->exec(argc - 1, argv + 1);
    fprintf(stderr, "orbat: unknown command '%s' (try 'orbat --help')\n", argv[1]);
    return 2;
}
