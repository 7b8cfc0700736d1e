/*
 * Board support for ARM's MPS2 FPGA boards as QEMU models them: AN385
 * (Cortex-M3, `qemu-system-arm -M mps2-an385`) and AN386 (Cortex-M4F, same
 * memory map).  4 MiB of SSRAM at 0 holds code, 4 MiB at 0x20000000 data,
 * both clocked at 25 MHz; the CMSDK APB peripherals sit at 0x4000_0000.
 *
 * What is mapped to the hardware interface: the CMSDK UARTs, as ua_uart_t
 * (see mps2_uart_init).  QEMU does not model the MPS2 GPIO blocks or an I2C
 * master that drivers could talk to, so pins and I2C are not provided.
 */
#ifndef MPS2_H
#define MPS2_H

#include <stdint.h>

#include "ua_hw.h"

#define MPS2_CORE_HZ 25000000u
#define MPS2_REFCLK_HZ 1000000u /* SysTick's reference clock (QEMU: 1 MHz) */

/* External interrupt numbers (the vector table has 32). */
enum mps2_irq {
    MPS2_IRQ_UART0_RX = 0,
    MPS2_IRQ_UART0_TX = 1,
    MPS2_IRQ_UART1_RX = 2,
    MPS2_IRQ_UART1_TX = 3,
    MPS2_IRQ_UART2_RX = 4,
    MPS2_IRQ_UART2_TX = 5,
    MPS2_IRQ_TIMER0 = 8,
    MPS2_IRQ_TIMER1 = 9,
    MPS2_IRQ_DUALTIMER = 10,
    MPS2_IRQ_UART_OVERFLOW = 12, /* UART0-2 overruns, ORed together */
    MPS2_IRQ_COUNT = 32
};

/* CMSDK APB timer: a 32-bit down-counter at 25 MHz that interrupts (and
 * reloads) when it reaches zero. */
typedef struct mps2_timer_regs {
    volatile uint32_t ctrl; /* bit 0 enable, bit 3 interrupt enable */
    volatile uint32_t value;
    volatile uint32_t reload;
    volatile uint32_t intstatus; /* write 1 to clear */
} mps2_timer_regs_t;

#define MPS2_TIMER0 ((mps2_timer_regs_t *)0x40000000u)
#define MPS2_TIMER1 ((mps2_timer_regs_t *)0x40001000u)
#define MPS2_TIMER_CTRL_EN (1u << 0)
#define MPS2_TIMER_CTRL_IRQEN (1u << 3)

/* CMSDK APB UART: one-byte transmit and receive buffers. */
typedef struct mps2_uart_regs {
    volatile uint32_t data;
    volatile uint32_t state;     /* bit 0 TX full, bit 1 RX full, 2-3 overruns */
    volatile uint32_t ctrl;      /* bits 0-1 TX/RX enable, 2-3 TX/RX irq */
    volatile uint32_t intstatus; /* write 1 to clear */
    volatile uint32_t bauddiv;
} mps2_uart_regs_t;

#define MPS2_UART0 ((mps2_uart_regs_t *)0x40004000u)
#define MPS2_UART1 ((mps2_uart_regs_t *)0x40005000u)
#define MPS2_UART2 ((mps2_uart_regs_t *)0x40006000u)

/* --- UART as the drivers' ua_uart_t ---------------------------------------- */

#define MPS2_UART_RING 64 /* bytes buffered each way; a power of two */

/* One UART and its software buffers, owned by the application. */
typedef struct mps2_uart {
    ua_uart_t uart; /* hand &u->uart to drivers */
    mps2_uart_regs_t *regs;
    uint8_t index;
    volatile uint8_t rx_head, rx_tail, tx_head, tx_tail;
    uint8_t rx[MPS2_UART_RING];
    uint8_t tx[MPS2_UART_RING];
    volatile uint32_t errors; /* receive overruns and ring overflows */
    ua_uart_irq_cb cb;
    void *cb_arg;
    unsigned events;
} mps2_uart_t;

/*
 * Set up UART `index` (0-2) at `baud` and enable its interrupts: received
 * bytes go to the ring, queued bytes leave from it.  Returns 0 or UA_EINVAL.
 */
int mps2_uart_init(mps2_uart_t *u, unsigned index, uint32_t baud);

/* Polled output on UART0 (any context, no buffering): for a console. */
void mps2_console_write(const char *s, uint32_t n);

/* --- Startup hooks ------------------------------------------------------------ */

/* Called by the default handler (an unexpected interrupt or a fault) with
 * the exception number.  Weak: the board's version stops in a WFI loop. */
void mps2_fault_hook(uint32_t ipsr);

/* Called if main() returns.  Weak: the board's version sleeps forever. */
void mps2_exit_hook(int status);

#endif /* MPS2_H */
