/*
 * The app registry and app instances (see sim_app.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_app.h"
#include "sim_internal.h"

/* Every app the simulator knows; glue files define these. */
extern const sim_app_def_t sim_app_demo;
extern const sim_app_def_t sim_app_buttons;
extern const sim_app_def_t sim_app_ir;
extern const sim_app_def_t sim_app_climate;
extern const sim_app_def_t sim_app_lcd;
extern const sim_app_def_t sim_app_nav;
extern const sim_app_def_t sim_app_door;
extern const sim_app_def_t sim_app_watchdog;
extern const sim_app_def_t sim_app_cancel;
extern const sim_app_def_t sim_app_wait_for;
extern const sim_app_def_t sim_app_io_priority;
extern const sim_app_def_t sim_app_syncom_pair;
extern const sim_app_def_t sim_app_asi2c_pair;

static const sim_app_def_t *const apps[] = {
    &sim_app_demo,
    &sim_app_buttons,
    &sim_app_ir,
    &sim_app_climate,
    &sim_app_lcd,
    &sim_app_nav,
    &sim_app_door,
    &sim_app_watchdog,
    &sim_app_cancel,
    &sim_app_wait_for,
    &sim_app_io_priority,
    &sim_app_syncom_pair,
    &sim_app_asi2c_pair,
};

#define NAPPS (sizeof apps / sizeof apps[0])

enum entry_kind { OBJECT, PROBE, SETTER, TEXT, TASK };

typedef struct entry {
    enum entry_kind kind;
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
    return NAPPS;
}

const char *sim_app_name(unsigned i)
{
    return i < NAPPS ? apps[i]->name : NULL;
}

const char *sim_app_description(unsigned i)
{
    return i < NAPPS ? apps[i]->description : NULL;
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
    for (unsigned i = 0; i < NAPPS; i++) {
        if (strcmp(apps[i]->name, name) != 0)
            continue;
        sim_app_t *app = xcalloc(sizeof *app);
        app->def = apps[i];
        app->board = board;
        sim_board_enter(board);
        if (apps[i]->setup(app, board, args != NULL ? args : "") != 0) {
            sim_app_free(app);
            return NULL;
        }
        return app;
    }
    sim__error(sim_board_sim(board), "no app named '%s'", name);
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

void sim_app_add_object(sim_app_t *app, const char *name, void *obj)
{
    add(app, OBJECT, name)->ptr = obj;
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

void *sim_app_object(sim_app_t *app, const char *name)
{
    entry_t *e = find(app, OBJECT, name);
    return e != NULL ? e->ptr : NULL;
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
    sim__error(sim_app_sim(app), "app %s: %s", app->def->name, msg);
    return UA_EINVAL;
}

long sim_app_arg(const char *args, const char *key, long def)
{
    size_t klen = strlen(key);
    for (const char *p = args; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, key, klen) == 0 && p[klen] == '=')
            return strtol(p + klen + 1, NULL, 0);
        p = strpbrk(p, " ,");
    }
    return def;
}
