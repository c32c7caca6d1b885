/* SPDX-License-Identifier: BSD-2-Clause
 *
 * replay_main.c - a main() for libFuzzer targets that replays corpus and
 * crasher files, so `make test` runs every saved input under the sanitizers
 * without needing libFuzzer (sqlite's fuzzcheck.c idea).
 *
 * Usage: replay_fuzz_X DIR_OR_FILE ...   prints one TAP line per argument.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return -1;
    }
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    // Copy into an exact-size buffer so ASan catches reads past the end.
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            printf("ok - %s: absent, nothing to replay\n", argv[i]);
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            int rc = replay_file(argv[i]);
            printf("%s - replay %s\n", rc ? "not ok" : "ok", argv[i]);
            bad |= rc != 0;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            printf("not ok - cannot open %s\n", argv[i]);
            bad = 1;
            continue;
        }
        struct dirent *e;
        int files = 0, errs = 0;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            if (replay_file(path) != 0)
                errs++;
            files++;
        }
        closedir(d);
        printf("%s - replayed %d files from %s\n", errs ? "not ok" : "ok", files, argv[i]);
        bad |= errs != 0;
    }
    return bad;
}
