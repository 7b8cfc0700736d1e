/*
 * Apps registered at load time (SIM_APP_REGISTER, sim_app_register): what a
 * user's simulator library relies on.  Linked with the registry that has no
 * built-in apps (libuasync_simapp, as in libuasync_sim.so).
 *
 * The registry is process-wide, so the cases run in order and build on each
 * other: one app registered by the macro, then refusals, and last the
 * refusal reported by every start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sim.h"
#include "sim_app.h"

static int setups;
static sim_board_t *setup_board;

static int alpha_setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    (void)app;
    (void)args;
    setups++;
    setup_board = board;
    return 0;
}

const sim_app_def_t sim_app_alpha = {"alpha", "registered by the macro",
                                     alpha_setup};
SIM_APP_REGISTER(sim_app_alpha)

static void registered_before_main(void **state)
{
    (void)state;
    assert_int_equal(sim_app_count(), 1);
    assert_string_equal(sim_app_name(0), "alpha");
    assert_string_equal(sim_app_description(0), "registered by the macro");
    assert_null(sim_app_name(1));
    assert_null(sim_app_register_error());
    assert_int_equal(sim_abi_version(), SIM_ABI_VERSION);
}

static void started_by_name(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    sim_app_t *app = sim_app_start(b, "alpha", "");
    assert_non_null(app);
    assert_int_equal(setups, 1);
    assert_ptr_equal(setup_board, b);
    sim_app_free(app);
    assert_null(sim_app_start(b, "beta", ""));
    assert_string_equal(sim_last_error(sim), "no app named 'beta' (apps: alpha)");
    sim_free(sim);
}

static int other_setup(sim_app_t *app, sim_board_t *board, const char *args)
{
    (void)app;
    (void)board;
    (void)args;
    return 0;
}

static char names[80][8];
static sim_app_def_t defs[80];

static void bad_registrations_refused(void **state)
{
    (void)state;
    static const sim_app_def_t no_setup = {"nosetup", "", NULL};
    static const sim_app_def_t no_name = {"", "", other_setup};
    static const sim_app_def_t twice = {"alpha", "another alpha", other_setup};

    assert_int_equal(sim_app_register(&no_setup), UA_EINVAL);
    /* the first refusal is the one reported */
    assert_string_equal(sim_app_register_error(),
                        "app nosetup was registered without a setup function");
    assert_int_equal(sim_app_register(NULL), UA_EINVAL);
    assert_int_equal(sim_app_register(&no_name), UA_EINVAL);
    assert_int_equal(sim_app_register(&twice), UA_EINVAL);
    assert_int_equal(sim_app_count(), 1);

    /* 64 registered apps at most, then each is refused */
    unsigned ok = 0;
    for (unsigned i = 0; i < 80; i++) {
        snprintf(names[i], sizeof names[i], "a%u", i);
        defs[i] = (sim_app_def_t){names[i], "", other_setup};
        if (sim_app_register(&defs[i]) == 0)
            ok++;
    }
    assert_int_equal(ok, 63); /* alpha is the 64th */
    assert_int_equal(sim_app_count(), 64);
    assert_string_equal(sim_app_name(63), "a62");
}

static void a_refusal_fails_every_start(void **state)
{
    (void)state;
    sim_t *sim = sim_new(1);
    sim_board_t *b = sim_board_new(sim, "b0", 0);
    assert_null(sim_app_start(b, "alpha", ""));
    assert_string_equal(sim_last_error(sim),
                        "app registry: app nosetup was registered without a "
                        "setup function");
    assert_int_equal(setups, 1);
    sim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(registered_before_main),
        cmocka_unit_test(started_by_name),
        cmocka_unit_test(bad_registrations_refused),
        cmocka_unit_test(a_refusal_fails_every_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
