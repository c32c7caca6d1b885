/* SPDX-License-Identifier: BSD-2-Clause
 *
 * cmd.h - one struct per CLI command (tmux's cmd_entry idea). Each
 * src/cli/cmd_<name>.c exports `const struct orbat_cmd cmd_<name>` and is
 * listed in main.c's table.
 */
#ifndef ORBAT_CLI_CMD_H
#define ORBAT_CLI_CMD_H

struct orbat_cmd {
    const char *name;
    const char *summary; /* one line for `orbat --help` */
    const char *usage;   /* full text for `orbat NAME --help` */
    /* argv[0] is the command name. Returns the process exit status:
     * 0 success, 1 runtime failure, 2 usage error. */
    int (*exec)(int argc, char **argv);
};

/* Print "orbat NAME: msg" to stderr (printf-style). */
void cmd_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* ORBAT_CLI_CMD_H */
