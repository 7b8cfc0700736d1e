/*
 * uasync-png: render a simulator trace (trace.txt) to a PNG timeline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_render.h"

static const char usage[] =
    "usage: uasync-png TRACE.txt OUT.png [--width W] [--from T] [--to T]\n"
    "                  [--title NAME]\n"
    "  Times take a unit (40ns, 300us, 12.5ms, 2s); a bare number is seconds.\n"
    "  Default: the whole trace, 1600 pixels wide.\n";

static const char how_to_read[] =
    "How to read a timeline\n"
    "  Time runs left to right; the axis on top is virtual time since the\n"
    "  start of the simulation.  The title gives the scenario, the seed and\n"
    "  the window shown.  One row (lane) per thing, named on the left:\n"
    "  task lanes    green bar = the task is running (a step is using the\n"
    "                CPU); orange bar = it was woken (deadline passed, ISR\n"
    "                flag set by an interrupt, event, lock, queue or join by\n"
    "                another task, cancel, spawn, yield) but waits for the\n"
    "                CPU: the width of orange is the wake-up latency (the\n"
    "                viewer says who woke it); thin blue-grey bar =\n"
    "                blocked (sleeping or waiting on a primitive); no bar =\n"
    "                not spawned yet or finished.  Where one pixel holds a\n"
    "                mix, bar heights show the share of each state (busy %).\n"
    "  irq lanes     red ticks where interrupt handlers ran, one lane per board.\n"
    "  pin lanes     digital waveform: line at the top = high, at the bottom\n"
    "                = low, vertical line = edge; a solid mid-blue band means\n"
    "                several edges inside one pixel (zoom in to see them).\n"
    "  uart lanes    one box per byte frame, labelled with its hex value (and\n"
    "                the character); tx teal, rx purple, red = framing error or\n"
    "                overrun.  Too narrow for a box: a bar as high as the\n"
    "                share of the pixel the line was busy.\n"
    "  i2c lanes     one box per transaction (start..stop): address, W or R\n"
    "                (W+R: write then repeated start and read), byte count;\n"
    "                red = NACK or failed transfer.\n"
    "  nec lanes     IR frames: 'aXX cYY' = address and command; 'rep' = repeat.\n"
    "  notes         annotations written by device models.\n"
    "  Interactive: tools/sim view TRACE (zoom, pan, cursors, search).\n";

/* A bare number is seconds here.  -1 (with a message) when it is not a
 * time or is beyond the last time a trace can hold. */
static int cli_time(const char *opt, const char *s, uint64_t *ns)
{
    int u = tl_parse_time(s, ns);
    if (u == 0) {
        double v = strtod(s, NULL) * 1e9;
        if (v >= 18446744073709549568.0)
            u = -1;
        else
            *ns = (uint64_t)(v + 0.5);
    }
    if (u < 0)
        fprintf(stderr, "uasync-png: %s %s: not a time from 0 to 18446744073 s "
                        "(write 12.5ms, 300us, 2s, 40ns or seconds)\n", opt, s);
    return u < 0 ? -1 : 0;
}

/* A whole number of pixels in [lo, hi], or -1 with a message. */
static long cli_int(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "uasync-png: %s %s: not a whole number from %ld to %ld\n",
                opt, s, lo, hi);
        return -1;
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *title = NULL;
    uint64_t from = 0, to = 0;
    int width = 1600;
    bool has_from = false, has_to = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            fputs("\n", stdout);
            fputs(how_to_read, stdout);
            return 0;
        } else if (strcmp(a, "--width") == 0 && more) {
            width = (int)cli_int(a, argv[++i], 200, 16384);
            if (width < 0)
                return 2;
        } else if (strcmp(a, "--from") == 0 && more) {
            if (cli_time(a, argv[++i], &from) != 0)
                return 2;
            has_from = true;
        } else if (strcmp(a, "--to") == 0 && more) {
            if (cli_time(a, argv[++i], &to) != 0)
                return 2;
            has_to = true;
        } else if (strcmp(a, "--title") == 0 && more) {
            title = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "uasync-png: unknown option %s\n%s", a, usage);
            return 2;
        } else if (in == NULL) {
            in = a;
        } else if (out == NULL) {
            out = a;
        } else {
            fprintf(stderr, "uasync-png: unexpected argument %s\n%s", a, usage);
            return 2;
        }
    }
    if (in == NULL || out == NULL || width < 200 || width > 16384) {
        fputs(usage, stderr);
        return 2;
    }
    tl_trace_t *tr = tl_trace_new();
    if (tl_trace_load_lanes(tr, in) != 0) {
        fprintf(stderr, "uasync-png: %s\n", tr->err);
        tl_trace_free(tr);
        return 1;
    }
    if (title != NULL)
        snprintf(tr->scenario, sizeof tr->scenario, "%s", title);
    tl_view_t v = tl_view_default(tr, width);
    if (has_from)
        v.t0 = from;
    if (has_to)
        v.t1 = to;
    if (v.t1 <= v.t0) {
        fprintf(stderr, "uasync-png: empty window (--from must be < --to)\n");
        tl_trace_free(tr);
        return 2;
    }
    tl_render_stats_t st;
    errno = 0;
    int rc = tl_render_png(tr, &v, out, &st);
    if (rc != 0)
        fprintf(stderr, "uasync-png: cannot write %s%s%s\n", out, errno ? ": " : "",
                errno ? strerror(errno) : "");
    else
        printf("%s: %zu lanes, %zu records, %lu rectangles, %lu glyphs\n", out,
               tr->nlanes, tr->nread, st.rects, st.glyphs);
    tl_trace_free(tr);
    return rc ? 1 : 0;
}
