/*
 * Trace points emitted by the scheduler.
 *
 * When core is compiled with UA_TRACE=1 the loop reports what it does through
 * its port's trace hook: which task it resumes and why, when a task suspends
 * and on what, timers armed and fired, cancellations and ISR flags, and
 * every wake-up of a suspended task, whoever caused it (UA_TR_WAKE: another
 * task setting an event, releasing a lock or semaphore, putting a queue
 * item, passing a barrier, finishing a joined task, cancelling; a deadline;
 * an ISR flag).  A wake-up by a deadline or a flag comes right after its
 * UA_TR_TIMER_FIRE or UA_TR_FLAG_SET; the hook is called from the code
 * that wakes, so the port can tell who did (the running task, an interrupt
 * handler, the loop itself).  With
 * UA_TRACE=0 (the default for board builds) the calls compile to nothing.
 * The simulator records these together with its own hardware events into one
 * time-ordered trace (see sim/ and docs).
 */
#ifndef UA_TRACE_H
#define UA_TRACE_H

#ifndef UA_TRACE
#define UA_TRACE 0
#endif

/* The `arg` of each kind is given in the trailing comment. */
enum ua_trace_kind {
    UA_TR_SPAWN = 1,     /* task spawned; arg 0 */
    UA_TR_RESUME,        /* task about to run; arg = wake reason (enum ua_wake) */
    UA_TR_SUSPEND,       /* task returned to the loop; arg = enum ua_where */
    UA_TR_DONE,          /* task finished; arg = status (int32 as uint32) */
    UA_TR_TIMER_ARM,     /* task armed a deadline; arg = deadline ticks */
    UA_TR_TIMER_FIRE,    /* deadline reached; arg = deadline ticks */
    UA_TR_CANCEL,        /* cancel requested; arg 0 */
    UA_TR_FLAG_SET,      /* ISR flag turned into a wake-up; arg 0 */
    UA_TR_IDLE,          /* loop goes idle; arg = 1 if it has a deadline */
    UA_TR_WAKE,          /* suspended task made ready; arg = wake reason */
    UA_TR_UNHANDLED,     /* a failure nobody awaited; arg = status */
    UA_TR_FLAG_RAISED,   /* ua_flag_set, from the code that set it (an
                            interrupt handler, a task, a model); task = the
                            flag's waiter or NULL; arg 0 */
    UA_TR_KIND_COUNT
};

#endif /* UA_TRACE_H */
