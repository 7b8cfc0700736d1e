/*
 * Error codes shared by the scheduler, the primitives and the drivers.
 *
 * Zero means success; every failure is a distinct negative value so that a
 * caller can tell "the wait timed out" from "the task was cancelled" from "the
 * queue is full" without guessing.  UA_PENDING is not an error: it is what an
 * awaitable operation returns while the calling task is suspended (see
 * ua_coro.h).  Every code of every module is in the tables below, so a
 * status means one thing wherever it comes from, and ua_err_name() names
 * it.  Statuses fit an int16_t (the coroutine's status field).
 */
#ifndef UA_ERR_H
#define UA_ERR_H

/* X(name, value, message) */
#define UA_ERRNO_MAP(X)                                                        \
    X(UA_ECANCELLED, -1, "task was cancelled")                                \
    X(UA_ETIMEDOUT, -2, "timed out")                                          \
    X(UA_EINVAL, -3, "invalid argument")                                      \
    X(UA_EBUSY, -4, "already in use")                                         \
    X(UA_EFULL, -5, "queue is full")                                          \
    X(UA_EEMPTY, -6, "queue is empty")                                        \
    X(UA_ERANGE, -7, "delay longer than half the tick period")                \
    X(UA_ESELF, -8, "a task cannot cancel or join itself")                    \
    X(UA_EOVERRELEASE, -9, "semaphore released more than acquired")           \
    X(UA_ENOTOWNER, -10, "lock is not held by the caller")                    \
    X(UA_ENOTDONE, -11, "task has not finished")                              \
    X(UA_ESTOPPED, -12, "loop was stopped")                                   \
    X(UA_EIO, -13, "device I/O error")                                        \
    X(UA_ENODEV, -14, "no device answered")                                   \
    X(UA_ECRC, -15, "checksum mismatch")                                      \
    X(UA_EOVERFLOW, -16, "buffer overflow")

enum ua_err {
    UA_OK = 0,
    UA_PENDING = 1, /* not an error: the awaiting task is suspended */
#define UA__ERR_ENUM(name, value, msg) name = value,
    UA_ERRNO_MAP(UA__ERR_ENUM)
#undef UA__ERR_ENUM
    UA_ERR_DRIVER_BASE = -64 /* the first driver block starts here */
};

/*
 * Driver codes: one table, a block of UA_ERR_BLOCK codes per module, so no
 * two codes of the whole project share a value.  Module m owns
 * UA_ERR_BASE(m) down to UA_ERR_BASE(m) - (UA_ERR_BLOCK - 1).  The modules
 * of devices/ are listed here; blocks UA_MOD_USER0.. are for an
 * application's own drivers (ua_err_name calls their codes "UA_EUSER").
 *
 * X(module, index, name)
 */
#define UA_ERR_BLOCK 32
#define UA_ERR_MODULE_MAP(X)                                                   \
    X(UA_MOD_PUSHBUTTON, 0, "pushbutton")                                      \
    X(UA_MOD_SWITCH, 1, "switch")                                              \
    X(UA_MOD_DELAY, 2, "delay_ms")                                             \
    X(UA_MOD_NEC, 3, "nec_ir")                                                 \
    X(UA_MOD_HTU21D, 4, "htu21d")                                              \
    X(UA_MOD_HD44780, 5, "hd44780")                                            \
    X(UA_MOD_GPS, 6, "gps")                                                    \
    X(UA_MOD_STREAM, 7, "stream")                                              \
    X(UA_MOD_ASI2C, 8, "asi2c")                                                \
    X(UA_MOD_SYNCOM, 9, "syncom")

enum ua_err_module {
#define UA__MOD_ENUM(mod, index, name) mod = index,
    UA_ERR_MODULE_MAP(UA__MOD_ENUM)
#undef UA__MOD_ENUM
    UA_MOD_USER0 = 16, /* UA_MOD_USER0 .. UA_MOD_USER0 + 7: applications */
    UA_MOD_LIMIT = 24
};

/* The first (highest) code of module m's block. */
#define UA_ERR_BASE(m) (UA_ERR_DRIVER_BASE - UA_ERR_BLOCK * (int)(m))

/* A code's offset in module m's block (0 .. UA_ERR_BLOCK - 1), to index a
 * per-module counter array. */
#define UA_ERR_OFFSET(m, code) (UA_ERR_BASE(m) - (code))

/* The codes of each module: X(name, module, offset, message). */
#define UA_ERR_DRIVER_MAP(X)                                                   \
    X(PB_ESTOPPED, UA_MOD_PUSHBUTTON, 0, "pushbutton stopped")                 \
    X(PB_ECONFIG, UA_MOD_PUSHBUTTON, 1, "pushbutton: invalid configuration")   \
    X(PB_EPIN, UA_MOD_PUSHBUTTON, 2, "pushbutton: pin not configurable")       \
    X(SWITCH_ESTOPPED, UA_MOD_SWITCH, 0, "switch stopped")                     \
    X(SWITCH_EPIN, UA_MOD_SWITCH, 1, "switch: pin not configurable")           \
    X(DELAY_ESTOPPED, UA_MOD_DELAY, 0, "delay_ms stopped")                     \
    X(DELAY_ERANGE, UA_MOD_DELAY, 1, "delay_ms: duration above DELAY_MS_MAX_MS") \
    X(NEC_REPEAT, UA_MOD_NEC, 0, "repeat code (a result, not an error)")       \
    X(NEC_BADSTART, UA_MOD_NEC, 1,                                             \
      "leader space neither 4.5 ms (frame) nor 2.25 ms (repeat)")             \
    X(NEC_BADBLOCK, UA_MOD_NEC, 2, "data block too short or a bit out of timing") \
    X(NEC_BADREP, UA_MOD_NEC, 3,                                               \
      "malformed repeat, or no valid code in the last 250 ms")                \
    X(NEC_OVERRUN, UA_MOD_NEC, 4, "frame over 64 bits, or results lost: ring full") \
    X(NEC_BADDATA, UA_MOD_NEC, 5, "command does not match its complement")     \
    X(NEC_BADADDR, UA_MOD_NEC, 6, "16-bit address while extended is off")      \
    X(NEC_BADLEADER, UA_MOD_NEC, 7,                                            \
      "first mark not a 9 ms leader: noise or another protocol")              \
    X(NEC_ESTOPPED, UA_MOD_NEC, 8, "nec_ir stopped")                           \
    X(HTU21D_ENACK, UA_MOD_HTU21D, 0, "htu21d: no acknowledge")                \
    X(HTU21D_ENOTREADY, UA_MOD_HTU21D, 1, "htu21d: no measurement yet")        \
    X(HTU21D_ECRC, UA_MOD_HTU21D, 2, "htu21d: CRC mismatch")                   \
    X(HTU21D_ESTATUS, UA_MOD_HTU21D, 3, "htu21d: wrong status bits")           \
    X(HTU21D_EBUS, UA_MOD_HTU21D, 4, "htu21d: bus error")                      \
    X(HTU21D_EBUSY, UA_MOD_HTU21D, 5, "htu21d: a measurement is under way")    \
    X(HTU21D_ESTOPPED, UA_MOD_HTU21D, 6, "htu21d stopped")                     \
    X(HD44780_EGEOMETRY, UA_MOD_HD44780, 0, "hd44780: unsupported geometry")   \
    X(HD44780_EROW, UA_MOD_HD44780, 1, "hd44780: row out of range")            \
    X(HD44780_EPIN, UA_MOD_HD44780, 2, "hd44780: pin not configurable")        \
    X(HD44780_ESTOPPED, UA_MOD_HD44780, 3, "hd44780 stopped")                  \
    X(GPS_EBADCHAR, UA_MOD_GPS, 0, "character outside 0x20..0x7E in a sentence") \
    X(GPS_ETOOLONG, UA_MOD_GPS, 1, "sentence longer than GPS_NMEA_MAX_LEN")    \
    X(GPS_ENOCHECKSUM, UA_MOD_GPS, 2, "sentence has no '*' checksum")          \
    X(GPS_EBADCRC, UA_MOD_GPS, 3, "checksum mismatch or malformed checksum")   \
    X(GPS_ETRUNCATED, UA_MOD_GPS, 4, "sentence cut short by a new '$'")        \
    X(GPS_EUNSUPPORTED, UA_MOD_GPS, 5, "sentence type not decoded")            \
    X(GPS_EBADFIELD, UA_MOD_GPS, 6, "field missing or out of range")           \
    X(GPS_ETRUNC, UA_MOD_GPS, 7, "string truncated to the caller's buffer")    \
    X(GPS_ENODATA, UA_MOD_GPS, 8, "value not received from the receiver yet")  \
    X(GPS_ECMDINVALID, UA_MOD_GPS, 9, "receiver: invalid command (PMTK001 flag 0)") \
    X(GPS_ECMDUNSUPPORTED, UA_MOD_GPS, 10, "receiver: unsupported command (flag 1)") \
    X(GPS_ECMDFAILED, UA_MOD_GPS, 11,                                          \
      "receiver: valid command, action failed (flag 2)")                      \
    X(GPS_ENOPPS, UA_MOD_GPS, 12, "no PPS pulse within the last 1.5 s")        \
    X(GPS_EBADARG, UA_MOD_GPS, 13, "argument out of range")                    \
    X(GPS_ESTOPPED, UA_MOD_GPS, 14, "gps stopped")                             \
    X(STREAM_EBUSY, UA_MOD_STREAM, 0, "stream: another task uses this direction") \
    X(STREAM_ELINE, UA_MOD_STREAM, 1, "stream: line longer than the buffer")   \
    X(STREAM_ESTOPPED, UA_MOD_STREAM, 2, "stream stopped")                     \
    X(ASI2C_ETOOBIG, UA_MOD_ASI2C, 0, "asi2c: write longer than ASI2C_RXBUF")  \
    X(ASI2C_EBUSY, UA_MOD_ASI2C, 1, "asi2c: another task reads or writes")     \
    X(ASI2C_EPROTO, UA_MOD_ASI2C, 2, "asi2c: header with a bad length")        \
    X(ASI2C_ENOPEER, UA_MOD_ASI2C, 3, "asi2c: timed out, link not synced")     \
    X(ASI2C_ESTOPPED, UA_MOD_ASI2C, 4, "asi2c stopped")                        \
    X(SYNCOM_EBYTE, UA_MOD_SYNCOM, 0, "syncom: a byte outside 1..127")         \
    X(SYNCOM_ETOOLONG, UA_MOD_SYNCOM, 1, "syncom: empty or too long")          \
    X(SYNCOM_ENOPEER, UA_MOD_SYNCOM, 2, "syncom: timed out with the link down") \
    X(SYNCOM_EBUSY, UA_MOD_SYNCOM, 3, "syncom: another task sends or receives") \
    X(SYNCOM_ESTOPPED, UA_MOD_SYNCOM, 4, "syncom stopped")

enum ua_driver_err {
#define UA__DRV_ENUM(name, mod, off, msg) name = UA_ERR_BASE(mod) - (off),
    UA_ERR_DRIVER_MAP(UA__DRV_ENUM)
#undef UA__DRV_ENUM
};

/* A short English description of a status code; never NULL.  Codes of an
 * application's block read "application driver error". */
const char *ua_strerror(int status);

/* The symbolic name of a status code ("UA_ETIMEDOUT", "NEC_BADLEADER");
 * "UA_EUSER" for a code of an application's block, "UA_E?" for a value no
 * table has; never NULL. */
const char *ua_err_name(int status);

#endif /* UA_ERR_H */
