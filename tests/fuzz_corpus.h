/*
 * Loading a fuzz target's seed corpus for the deterministic regression
 * runners (tests/sim/fuzz_regress.c, shared by the text readers' targets,
 * and tests/devices/nec/fuzz_regress.c, which mutates binary edge records):
 * one input per file of `dir`, dot files skipped.  Include after <cmocka.h>.
 */
#ifndef FUZZ_CORPUS_H
#define FUZZ_CORPUS_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Read up to max_inputs files of at most max_size bytes each into
 * malloc'd buffers (inputs[i], sizes[i]); returns how many.  A corpus that
 * cannot be opened fails the test, naming it. */
static inline int fuzz_corpus_load(const char *dir, uint8_t **inputs,
                                   size_t *sizes, int max_inputs,
                                   size_t max_size)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot open the corpus %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max_inputs) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (f == NULL)
            continue;
        uint8_t *b = malloc(max_size);
        assert_non_null(b);
        sizes[n] = fread(b, 1, max_size, f);
        inputs[n++] = b;
        fclose(f);
    }
    closedir(d);
    return n;
}

#endif
