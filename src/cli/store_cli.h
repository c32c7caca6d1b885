/* SPDX-License-Identifier: BSD-2-Clause
 *
 * store_cli.h - option helpers shared by the commands that read or write
 * the store (ingest, report, diff, timeline, evidence, events, export,
 * sighting): opening the database, parsing times, durations and formats
 * with one error style, and opening an output file.
 */
#ifndef ORBAT_CLI_STORE_CLI_H
#define ORBAT_CLI_STORE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

/* The database used when --db is not given: $ORBAT_DB, else "orbat.db". */
const char *store_cli_default_db(void);
/* Open (creating) the store; prints the reason and returns NULL on failure. */
struct store *store_cli_open(const char *cmd, const char *db);
/* 0 when db is a PostgreSQL URL or an SQLite file that exists; else
 * prints "no database ..." for cmd and returns -1. For commands that must
 * not create an empty database by accident (orbat serve). */
int store_cli_exists(const char *cmd, const char *db);
/* The same for commands that only read: a database that does not exist is
 * an error, not a new empty file, and an SQLite file is opened read-only
 * (store_open_reader), so the reader needs no write access to it or its
 * directory. */
struct store *store_cli_open_existing(const char *cmd, const char *db);
/* Parse a time / duration / report format for option OPT; print an error
 * and return -1 when it is not valid. allowed is a bit mask of
 * 1u << enum report_format. */
int store_cli_time(const char *cmd, const char *opt, const char *arg, int64_t *ms);
int store_cli_duration(const char *cmd, const char *opt, const char *arg, int64_t *ms);
int store_cli_format(const char *cmd, const char *arg, unsigned allowed, int *fmt);
/* The time of the newest stored observation (reports default to it as
 * "now" because captures are historical), or the wall clock when the store
 * has none. */
int64_t store_cli_latest(struct store *s);
/* When the database holds simulated sources (orbat simulate), say so on
 * stderr, so that outputs without room for a label are not mistaken for
 * real data. */
void store_cli_warn_simulated(const char *cmd, struct store *s);
/* Open PATH for writing ("-" = stdout). Prints the reason and returns NULL
 * on failure. Close with store_cli_close_out, which reports write errors
 * and returns -1 on them. */
FILE *store_cli_open_out(const char *cmd, const char *path);
int store_cli_close_out(const char *cmd, FILE *f, const char *path);

#endif /* ORBAT_CLI_STORE_CLI_H */
