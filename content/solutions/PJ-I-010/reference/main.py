import re
from collections import Counter

MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}

OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
LINE_RE = re.compile(
    rf"^(?P<ip>{OCTET}(?:\.{OCTET}){{3}}) \S+ \S+ "
    r"\[(?P<day>\d{2})/(?P<mon>[A-Z][a-z]{2})/(?P<year>\d{4}):(?P<hms>\d{2}:\d{2}:\d{2}) [+-]\d{4}\] "
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" '
    r"(?P<status>\d{3}) (?P<size>\d+|-)$"
)


def parse_line(line):
    m = LINE_RE.match(line.strip())
    if not m or m["mon"] not in MONTHS:
        return None
    return {
        "ip": m["ip"],
        "time": f"{m['year']}-{MONTHS[m['mon']]:02d}-{m['day']} {m['hms']}",
        "method": m["method"],
        "path": m["path"],
        "status": int(m["status"]),
        "size": 0 if m["size"] == "-" else int(m["size"]),
    }


def summarize(lines):
    valid, invalid = [], 0
    for line in lines:
        if not line.strip():
            continue
        rec = parse_line(line)
        if rec is None:
            invalid += 1
        else:
            valid.append(rec)
    status = dict(sorted(Counter(r["status"] for r in valid).items()))
    ips = Counter(r["ip"] for r in valid)
    top_ip = min(ips.items(), key=lambda kv: (-kv[1], kv[0])) if ips else None
    return {
        "valid": len(valid),
        "invalid": invalid,
        "status": status,
        "top_ip": top_ip,
        "bytes": sum(r["size"] for r in valid),
    }


def main():
    with open("access.log", encoding="utf-8") as f:
        s = summarize(f)
    print(f"有效行数：{s['valid']}")
    print(f"无效行数：{s['invalid']}")
    print("状态码：" + " ".join(f"{code}×{n}" for code, n in s["status"].items()))
    if s["top_ip"]:
        print(f"最多访问 IP：{s['top_ip'][0]}（{s['top_ip'][1]} 次）")
    print(f"总流量：{s['bytes'] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
