/*
 * The few ARMv7-M core registers and instructions the port needs.
 *
 * A tiny stand-in for CMSIS-Core (Debian does not package it), limited to
 * what every Cortex-M3/M4/M7 has: SysTick, the interrupt control register
 * and the NVIC enable bits, PRIMASK, WFI and the barriers.
 */
#ifndef UA_CM_REGS_H
#define UA_CM_REGS_H

#include <stdint.h>

#define UA_CM_REG(addr) (*(volatile uint32_t *)(addr))

/* SysTick (ARMv7-M ARM, B3.3). */
#define UA_SYST_CSR UA_CM_REG(0xE000E010u)
#define UA_SYST_RVR UA_CM_REG(0xE000E014u)
#define UA_SYST_CVR UA_CM_REG(0xE000E018u)
#define UA_SYST_CSR_ENABLE (1u << 0)
#define UA_SYST_CSR_TICKINT (1u << 1)
#define UA_SYST_CSR_CLKSOURCE (1u << 2) /* 1: the processor clock */

/* Interrupt Control and State Register: SysTick pending bit. */
#define UA_SCB_ICSR UA_CM_REG(0xE000ED04u)
#define UA_SCB_ICSR_PENDSTSET (1u << 26)
#define UA_SCB_ICSR_PENDSTCLR (1u << 25) /* write 1: forget a pending SysTick */

/* NVIC set-enable / clear-pending for external interrupt n. */
#define UA_NVIC_ISER(n) UA_CM_REG(0xE000E100u + 4u * ((n) >> 5))
#define UA_NVIC_ICPR(n) UA_CM_REG(0xE000E280u + 4u * ((n) >> 5))

static inline void ua_cm_nvic_enable(unsigned irq)
{
    UA_NVIC_ICPR(irq) = 1u << (irq & 31u);
    UA_NVIC_ISER(irq) = 1u << (irq & 31u);
}

static inline uint32_t ua_cm_get_primask(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, primask" : "=r"(v));
    return v;
}

/* The "memory" clobbers keep the compiler from moving loads and stores of
 * shared state across the mask/unmask. */
static inline void ua_cm_irq_disable(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
}

static inline void ua_cm_irq_enable(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
}

/* Current exception number (0 in thread mode). */
static inline uint32_t ua_cm_ipsr(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, ipsr" : "=r"(v));
    return v;
}

/* Sleep until an interrupt is pending.  With PRIMASK set the core still
 * wakes on a pending interrupt, it just does not take it yet. */
static inline void ua_cm_wfi(void)
{
    __asm__ volatile("dsb\n\twfi\n\tisb" ::: "memory");
}

#endif /* UA_CM_REGS_H */
