/* ISR flag (see ua_flag.h). */
#include <assert.h>

#include "ua_flag.h"
#include "ua_internal.h"

int ua_flag_init(ua_flag_t *f, ua_loop_t *loop)
{
    /* Walk the loop's flags rather than trust f->loop: f may be fresh
     * memory holding anything. */
    for (const ua_flag_t *it = loop->flags; it != NULL; it = it->next_registered) {
        if (it == f) {
#ifdef UA_DEBUG
            assert(!"ua_flag_init: flag is still registered; ua_flag_deinit it first");
#endif
            return UA_EBUSY;
        }
    }
    f->is_set = 0;
    f->waiter = NULL;
    f->loop = loop;
    f->next_registered = loop->flags;
    loop->flags = f;
    return 0;
}

#if UA_TRACE
void ua__flag_note_set(ua_flag_t *f)
{
    ua__tr(f->loop, UA_TR_FLAG_RAISED, f->waiter, 0);
}
#endif

uint8_t ua__atomic_take(ua_atomic_u8 *p)
{
    return ua_atomic_take_acquire(p);
}

void ua_flag_clear(ua_flag_t *f)
{
    (void)ua__atomic_take(&f->is_set);
}

void ua_flag_deinit(ua_flag_t *f)
{
    if (f->loop == NULL)
        return;
    if (f->waiter != NULL)
        ua__wake(f->waiter, UA_WAKE_CANCEL);
    for (ua_flag_t **pp = &f->loop->flags; *pp != NULL;
         pp = &(*pp)->next_registered) {
        if (*pp == f) {
            *pp = f->next_registered;
            break;
        }
    }
    f->next_registered = NULL;
    ua_flag_clear(f);
    f->loop = NULL;
}

/* timeout: as the caller gave it, in ms or us; ticks: the same in ticks. */
static int flag_wait(ua_task_t *self, ua_flag_t *f, int32_t timeout,
                     int32_t ticks)
{
    int st = ua__wait_outcome(self, timeout);

    if (st != UA_PENDING)
        return st;
    if (ua__atomic_take(&f->is_set))
        return 0;
    if (f->waiter != NULL)
        return UA_EBUSY;
    return ua__suspend(self, UA_W_FLAG, &f->waiter, ticks);
}

int ua_flag_wait(ua_task_t *self, ua_flag_t *f, int32_t timeout_ms)
{
    return flag_wait(self, f, timeout_ms, ua__ms_to_ticks(timeout_ms));
}

int ua_flag_wait_us(ua_task_t *self, ua_flag_t *f, int32_t timeout_us)
{
    return flag_wait(self, f, timeout_us, timeout_us);
}
