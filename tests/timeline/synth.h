/*
 * A hand-written text trace with known states, shared by the renderer and
 * viewer tests.  One second, board b0:
 *   hog     runs 0-300 ms and 550-700 ms;
 *   worker  ready 0-300 ms (spawned behind the hog), runs 300-310 ms,
 *           blocked to 400 ms, runs 400-500 ms, blocked to its 600 ms
 *           deadline, ready 600-700 ms (hog has the CPU), runs 700-750 ms,
 *           done;
 *   led     low, high 200-800 ms;  uart0 'A' ending at 100 ms;
 *   i2c0    write to 0x40 at 450-451 ms; irq at 820 ms; NEC frame at 850 ms;
 *   note    "checkpoint" at 900 ms.
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <stdio.h>

#define SYNTH_TRACE                                         \
    "# uasync sim trace v1 seed=42 records=33\n"            \
    "# board b0 main\n"                                     \
    "# task 1 worker\n"                                     \
    "# task 2 hog\n"                                        \
    "# scenario synthetic\n"                                \
    "# end 1000000.000\n"                                   \
    "0.000 pin        b0 led=0\n"                           \
    "0.000 spawn      b0 task1:worker 0\n"                  \
    "0.000 spawn      b0 task2:hog 0\n"                     \
    "0.000 resume     b0 task2:hog 0\n"                     \
    "0.000 step       b0 task2:hog 300000000\n"             \
    "100000.000 uart_tx    b0 uart0 0x41\n"                 \
    "200000.000 pin        b0 led=1\n"                      \
    "300000.000 timer_arm  b0 task2:hog 550000\n"           \
    "300000.000 suspend    b0 task2:hog 4\n"                \
    "300000.000 resume     b0 task1:worker 0\n"             \
    "300000.000 step       b0 task1:worker 10000000\n"      \
    "310000.000 timer_arm  b0 task1:worker 400000\n"        \
    "310000.000 suspend    b0 task1:worker 4\n"             \
    "400000.000 timer_fire b0 task1:worker 400000\n"        \
    "400000.000 resume     b0 task1:worker 3\n"             \
    "400000.000 step       b0 task1:worker 100000000\n"     \
    "450000.000 i2c_start  b0 i2c0 addr=0x40 w\n"           \
    "450100.000 i2c_byte   b0 i2c0 wr 0x80 ack stretch=0\n" \
    "450200.000 i2c_byte   b0 i2c0 wr 0xe3 ack stretch=0\n" \
    "451000.000 i2c_stop   b0 i2c0 status=0\n"              \
    "500000.000 timer_arm  b0 task1:worker 600000\n"        \
    "500000.000 suspend    b0 task1:worker 4\n"             \
    "550000.000 timer_fire b0 task2:hog 550000\n"           \
    "550000.000 resume     b0 task2:hog 3\n"                \
    "550000.000 step       b0 task2:hog 150000000\n"        \
    "700000.000 timer_fire b0 task1:worker 600000\n"        \
    "700000.000 timer_arm  b0 task2:hog 2000000\n"          \
    "700000.000 suspend    b0 task2:hog 4\n"                \
    "700000.000 resume     b0 task1:worker 3\n"             \
    "700000.000 step       b0 task1:worker 50000000\n"      \
    "750000.000 done       b0 task1:worker 0\n"             \
    "800000.000 pin        b0 led=0\n"                      \
    "820000.000 irq_enter  b0 pin 3 btn\n"                  \
    "820002.000 irq_exit   b0 pin 3 btn\n"                  \
    "850000.000 nec_frame  -  ir addr=0x0004 cmd=0x12\n"    \
    "900000.000 note       b0 checkpoint 1 2\n"

/* Lanes in drawing order. */
enum { L_WORKER, L_HOG, L_IRQ, L_LED, L_UART, L_I2C, L_NEC, L_NOTE, L_COUNT };

static inline int synth_write(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs(SYNTH_TRACE, f);
    return fclose(f);
}

#endif
