/*
 * MPS2 startup: vector table, reset handler, default interrupt handler.
 *
 * The reset handler copies .data from its load address, zeroes .bss, turns
 * on the FPU when the code was compiled for one, runs constructors and
 * calls main().  Every handler the application does not define is a weak
 * alias of Default_Handler, which reports the exception to a hook instead
 * of hanging silently.
 */
#include <stdint.h>

#include "mps2.h"

int main(void);

extern uint32_t __data_load, __data_start, __data_end;
extern uint32_t __bss_start, __bss_end, __stack_top;
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK_ALIAS __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_ALIAS;
void HardFault_Handler(void) WEAK_ALIAS;
void MemManage_Handler(void) WEAK_ALIAS;
void BusFault_Handler(void) WEAK_ALIAS;
void UsageFault_Handler(void) WEAK_ALIAS;
void SVC_Handler(void) WEAK_ALIAS;
void DebugMon_Handler(void) WEAK_ALIAS;
void PendSV_Handler(void) WEAK_ALIAS;
void SysTick_Handler(void) WEAK_ALIAS;
void UART0RX_Handler(void) WEAK_ALIAS;
void UART0TX_Handler(void) WEAK_ALIAS;
void UART1RX_Handler(void) WEAK_ALIAS;
void UART1TX_Handler(void) WEAK_ALIAS;
void UART2RX_Handler(void) WEAK_ALIAS;
void UART2TX_Handler(void) WEAK_ALIAS;
void TIMER0_Handler(void) WEAK_ALIAS;
void TIMER1_Handler(void) WEAK_ALIAS;
void DUALTIMER_Handler(void) WEAK_ALIAS;
void UARTOVF_Handler(void) WEAK_ALIAS;

typedef void (*vector_t)(void);

/* Cortex-M system exceptions, then the 32 MPS2 interrupts (mps2.h). */
__attribute__((section(".vectors"), used))
const vector_t mps2_vectors[16 + MPS2_IRQ_COUNT] = {
    (vector_t)(uintptr_t)&__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0, /* reserved */
    SVC_Handler,
    DebugMon_Handler,
    0, /* reserved */
    PendSV_Handler,
    SysTick_Handler,
    UART0RX_Handler, UART0TX_Handler, UART1RX_Handler, UART1TX_Handler, /* 0-3 */
    UART2RX_Handler, UART2TX_Handler, Default_Handler, Default_Handler, /* 4-7 */
    TIMER0_Handler, TIMER1_Handler, DUALTIMER_Handler, Default_Handler, /* 8-11 */
    UARTOVF_Handler, Default_Handler, Default_Handler, Default_Handler, /* 12-15 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, /* 16-19 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, /* 20-23 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, /* 24-27 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, /* 28-31 */
};

__attribute__((weak)) void mps2_fault_hook(uint32_t ipsr)
{
    (void)ipsr;
}

__attribute__((weak)) void mps2_exit_hook(int status)
{
    (void)status;
}

void Default_Handler(void)
{
    uint32_t ipsr;

    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    mps2_fault_hook(ipsr & 0x1FFu);
    for (;;)
        __asm__ volatile("wfi");
}

void Reset_Handler(void)
{
    uint32_t *src = &__data_load;

    for (uint32_t *dst = &__data_start; dst < &__data_end;)
        *dst++ = *src++;
    for (uint32_t *dst = &__bss_start; dst < &__bss_end;)
        *dst++ = 0;
#if defined(__ARM_FP)
    /* Full access to coprocessors 10 and 11 (the FPU) before any float. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
    mps2_exit_hook(main());
    for (;;)
        __asm__ volatile("wfi");
}
