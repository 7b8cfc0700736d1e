/*
 * uasync: an allocation-free cooperative scheduler for microcontrollers.
 * One include for applications; see each header for its part.
 */
#ifndef UA_H
#define UA_H

#include "ua_barrier.h"
#include "ua_cond.h"
#include "ua_coro.h"
#include "ua_err.h"
#include "ua_event.h"
#include "ua_flag.h"
#include "ua_hw.h"
#include "ua_lock.h"
#include "ua_loop.h"
#include "ua_monitor.h"
#include "ua_port.h"
#include "ua_queue.h"
#include "ua_sem.h"
#include "ua_task.h"
#include "ua_time.h"
#include "ua_trace.h"

#endif /* UA_H */
