/* Status code names and messages, generated from the tables in ua_err.h. */
#include "ua_err.h"

/* Each driver code inside its module's block: checked at compile time.
 * Uniqueness needs no check of its own: two equal values would be
 * duplicate case labels in the switches below, a compile error. */
#define UA__CHECK(name, mod, off, msg)                                         \
    _Static_assert((off) >= 0 && (off) < UA_ERR_BLOCK,                         \
                   #name " is outside its module's block");
UA_ERR_DRIVER_MAP(UA__CHECK)
#undef UA__CHECK
#define UA__CHECK_MOD(mod, index, name)                                        \
    _Static_assert((index) < UA_MOD_USER0, #mod " overlaps the user blocks");
UA_ERR_MODULE_MAP(UA__CHECK_MOD)
#undef UA__CHECK_MOD
_Static_assert(UA_ERR_BASE(UA_MOD_LIMIT) >= -32768,
               "every status fits an int16_t");

static int user_block(int status)
{
    int below = UA_ERR_DRIVER_BASE - status;
    int m = below / UA_ERR_BLOCK;
    return status <= UA_ERR_DRIVER_BASE && m >= UA_MOD_USER0 && m < UA_MOD_LIMIT
               ? m
               : -1;
}

const char *ua_strerror(int status)
{
    switch (status) {
    case UA_OK:
        return "success";
    case UA_PENDING:
        return "operation pending";
#define UA__ERR_MSG(name, value, msg)                                          \
    case name:                                                                 \
        return msg;
        UA_ERRNO_MAP(UA__ERR_MSG)
#undef UA__ERR_MSG
#define UA__DRV_MSG(name, mod, off, msg)                                       \
    case name:                                                                 \
        return msg;
        UA_ERR_DRIVER_MAP(UA__DRV_MSG)
#undef UA__DRV_MSG
    default:
        return user_block(status) >= 0 ? "application driver error"
                                        : "unknown error";
    }
}

const char *ua_err_name(int status)
{
    switch (status) {
    case UA_OK:
        return "UA_OK";
    case UA_PENDING:
        return "UA_PENDING";
#define UA__ERR_NAME(name, value, msg)                                         \
    case name:                                                                 \
        return #name;
        UA_ERRNO_MAP(UA__ERR_NAME)
#undef UA__ERR_NAME
#define UA__DRV_NAME(name, mod, off, msg)                                      \
    case name:                                                                 \
        return #name;
        UA_ERR_DRIVER_MAP(UA__DRV_NAME)
#undef UA__DRV_NAME
    default:
        break;
    }
    /* An application names its own codes; the core only knows the block. */
    return user_block(status) >= 0 ? "UA_EUSER" : "UA_E?";
}
