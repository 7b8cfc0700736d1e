/*
 * The app registry and app instances (see sim_app.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_app.h"
#include "sim.h"

/* The apps built into this library: in libuasync.so, generated from our
 * glue files (apps/gen_app_list.py), so an app is named only where it is
 * defined.  The registry in libuasync_sim.so (the one users' simulator
 * libraries link) has none: a user's glue registers its own apps
 * (SIM_APP_REGISTER). */
#ifdef SIM_APP_BUILTINS
#include "sim_app_list.h"
static const sim_app_def_t *const builtin[] = {SIM_APP_LIST NULL};
#else
static const sim_app_def_t *const builtin[] = {NULL};
#endif

/* Apps registered at run time (a user's, from their library's
 * constructors), after the built-in ones. */
#define MAX_REGISTERED 64
static const sim_app_def_t *registered[MAX_REGISTERED];
static unsigned nregistered;
/* The first registration refused: sim_app_start() reports it, so a broken
 * registration is never silently an app that is not there. */
static char register_error[192];

static unsigned nbuiltin(void)
{
    unsigned n = 0;
    while (builtin[n] != NULL)
        n++;
    return n;
}

static unsigned napps(void)
{
    return nbuiltin() + nregistered;
}

/* App i in list order (built-in first), or NULL. */
static const sim_app_def_t *app_at(unsigned i)
{
    unsigned nb = nbuiltin();
    if (i < nb)
        return builtin[i];
    return i - nb < nregistered ? registered[i - nb] : NULL;
}

static const sim_app_def_t *app_named(const char *name)
{
    for (unsigned i = 0; i < napps(); i++)
        if (strcmp(app_at(i)->name, name) == 0)
            return app_at(i);
    return NULL;
}

static int refuse(const char *fmt, const char *name)
{
    if (register_error[0] == '\0')
        snprintf(register_error, sizeof register_error, fmt, name);
    return UA_EINVAL;
}

int sim_app_register(const sim_app_def_t *def)
{
    if (def == NULL || def->name == NULL || def->name[0] == '\0')
        return refuse("an app without a name%s was registered", "");
    if (def->setup == NULL)
        return refuse("app %s was registered without a setup function",
                      def->name);
    if (app_named(def->name) != NULL)
        return refuse("app %s is registered twice", def->name);
    if (nregistered == MAX_REGISTERED)
        return refuse("app %s: too many apps registered (at most 64)",
                      def->name);
    registered[nregistered++] = def;
    return 0;
}

const char *sim_app_register_error(void)
{
    return register_error[0] != '\0' ? register_error : NULL;
}

unsigned sim_abi_version(void)
{
    return SIM_ABI_VERSION;
}

/* The keys the app being started asked for, with their ranges, so that
 * sim_app_start() can refuse keys nobody reads (a typo like "supress=1"
 * would otherwise be ignored) and values out of range (a uint16_t field
 * given 70000 would be truncated).  Apps start one at a time. */
#define MAX_KEYS 32
typedef struct arg_key {
    const char *key;
    long lo, hi;
} arg_key_t;
static struct {
    const char *args; /* the args string being parsed, NULL outside setup */
    unsigned n;
    arg_key_t keys[MAX_KEYS];
} arg_ctx;

static void note_key(const char *args, const char *key, long lo, long hi)
{
    if (arg_ctx.args != args)
        return;
    for (unsigned i = 0; i < arg_ctx.n; i++)
        if (strcmp(arg_ctx.keys[i].key, key) == 0) {
            /* asked twice: the narrowest range wins */
            arg_ctx.keys[i].lo = (arg_ctx.keys[i].lo > lo ? arg_ctx.keys[i].lo : lo);
            arg_ctx.keys[i].hi = (arg_ctx.keys[i].hi < hi ? arg_ctx.keys[i].hi : hi);
            return;
        }
    if (arg_ctx.n < MAX_KEYS)
        arg_ctx.keys[arg_ctx.n++] = (arg_key_t){key, lo, hi};
}

/* The value text of `key` in args, or NULL. */
static const char *find_arg(const char *args, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = args; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, key, klen) == 0 && p[klen] == '=')
            return p + klen + 1;
        p = strpbrk(p, " ,");
    }
    return NULL;
}

long sim_app_arg_in(const char *args, const char *key, long def, long lo,
                    long hi)
{
    note_key(args, key, lo, hi);
    const char *v = find_arg(args, key);
    if (v == NULL)
        return def;
    long x = strtol(v, NULL, 0);
    /* out of range: checked (and refused) by sim_app_start */
    return x < lo ? lo : x > hi ? hi : x;
}

long sim_app_arg(const char *args, const char *key, long def)
{
    return sim_app_arg_in(args, key, def, LONG_MIN, LONG_MAX);
}

static void append(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    if (len < n)
        vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

/* "key (lo..hi), ..." of the keys the app accepts. */
static void accepted(char *buf, size_t n)
{
    buf[0] = '\0';
    for (unsigned i = 0; i < arg_ctx.n; i++) {
        append(buf, n, "%s%s", i ? ", " : "", arg_ctx.keys[i].key);
        if (arg_ctx.keys[i].lo != LONG_MIN || arg_ctx.keys[i].hi != LONG_MAX)
            append(buf, n, " (%ld..%ld)", arg_ctx.keys[i].lo,
                   arg_ctx.keys[i].hi);
    }
    if (arg_ctx.n == 0)
        snprintf(buf, n, "none");
}

/* Every key=value of args against what the glue asked for: 0, or an error
 * set on the sim (UA_EINVAL). */
static int check_args(sim_t *sim, const char *name, const char *args)
{
    char list[768];
    for (const char *p = args; *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '\0')
            break;
        size_t len = strcspn(p, " ,");
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;
        unsigned k = 0;
        while (k < arg_ctx.n && !(strlen(arg_ctx.keys[k].key) == klen &&
                                  strncmp(arg_ctx.keys[k].key, p, klen) == 0))
            k++;
        accepted(list, sizeof list);
        if (eq == NULL || k == arg_ctx.n) {
            sim_set_error(sim, "app %s: %s '%.*s' (accepted: %s)", name,
                       eq == NULL ? "argument without a value:"
                                  : "unknown argument",
                       (int)len, p, list);
            return UA_EINVAL;
        }
        char *end;
        errno = 0;
        long x = strtol(eq + 1, &end, 0);
        bool number = end != eq + 1 && (size_t)(end - p) == len;
        if (!number || errno == ERANGE || x < arg_ctx.keys[k].lo ||
            x > arg_ctx.keys[k].hi) {
            if (number && errno != ERANGE)
                sim_set_error(sim, "app %s: %.*s is out of range: %.*s is "
                           "%ld..%ld", name, (int)len, p, (int)klen, p,
                           arg_ctx.keys[k].lo, arg_ctx.keys[k].hi);
            else
                sim_set_error(sim, "app %s: %.*s is not a whole number "
                           "(accepted: %s)", name, (int)len, p, list);
            return UA_EINVAL;
        }
        p += len;
    }
    return 0;
}

enum entry_kind { OBJECT, PROBE, SETTER, TEXT, TASK };

typedef struct entry {
    enum entry_kind kind;
    int type; /* OBJECT: enum sim_obj_type */
    char *name;
    void *ptr; /* object, task, or ctx of a getter */
    int64_t (*probe)(void *ctx);
    void (*setter)(void *ctx, int64_t value);
    const char *(*text)(void *ctx, char *buf, size_t n);
    struct entry *next;
} entry_t;

typedef struct block {
    struct block *next;
    max_align_t data[];
} block_t;

struct sim_app {
    const sim_app_def_t *def;
    sim_board_t *board;
    entry_t *entries, *last;
    block_t *blocks;
    char text_buf[1024];
};

static void *xcalloc(size_t n)
{
    void *p = calloc(1, n);
    if (p == NULL)
        abort();
    return p;
}

unsigned sim_app_count(void)
{
    return napps();
}

const char *sim_app_name(unsigned i)
{
    const sim_app_def_t *def = app_at(i);
    return def != NULL ? def->name : NULL;
}

const char *sim_app_description(unsigned i)
{
    const sim_app_def_t *def = app_at(i);
    return def != NULL && def->description != NULL ? def->description : "";
}

sim_t *sim_app_sim(sim_app_t *app)
{
    return sim_board_sim(app->board);
}

sim_board_t *sim_app_board(sim_app_t *app)
{
    return app->board;
}

sim_app_t *sim_app_start(sim_board_t *board, const char *name, const char *args)
{
    if (register_error[0] != '\0') {
        sim_set_error(sim_board_sim(board), "app registry: %s",
                      register_error);
        return NULL;
    }
    const sim_app_def_t *def = app_named(name);
    if (def != NULL) {
        sim_app_t *app = xcalloc(sizeof *app);
        app->def = def;
        app->board = board;
        sim_board_enter(board);
        const char *a = args != NULL ? args : "";
        arg_ctx.args = a;
        arg_ctx.n = 0;
        int st = def->setup(app, board, a);
        arg_ctx.args = NULL;
        /* bad arguments explain a failed setup better than its own error */
        int bad = check_args(sim_board_sim(board), def->name, a);
        if (st != 0 || bad != 0) {
            sim_app_free(app);
            return NULL;
        }
        return app;
    }
    char list[512] = "";
    for (unsigned i = 0; i < napps(); i++)
        append(list, sizeof list, "%s%s", i ? ", " : "", app_at(i)->name);
    sim_set_error(sim_board_sim(board), "no app named '%s' (apps: %s)", name,
                  napps() ? list : "none registered");
    return NULL;
}

void sim_app_free(sim_app_t *app)
{
    if (app == NULL)
        return;
    for (entry_t *e = app->entries, *next; e != NULL; e = next) {
        next = e->next;
        free(e->name);
        free(e);
    }
    for (block_t *b = app->blocks, *next; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(app);
}

void *sim_app_alloc(sim_app_t *app, size_t size)
{
    block_t *b = xcalloc(sizeof *b + size);
    b->next = app->blocks;
    app->blocks = b;
    return b->data;
}

static entry_t *add(sim_app_t *app, enum entry_kind kind, const char *name)
{
    entry_t *e = xcalloc(sizeof *e);
    size_t n = strlen(name) + 1;
    e->kind = kind;
    e->name = memcpy(xcalloc(n), name, n);
    if (app->last != NULL)
        app->last->next = e;
    else
        app->entries = e;
    app->last = e;
    return e;
}

static entry_t *find(sim_app_t *app, enum entry_kind kind, const char *name)
{
    for (entry_t *e = app->entries; e != NULL; e = e->next)
        if (e->kind == kind && strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

static entry_t *nth_task(sim_app_t *app, unsigned i)
{
    for (entry_t *e = app->entries; e != NULL; e = e->next)
        if (e->kind == TASK && i-- == 0)
            return e;
    return NULL;
}

static void add_object(sim_app_t *app, const char *name, int type, void *obj)
{
    entry_t *e = add(app, OBJECT, name);
    e->ptr = obj;
    e->type = type;
}

void sim_app_add_pin(sim_app_t *app, const char *name, sim_pin_t *pin)
{
    add_object(app, name, SIM_OBJ_PIN, pin);
}

void sim_app_add_uart(sim_app_t *app, const char *name, sim_uart_t *uart)
{
    add_object(app, name, SIM_OBJ_UART, uart);
}

void sim_app_add_i2c(sim_app_t *app, const char *name, sim_i2c_t *bus)
{
    add_object(app, name, SIM_OBJ_I2C, bus);
}

void sim_app_add_button(sim_app_t *app, const char *name,
                        sim_button_t *button)
{
    add_object(app, name, SIM_OBJ_BUTTON, button);
}

void sim_app_add_nec(sim_app_t *app, const char *name, sim_nec_t *nec)
{
    add_object(app, name, SIM_OBJ_NEC, nec);
}

const char *sim_obj_type_name(int type)
{
    switch (type) {
    case SIM_OBJ_PIN:
        return "pin";
    case SIM_OBJ_UART:
        return "uart";
    case SIM_OBJ_I2C:
        return "i2c";
    case SIM_OBJ_BUTTON:
        return "button";
    case SIM_OBJ_NEC:
        return "nec";
    default:
        return "?";
    }
}

void sim_app_add_probe(sim_app_t *app, const char *name,
                       int64_t (*get)(void *ctx), void *ctx)
{
    entry_t *e = add(app, PROBE, name);
    e->probe = get;
    e->ptr = ctx;
}

void sim_app_add_setter(sim_app_t *app, const char *name,
                        void (*set)(void *ctx, int64_t value), void *ctx)
{
    entry_t *e = add(app, SETTER, name);
    e->setter = set;
    e->ptr = ctx;
}

void sim_app_add_text(sim_app_t *app, const char *name,
                      const char *(*get)(void *ctx, char *buf, size_t n),
                      void *ctx)
{
    entry_t *e = add(app, TEXT, name);
    e->text = get;
    e->ptr = ctx;
}

int sim_app_spawn(sim_app_t *app, ua_task_t *t, const char *name)
{
    add(app, TASK, name)->ptr = t;
    return sim_spawn(app->board, t, name);
}

void sim_app_add_task(sim_app_t *app, ua_task_t *t, const char *name)
{
    add(app, TASK, name)->ptr = t;
    sim_task_name(sim_app_sim(app), t, name);
}

void *sim_app_object(sim_app_t *app, const char *name, int type)
{
    entry_t *e = find(app, OBJECT, name);
    return e != NULL && e->type == type ? e->ptr : NULL;
}

int sim_app_object_type(sim_app_t *app, const char *name)
{
    entry_t *e = find(app, OBJECT, name);
    return e != NULL ? e->type : 0;
}

int sim_app_probe(sim_app_t *app, const char *name, int64_t *out)
{
    entry_t *e = find(app, PROBE, name);
    if (e == NULL)
        return UA_EINVAL;
    *out = e->probe(e->ptr);
    return 0;
}

int sim_app_set(sim_app_t *app, const char *name, int64_t value)
{
    entry_t *e = find(app, SETTER, name);
    if (e == NULL)
        return UA_EINVAL;
    e->setter(e->ptr, value);
    return 0;
}

const char *sim_app_text(sim_app_t *app, const char *name)
{
    entry_t *e = find(app, TEXT, name);
    return e != NULL ? e->text(e->ptr, app->text_buf, sizeof app->text_buf)
                     : NULL;
}

unsigned sim_app_task_count(sim_app_t *app)
{
    unsigned n = 0;
    while (nth_task(app, n) != NULL)
        n++;
    return n;
}

void *sim_app_task(sim_app_t *app, unsigned i)
{
    entry_t *e = nth_task(app, i);
    return e != NULL ? e->ptr : NULL;
}

const char *sim_app_task_name(sim_app_t *app, unsigned i)
{
    entry_t *e = nth_task(app, i);
    return e != NULL ? e->name : NULL;
}

int sim_app_fail(sim_app_t *app, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_set_error(sim_app_sim(app), "app %s: %s", app->def->name, msg);
    return UA_EINVAL;
}
