/* Status code names and messages, generated from UA_ERRNO_MAP. */
#include "ua_err.h"

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
    default:
        return status <= UA_ERR_DRIVER_BASE ? "driver error" : "unknown error";
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
    default:
        return "UA_E?";
    }
}
