/* Numbered messages (see numbered.h). */
#include <stdio.h>
#include <string.h>

#include "numbered.h"

#define NUMBERED_MAX 256

size_t numbered_format(uint32_t n, uint32_t payload, uint8_t *buf, size_t cap)
{
    int k = snprintf((char *)buf, cap, "%lu:", (unsigned long)n);
    size_t len = (size_t)k;
    if (payload > cap)
        payload = (uint32_t)cap;
    for (; len < payload; len++)
        buf[len] = (uint8_t)('a' + (n + len) % 26);
    return len;
}

void numbered_take(numbered_rx_t *rx, const app_notify_t *notify,
                   const uint8_t *msg, size_t len)
{
    uint8_t want[NUMBERED_MAX];
    uint32_t n = 0;
    size_t i;
    for (i = 0; i < len && msg[i] >= '0' && msg[i] <= '9' && i < 9; i++)
        n = n * 10u + (uint32_t)(msg[i] - '0');
    if (i == 0 || n == 0 || len > sizeof want ||
        numbered_format(n, (uint32_t)len, want, sizeof want) != len ||
        memcmp(want, msg, len) != 0) {
        rx->corrupt++;
        app_notify(notify, "corrupt", (int32_t)n, (int32_t)len);
    } else if (n == rx->last_got + 1u) {
        rx->last_got = n;
        rx->got++;
        app_notify(notify, "got", (int32_t)n, (int32_t)len);
    } else if (n <= rx->last_got) {
        rx->dups++;
        app_notify(notify, "dup", (int32_t)n, (int32_t)rx->last_got);
    } else {
        rx->gaps++;
        app_notify(notify, "gap", (int32_t)n, (int32_t)rx->last_got);
        rx->last_got = n;
    }
}
