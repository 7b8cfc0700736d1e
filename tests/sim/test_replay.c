/*
 * The replay readers (mode2, VCD) and feed_file on bad input (issue 16):
 * every defect is an error naming the file and line, and nothing of a bad
 * file is scheduled.  Good recordings (tests/data/ir) still replay.
 */
#include <dirent.h>

#include "simtest.h"

static const char *write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return name;
}

/* Replay `text` as mode2 (vcd false) or VCD; returns the result and leaves
 * the error in err. */
static long replay(bool vcd, const char *text, char *err, size_t n,
                   uint64_t *pending)
{
    sim_t *sim = sim_new(1);
    sim_pin_t *p = sim_pin_new(sim, "ir");
    const char *path = write_file(vcd ? "replay_test.vcd" : "replay_test.mode2",
                                  text);
    long r = vcd ? sim_replay_vcd(p, path, NULL, 0) : sim_replay_mode2(p, path, 0);
    snprintf(err, n, "%s", sim_last_error(sim));
    *pending = sim_pending_events(sim);
    sim_free(sim);
    return r;
}

static void expect_error(bool vcd, const char *text, const char *msg)
{
    char err[256];
    uint64_t pending;
    long r = replay(vcd, text, err, sizeof err, &pending);
    if (r != UA_EINVAL || strstr(err, msg) == NULL)
        fail_msg("%s: got %ld, '%s'; wanted UA_EINVAL and '%s'",
                 vcd ? "vcd" : "mode2", r, err, msg);
    assert_int_equal(pending, 0); /* nothing of a bad file is scheduled */
}

static void mode2_bad_lines_name_file_and_line(void **state)
{
    (void)state;
    expect_error(false, "pulse 9000\nspace 4500\npulse 560\nspace -5000\n",
                 "replay_test.mode2:4: 'space -5000': the duration must be a "
                 "whole number of us from 1 to 100000000");
    expect_error(false, "pulse 9000\npulse abc\n", "replay_test.mode2:2: 'pulse abc'");
    expect_error(false, "pulse 9000\nhello\n",
                 "replay_test.mode2:2: 'hello': expected 'pulse N' or 'space N'");
    expect_error(false, "pulse 9000\nspace 12x\n", ":2: 'space 12x'");
    expect_error(false, "pulse 0\n", ":1: 'pulse 0'");
    expect_error(false, "pulse 100000001\n", ":1:");
    expect_error(false, "space 5000\n", "no pulse");
    expect_error(false, "", "no pulse");
}

static void mode2_good_file_with_comments(void **state)
{
    (void)state;
    char err[256];
    uint64_t pending;
    /* a comment, blank lines, a leading space, CRLF endings, a timeout */
    long r = replay(false, "# captured\n\nspace 20000\r\npulse 9000\r\nspace 4500\n"
                           "pulse 560\ntimeout 100000\n", err, sizeof err, &pending);
    assert_int_equal(r, 4);
    assert_true(pending > 0);
}

static void vcd_bad_input_names_file_and_line(void **state)
{
    (void)state;
    const char *head = "$timescale 1 us $end\n$var wire 1 ! ir $end\n"
                       "$enddefinitions $end\n";
    char text[512];
    snprintf(text, sizeof text, "%s#0\n1!\n#200\n0!\n#100\n1!\n", head);
    expect_error(true, text, "replay_test.vcd:8: #100 goes back in time (after #200)");
    snprintf(text, sizeof text, "%s#0\n1!\n#zz\n0!\n", head);
    expect_error(true, text, "replay_test.vcd:6: '#zz' is not a timestamp");
    snprintf(text, sizeof text, "%s#0\n1!\nhello\n", head);
    expect_error(true, text, "replay_test.vcd:6: 'hello' is not a VCD keyword");
    snprintf(text, sizeof text, "%s#0\n1\n", head);
    expect_error(true, text, ":5: value change '1' without an identifier");
    expect_error(true, "$timescale 3 parsecs $end\n$var wire 1 ! ir $end\n",
                 "replay_test.vcd:1: $timescale '3parsecs'");
    expect_error(true, "$comment never closed\n", ":1: $comment without $end");
    /* found by the fuzzer: a second timescale would rescale the times read */
    snprintf(text, sizeof text, "%s#0\n1!\n$timescale 10 ns $end\n#5\n0!\n", head);
    expect_error(true, text, ":6: $timescale after the first timestamp");
    expect_error(true, "$var wire 8 ! bus $end\n#0\nb1 !\n", "no 1-bit $var");
    snprintf(text, sizeof text, "%s#0\n1!\n#18446744073709551\n0!\n", head);
    expect_error(true, text, ":7: #18446744073709551 is too late to replay");
}

static void directory_is_an_error_not_an_empty_file(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_pin_t *p = sim_pin_new(sim, "ir");
    assert_int_equal(sim_replay_mode2(p, ".", 0), UA_EIO);
    assert_non_null(strstr(sim_last_error(sim), "cannot read .: Is a directory"));
    assert_int_equal(sim_replay_vcd(p, ".", NULL, 0), UA_EIO);
    assert_int_equal(sim_replay_mode2(p, "/nonexistent.mode2", 0), UA_EIO);
    assert_non_null(strstr(sim_last_error(sim), "No such file"));
    sim_uart_t *u = sim_uart_new(sim, "u", 9600);
    assert_int_equal(sim_uart_feed_file(u, 0, "."), UA_EIO);
    assert_non_null(strstr(sim_last_error(sim), "cannot read .: Is a directory"));
    sim_free(sim);
}

/* Every recording in tests/data replays, as mode2 and as VCD, with
 * the same number of edges. */
static void shared_recordings_replay(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/ir", SIM_DATA_DIR);
    DIR *d = opendir(dir);
    if (d == NULL) /* in the repository: missing is a bug, not a skip */
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    unsigned files = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 6, ".mode2") != 0)
            continue;
        char m2[1024], vcd[1024];
        snprintf(m2, sizeof m2, "%s/%s", dir, e->d_name);
        snprintf(vcd, sizeof vcd, "%s/%.*s.vcd", dir, (int)(len - 6), e->d_name);
        sim_t *sim = sim_new(1);
        long a = sim_replay_mode2(sim_pin_new(sim, "a"), m2, 0);
        if (a <= 0)
            fail_msg("%s: %s", m2, sim_last_error(sim));
        long b = sim_replay_vcd(sim_pin_new(sim, "b"), vcd, NULL, 0);
        if (b <= 0)
            fail_msg("%s: %s", vcd, sim_last_error(sim));
        assert_int_equal(a, b);
        sim_free(sim);
        files++;
    }
    closedir(d);
    assert_int_equal(files, 20); /* tests/data/README.txt: 20 captures */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mode2_bad_lines_name_file_and_line),
        cmocka_unit_test(mode2_good_file_with_comments),
        cmocka_unit_test(vcd_bad_input_names_file_and_line),
        cmocka_unit_test(directory_is_an_error_not_an_empty_file),
        cmocka_unit_test(shared_recordings_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
