/* Shared fixture of the NEC tests (see nec_fixture.h). */
#include "nec_fixture.h"

#include <stdio.h>
#include <string.h>

nec_fixture_t nf;

static void on_result(int data, uint16_t addr, void *ctx)
{
    nec_fixture_t *f = ctx;
    const nec_ir_result_t *r = nec_ir_result(&f->ir);
    assert_int_equal(r->data, data); /* the accessor is the result itself */
    assert_int_equal(r->addr, addr);
    if (f->nrec < NF_MAX_RECS)
        f->rec[f->nrec++] = (nf_rec_t){f->vp.now_us, data, addr, r->bits,
                                       r->raw, r->more, r->t};
}

void nf_setup(uint32_t start_tick, const nec_ir_config_t *cfg)
{
    nec_ir_config_t c = cfg ? *cfg : nec_ir_config_default();

    fp_free(&nf.fp);
    memset(&nf, 0, sizeof nf);
    ua_vport_init(&nf.vp, &nf.loop, start_tick, false);
    ua_loop_enter(&nf.loop);
    fp_init(&nf.fp, &nf.vp, &nf.loop);
    nw_init(&nf.w, &nf.fp, 12345);
    c.cb = on_result;
    c.ctx = &nf;
    assert_int_equal(nec_ir_init(&nf.ir, &nf.fp.pin, &c), 0);
    assert_int_not_equal(nf.fp.mode, UA_PIN_INPUT_PULLUP); /* init: no I/O */
    assert_int_equal(nec_ir_start(&nf.ir, &nf.loop), 0);
    assert_int_equal(nf.fp.mode, UA_PIN_INPUT_PULLUP);
}

void nf_teardown(void)
{
    fp_free(&nf.fp);
}

static void print_want(const nf_want_t *r, size_t n)
{
    fprintf(stderr, "# expected:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "#   {%llu, %s(%d), 0x%X}\n",
                (unsigned long long)r[i].t_us, nec_ir_err_name(r[i].data),
                r[i].data, r[i].addr);
}

static void print_recs(const char *title, const nf_rec_t *r, size_t n)
{
    fprintf(stderr, "# %s:\n", title);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "#   {%llu, %s(%d), 0x%X}\n",
                (unsigned long long)r[i].t_us, nec_ir_err_name(r[i].data),
                r[i].data, r[i].addr);
}

void nf_expect(const nf_want_t *want, size_t n, const char *file, int line)
{
    bool ok = n == nf.nrec;
    for (size_t i = 0; ok && i < n; i++)
        ok = want[i].t_us == nf.rec[i].t_us && want[i].data == nf.rec[i].data &&
             want[i].addr == nf.rec[i].addr;
    if (!ok) {
        print_want(want, n);
        print_recs("got", nf.rec, nf.nrec);
        _fail(file, line);
    }
}
