/*
 * Exporters: VCD parsed back and decoded by sigrok-cli (uart, i2c, ir_nec),
 * JSON checked by a strict little parser, text trace line format.
 */
#include <stdlib.h>

#include "sim_i2cs.h"
#include "simtest.h"

typedef struct regs {
    sim_i2c_slave_t s;
    uint8_t v;
} regs_t;

static int r_write(void *ctx, uint8_t b)
{
    ((regs_t *)ctx)->v = b;
    return 0;
}

static uint8_t r_read(void *ctx) { return (uint8_t)(((regs_t *)ctx)->v + 1); }

static int worker(ua_task_t *self)
{
    st_task_t *t = ST(self);
    sim_board_t *b = t->p;
    uint8_t wr[1] = {0x42}, rd[1];
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 5));
    ua_uart_write(sim_uart_hw(sim_board_uart(b, 0, 9600)),
                  (const uint8_t *)"OK\n", 3);
    UA_AWAIT(ua_sleep_ms(self, 10));
    ua_i2c_transfer(sim_i2c_hw(sim_board_i2c(b, 0, 100000)), 0x40, wr, 1, rd, 1);
    UA_AWAIT(ua_sleep_ms(self, 1));
    UA_END();
}

static regs_t slave;
static st_task_t task;

static sim_t *scenario(void)
{
    sim_t *sim = sim_new(9);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_pin_t *ir = sim_board_pin(b, 2);
    sim_pin_set_name(ir, "ir");
    sim_board_uart(b, 0, 9600);
    sim_i2c_t *bus = sim_board_i2c(b, 0, 100000);
    slave.s = (sim_i2c_slave_t){.addr = 0x40, .ctx = &slave,
                                .on_write = r_write, .on_read = r_read};
    sim_i2c_attach(bus, &slave.s);
    sim_board_set_costs(b, 5 * SIM_US, 2 * SIM_US);
    st_spawn(b, &task, worker, "worker", 0, 0, b);
    sim_nec_send(sim_nec_new(ir), 30 * SIM_MS, 0x59, 0x16, 1);
    sim_run_until(sim, 300 * SIM_MS);
    return sim;
}

static void vcd_reads_back(void **state)
{
    (void)state;
    sim_t *sim = scenario();
    assert_int_equal(sim_export_vcd(sim, "export_test.vcd", 1), 0);
    sim_t *back = sim_new(1);
    sim_pin_t *p = sim_pin_new(back, "ir");
    /* the first change of `ir` is to 1 at 0: replay it at 0 */
    assert_true(sim_replay_vcd(p, "export_test.vcd", "ir", 0) == 68 + 4);
    sim_pin_t *tk = sim_pin_new(back, "task");
    assert_true(sim_replay_vcd(tk, "export_test.vcd", "task_worker", 0) > 0);
    sim_run_until(back, SIM_S);
    /* Same edge times as the original trace. */
    size_t k = 0;
    for (size_t i = 0; i < sim_trace_count(sim); i++) {
        const sim_trace_rec_t *r = sim_trace_get(sim, i);
        if (r->kind != SIM_TR_PIN || r->obj != 0)
            continue;
        const sim_trace_rec_t *q;
        do
            q = sim_trace_get(back, k++);
        while (q && !(q->kind == SIM_TR_PIN && q->obj == 0));
        assert_non_null(q);
        assert_int_equal(q->t_ns, r->t_ns);
        assert_int_equal(q->arg, r->arg);
    }
    sim_free(back);
    sim_free(sim);
}

/* --- a strict JSON syntax check --------------------------------------------- */

static const char *js;
static int x_count;

static void ws(void) { while (*js == ' ' || *js == '\n' || *js == '\t' || *js == '\r') js++; }
static bool value(void);

static bool string(void)
{
    if (*js++ != '"')
        return false;
    while (*js && *js != '"') {
        if ((unsigned char)*js < 0x20)
            return false;
        if (*js == '\\')
            js++;
        js++;
    }
    return *js++ == '"';
}

static bool number(void)
{
    char *end;
    strtod(js, &end);
    if (end == js)
        return false;
    js = end;
    return true;
}

static bool seq(char close, bool obj)
{
    ws();
    if (*js == close) {
        js++;
        return true;
    }
    for (;;) {
        ws();
        if (obj) {
            const char *k = js;
            if (!string())
                return false;
            if (strncmp(k, "\"ph\"", 4) == 0 && strncmp(js, ":\"X\"", 4) == 0)
                x_count++;
            ws();
            if (*js++ != ':')
                return false;
        }
        if (!value())
            return false;
        ws();
        if (*js == ',') {
            js++;
            continue;
        }
        return *js++ == close;
    }
}

static bool value(void)
{
    ws();
    if (*js == '{')
        return js++, seq('}', true);
    if (*js == '[')
        return js++, seq(']', false);
    if (*js == '"')
        return string();
    return number();
}

static void json_is_well_formed(void **state)
{
    (void)state;
    sim_t *sim = scenario();
    char *buf = NULL;
    size_t n;
    FILE *f = open_memstream(&buf, &n);
    assert_int_equal(sim_export_json_fp(sim, f), 0);
    fclose(f);
    js = buf;
    x_count = 0;
    assert_true(value());
    ws();
    assert_int_equal(*js, '\0');
    sim_task_stats_t st;
    sim_task_stats(sim, &task.task, &st);
    assert_int_equal(x_count, (int)st.resumes);
    assert_true(strstr(buf, "\"thread_name\"") != NULL);
    free(buf);
    sim_free(sim);
}

static void text_trace_lines(void **state)
{
    (void)state;
    sim_t *sim = scenario();
    char *buf = st_text_trace(sim);
    assert_true(strstr(buf, "# task 1 worker\n") != NULL);
    assert_true(strstr(buf, "\n0.000 spawn      b0 task1:worker 0\n") != NULL);
    assert_true(strstr(buf, "nec_frame  b0 ir addr=0x0059 cmd=0x16\n") != NULL);
    /* frame length: 10 bits at 9600 baud, the first from time 0 */
    assert_true(strstr(buf, "uart_tx    b0 uart0 0x4f dur=1041666\n") != NULL);
    assert_true(strstr(buf, "uart_tx    b0 uart0 0x4b dur=1041667\n") != NULL);
    assert_true(strstr(buf, "i2c_byte   b0 i2c0 rd 0x43 nack stretch=0\n") != NULL);
    /* the header: no name given, the end of the run, ids of boards and pins */
    assert_null(strstr(buf, "# scenario"));
    assert_true(strstr(buf, "\n# end 300000.000\n") != NULL);
    assert_true(strstr(buf, "\n# board b0 b0 start_tick=0\n") != NULL);
    assert_true(strstr(buf, "\n# pin 0 ir\n") != NULL);
    assert_true(strstr(buf, "\n30000.000 pin        b0 pin0 ir=0\n") != NULL);
    /* the worker armed its 5 ms sleep after its 5 us step cost: deadline
     * 5005 us; the pass that fires it reads the clock at the step's start
     * (the step's own cost comes after), so the fire is at the deadline */
    assert_true(strstr(buf, "\n5005.000 wake       b0 task1:worker 3\n") != NULL);
    assert_true(strstr(buf, "\n5005.000 timer_fire b0 task1:worker 5005\n") != NULL);
    free(buf);
    sim_free(sim);
}

static void scenario_name_and_note_names(void **state)
{
    (void)state;
    sim_t *sim = sim_new(3);
    assert_string_equal(sim_name(sim), "");
    sim_set_name(sim, "door");
    assert_string_equal(sim_name(sim), "door");
    sim_board_new(sim, "late", 0xFFFFF000u);
    sim_trace_note_name(sim, 7, "press");
    sim_trace_note_name(sim, 8, "long");
    sim_trace_note_name(sim, 7, "click"); /* the latest name counts */
    assert_string_equal(sim_trace_note_name_of(sim, 7), "click");
    assert_string_equal(sim_trace_note_name_of(sim, 8), "long");
    assert_null(sim_trace_note_name_of(sim, 9));
    sim_trace_note(sim, 0, 8, 1, 2);
    sim_trace_note(sim, 0, 9, 3, 4);
    sim_run_until(sim, 1500 * SIM_US + 7);
    char *buf = st_text_trace(sim);
    /* two notes and the board's power period (idle all along) */
    assert_true(strstr(buf, "records=3\n# scenario door\n# end 1500.007\n"
                            "# board b0 late start_tick=4294963200\n") != NULL);
    assert_true(strstr(buf, "\n0.000 power      b0 cpu idle\n") != NULL);
    assert_true(strstr(buf, "\n0.000 note       b0 long 1 2\n") != NULL);
    assert_true(strstr(buf, "\n0.000 note       b0 note 3 4\n") != NULL);
    free(buf);
    sim_set_name(sim, NULL);
    assert_string_equal(sim_name(sim), "");
    sim_free(sim);
}

/* --- a board-side I2C slave's interrupts are named ------------------------- */

static ua_flag_t slave_flag;
static st_task_t master_task, slave_task;

static int s_start(void *arg, int is_read) { (void)arg; (void)is_read; return 0; }
static int s_rx(void *arg, uint8_t b) { (void)arg; (void)b; return 0; }
static uint8_t s_tx(void *arg) { (void)arg; return 0; }
static void s_stop(void *arg, ua_ticks_t when)
{
    (void)arg;
    (void)when;
    ua_flag_set(&slave_flag);
}
static const ua_i2c_slave_cbs_t slave_cbs = {s_start, s_rx, s_tx, s_stop};

static int master_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_sleep_ms(self, 1));
    t->i = ua_i2c_write(t->p, 0x30, (const uint8_t *)"x", 1);
    UA_END();
}

static int slave_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_AWAIT(ua_flag_wait(self, &slave_flag, UA_FOREVER));
    UA_END();
}

static void i2c_slave_interrupts_are_named(void **state)
{
    (void)state;
    sim_t *sim = sim_new(2);
    sim_board_t *a = sim_board_new(sim, "a", 0);
    sim_board_t *b = sim_board_new(sim, "b", 0);
    sim_i2c_t *bus = sim_board_i2c(a, 0, 100000);
    sim_i2cs_t *s = sim_board_i2c_slave(b, 0, bus);
    sim_board_enter(b);
    ua_flag_init(&slave_flag, sim_board_loop(b));
    assert_int_equal(ua_i2c_slave_listen(sim_i2cs_hw(s), 0x30, &slave_cbs, NULL), 0);
    st_spawn(a, &master_task, master_fn, "master", 0, 0, sim_i2c_hw(bus));
    st_spawn(b, &slave_task, slave_fn, "slave", 0, 0, NULL);
    sim_run_until(sim, 5 * SIM_MS);
    assert_int_equal(master_task.i, 0);
    assert_true(ua_task_done(&slave_task.task));
    char *buf = st_text_trace(sim);
    assert_non_null(strstr(buf, " irq_enter  b1 i2cs 0\n"));
    assert_null(strstr(buf, " irq_enter  b1 uart"));
    /* the STOP's interrupt set the slave task's flag: it was woken by it */
    assert_non_null(strstr(buf, " wake       b1 task2:slave 2 by i2cs0\n"));
    free(buf);
    sim_free(sim);
}

/* --- formatting edges: the largest values, names that need escapes ------ */

static st_task_t odd_task;

static int odd_fn(ua_task_t *self)
{
    st_task_t *t = ST(self);
    UA_BEGIN(self, &t->co);
    UA_END();
}

static char *export_to_memory(sim_t *sim, int (*fmt)(sim_t *, FILE *))
{
    char *buf = NULL;
    size_t n;
    FILE *f = open_memstream(&buf, &n);
    assert_int_equal(fmt(sim, f), 0);
    fclose(f);
    return buf;
}

static int vcd_fp(sim_t *sim, FILE *f) { return sim_export_vcd_fp(sim, f, 1); }

static void extreme_values_and_escaped_names(void **state)
{
    (void)state;
    sim_t *sim = sim_new(UINT64_MAX);
    sim_board_t *b = sim_board_new(sim, "q\"b\\s\x01", 0);
    st_spawn(b, &odd_task, odd_fn, "t\"\\\x1f", 0, 0, NULL);
    sim_run_until(sim, 1000);
    /* a time of 20 digits, the largest a record can carry */
    sim_run_until(sim, UINT64_MAX - 1);
    sim_trace_note(sim, 0, 1, UINT32_MAX, UINT32_MAX);

    char *txt = export_to_memory(sim, sim_export_text_fp);
    assert_non_null(strstr(txt, "seed=18446744073709551615 "));
    assert_non_null(strstr(txt, "\n# end 18446744073709551.614\n"));
    assert_non_null(strstr(txt, "\n18446744073709551.614 note       b0 note "
                                "4294967295 4294967295\n"));
    free(txt);

    char *json = export_to_memory(sim, sim_export_json_fp);
    js = json;
    assert_true(value());
    assert_non_null(strstr(json, "\"args\":{\"name\":\"q\\\"b\\\\s\\u0001\"}}"));
    assert_non_null(strstr(json, "{\"ph\":\"X\",\"name\":\"t\\\"\\\\\\u001f\","));
    assert_non_null(strstr(json, "\"ts\":18446744073709551.614,\"pid\":1,"
                                 "\"tid\":0,\"args\":{\"obj\":1,"
                                 "\"arg\":4294967295,\"arg2\":4294967295}}"));
    free(json);

    char *vcd = export_to_memory(sim, vcd_fp);
    assert_non_null(strstr(vcd, "$comment uasync sim seed 18446744073709551615 $end"));
    assert_non_null(strstr(vcd, "\n#18446744073709551615\n"));
    free(vcd);

    /* a write that fails is reported (here when the file is closed: the
     * output is smaller than stdio's buffer) */
    FILE *full = fopen("/dev/full", "w");
    if (full != NULL) {
        fclose(full);
        assert_int_equal(sim_export_text(sim, "/dev/full"), UA_EIO);
        assert_int_equal(sim_export_json(sim, "/dev/full"), UA_EIO);
        assert_int_equal(sim_export_vcd(sim, "/dev/full", 1), UA_EIO);
    }
    sim_free(sim);
}

/* --- sigrok-cli decodes our VCD ----------------------------------------------- */

static char *run_sigrok(const char *decoder)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "sigrok-cli -I vcd -i export_sigrok.vcd -P %s 2>&1", decoder);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = calloc(1, 1 << 16);
    size_t n = fread(out, 1, (1 << 16) - 1, p);
    out[n] = '\0';
    pclose(p);
    return out;
}

static void sigrok_decodes_uart_i2c_and_nec(void **state)
{
    (void)state;
    if (system("sigrok-cli --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "# sigrok-cli not installed\n");
        skip();
    }
    sim_t *sim = scenario();
    assert_int_equal(sim_export_vcd(sim, "export_sigrok.vcd", 1000), 0);
    sim_free(sim);
    /* Channel names in sigrok are the VCD signal names. */
    char *u = run_sigrok("uart:baudrate=9600:tx=uart0_tx:format=hex");
    char *i = run_sigrok("i2c:scl=i2c0_scl:sda=i2c0_sda");
    char *n = run_sigrok("ir_nec:ir=ir");
    fprintf(stderr, "# uart:\n%s# i2c:\n%s# nec:\n%s", u, i, n);
    assert_non_null(strstr(u, "4F"));
    assert_non_null(strstr(u, "4B"));
    assert_non_null(strstr(u, "0A"));
    assert_non_null(strstr(i, "Address write: 40"));
    assert_non_null(strstr(i, "Data write: 42"));
    assert_non_null(strstr(i, "Data read: 43"));
    assert_non_null(strstr(n, "Address: 0x59"));
    assert_non_null(strstr(n, "Command: 0x16"));
    free(u);
    free(i);
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vcd_reads_back),
        cmocka_unit_test(json_is_well_formed),
        cmocka_unit_test(text_trace_lines),
        cmocka_unit_test(scenario_name_and_note_names),
        cmocka_unit_test(i2c_slave_interrupts_are_named),
        cmocka_unit_test(extreme_values_and_escaped_names),
        cmocka_unit_test(sigrok_decodes_uart_i2c_and_nec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
