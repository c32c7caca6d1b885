/* SPDX-License-Identifier: BSD-2-Clause
 *
 * input.h - read a file or stdin as raw bytes, gunzipping transparently
 * when the data starts with the gzip magic (concatenated members too).
 *
 * Ownership: input_open returns a heap object the caller frees with
 * input_close (which closes the fd unless it was stdin). input_close(NULL)
 * does nothing.
 */
#ifndef ORBAT_UTIL_INPUT_H
#define ORBAT_UTIL_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct input;

/* Open PATH ("-" means stdin). On failure returns NULL and sets errno. */
struct input *input_open(const char *path);
/* Read up to n decoded bytes. Returns the count, 0 at end, -1 on error
 * (errno set; EILSEQ for corrupt gzip data, and for a gzip file that ends
 * inside a member: truncated). After a truncation the bytes decoded before
 * it are returned first; the next call returns -1. */
ssize_t input_read(struct input *in, void *buf, size_t n);
/* Raw (compressed) bytes consumed so far and the file size (0 if unknown),
 * for progress reporting. */
uint64_t input_raw_pos(const struct input *in);
uint64_t input_raw_size(const struct input *in);
const char *input_name(const struct input *in);
void input_close(struct input *in);

#endif /* ORBAT_UTIL_INPUT_H */
