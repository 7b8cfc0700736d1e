/*
 * The thermostat on a board: QEMU's MPS2-AN386 (Cortex-M4F), through
 * uasync's Cortex-M port and MPS2 board support (pkg-config uasync-mps2).
 *
 * The button and the relay are CMSDK GPIO0 pins 0 and 1.  The MPS2 has no
 * HTU21D: its I2C here answers every transfer with UA_ENODEV (the
 * thermostat then keeps the relay off and the driver counts the NACKs).
 * On your board, put your I2C controller's driver behind ua_i2c_ops.
 * No heap: every object is static.
 */
#include <stdint.h>

#include "mps2.h"
#include "thermostat.h"
#include "ua_cmport.h"

#define GPIO0 0x40010000u
#define GPIO_DATA (*(volatile uint32_t *)(GPIO0 + 0x000))
#define GPIO_DATAOUT (*(volatile uint32_t *)(GPIO0 + 0x004))
#define GPIO_OUTENSET (*(volatile uint32_t *)(GPIO0 + 0x010))
#define GPIO_OUTENCLR (*(volatile uint32_t *)(GPIO0 + 0x014))

static int gpio_configure(ua_pin_t *pin, enum ua_pin_mode mode)
{
    if (mode == UA_PIN_OUTPUT)
        GPIO_OUTENSET = 1u << pin->id;
    else
        GPIO_OUTENCLR = 1u << pin->id;
    return 0;
}

static int gpio_read(ua_pin_t *pin)
{
    return (int)((GPIO_DATA >> pin->id) & 1u);
}

static void gpio_write(ua_pin_t *pin, int level)
{
    if (level)
        GPIO_DATAOUT |= 1u << pin->id;
    else
        GPIO_DATAOUT &= ~(1u << pin->id);
}

/* The pushbutton driver samples the pin: no interrupt needed. */
static int gpio_set_irq(ua_pin_t *pin, unsigned edges, ua_pin_irq_cb cb,
                        void *arg)
{
    (void)pin;
    (void)cb;
    (void)arg;
    return edges == 0 ? 0 : UA_EINVAL;
}

static const struct ua_pin_ops gpio_ops = {gpio_configure, gpio_read,
                                           gpio_write, gpio_set_irq};

static int no_i2c(ua_i2c_t *bus, uint8_t addr, const uint8_t *wr, size_t wn,
                  uint8_t *rd, size_t rn)
{
    (void)bus;
    (void)addr;
    (void)wr;
    (void)wn;
    (void)rd;
    (void)rn;
    return UA_ENODEV;
}

static const struct ua_i2c_ops i2c_ops = {no_i2c};

static ua_pin_t button = {&gpio_ops, NULL, 0};
static ua_pin_t relay = {&gpio_ops, NULL, 1};
static ua_i2c_t bus = {&i2c_ops, NULL, 0};
static ua_cm_port_t port;
static ua_loop_t loop;
static thermostat_t thermostat;

static void log_event(void *ctx, const char *event, int32_t a, int32_t b)
{
    (void)ctx;
    (void)a;
    (void)b;
    for (uint32_t n = 0; event[n] != '\0'; n++)
        if (event[n + 1] == '\0')
            mps2_console_write(event, n + 1);
    mps2_console_write("\n", 1);
}

int main(void)
{
    static const thermostat_config_t cfg = THERMOSTAT_CONFIG_DEFAULT;
    if (ua_cm_port_init(&port, &loop, MPS2_CORE_HZ, 0) != 0)
        return 1;
    if (thermostat_start(&thermostat, &loop, &bus, &button, &relay, &cfg,
                         log_event, NULL) != 0)
        return 2;
    ua_loop_run_forever(&loop);
    return 0;
}
