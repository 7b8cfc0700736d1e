"""NMEA 0183 sentences for scenarios: a receiver's output from a track."""


def checksum(body):
    c = 0
    for ch in body.encode():
        c ^= ch
    return f"{c:02X}"


def sentence(body):
    return f"${body}*{checksum(body)}\r\n"


def _angle(value, deg_digits, pos, neg):
    hemi = pos if value >= 0 else neg
    value = abs(value)
    deg = int(value)
    minutes = (value - deg) * 60
    return f"{deg:0{deg_digits}d}{minutes:07.4f}", hemi


def rmc(t_s, lat, lon, knots=0.0, course=0.0, date="261126"):
    hh, mm, ss = int(t_s // 3600) % 24, int(t_s // 60) % 60, t_s % 60
    la, ns = _angle(lat, 2, "N", "S")
    lo, ew = _angle(lon, 3, "E", "W")
    return sentence(f"GPRMC,{hh:02d}{mm:02d}{ss:05.2f},A,{la},{ns},{lo},{ew},"
                    f"{knots:.1f},{course:.1f},{date},,,A")


def gga(t_s, lat, lon, sats=8, hdop=0.9, alt=35.0):
    hh, mm, ss = int(t_s // 3600) % 24, int(t_s // 60) % 60, t_s % 60
    la, ns = _angle(lat, 2, "N", "S")
    lo, ew = _angle(lon, 3, "E", "W")
    return sentence(f"GPGGA,{hh:02d}{mm:02d}{ss:05.2f},{la},{ns},{lo},{ew},1,"
                    f"{sats:02d},{hdop:.1f},{alt:.1f},M,47.0,M,,")


def track(uart, start_ms, seconds, lat, lon, dlat=0.0, dlon=0.0, t0_s=43200.0):
    """Feed one RMC+GGA burst per second from start_ms, moving by
    (dlat, dlon) degrees per second."""
    for i in range(seconds):
        text = rmc(t0_s + i, lat + i * dlat, lon + i * dlon) + \
            gga(t0_s + i, lat + i * dlat, lon + i * dlon)
        uart.feed(text, at=start_ms + 1000 * i)
