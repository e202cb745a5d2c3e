import re
from collections import Counter

MONTHS = {"Jan": "01", "Feb": "02", "Mar": "03", "Apr": "04", "May": "05", "Jun": "06",
          "Jul": "07", "Aug": "08", "Sep": "09", "Oct": "10", "Nov": "11", "Dec": "12"}

# 错误：IP 每段只检查了 1～3 位数字，没有检查 0～255
LINE_RE = re.compile(
    r'(\d{1,3}(?:\.\d{1,3}){3}) \S+ \S+ \[(\d{2})/(\w{3})/(\d{4}):([\d:]{8}) [+-]\d{4}\] '
    r'"(\w+) (\S+) HTTP/[\d.]+" (\d{3}) (\d+|-)'
)


def parse_line(line):
    m = LINE_RE.match(line.strip())
    if not m:
        return None
    ip, day, mon, year, hms, method, path, status, size = m.groups()
    return {
        "ip": ip,
        "time": f"{year}-{MONTHS[mon]}-{day} {hms}",
        "method": method,
        "path": path,
        "status": int(status),
        "size": 0 if size == "-" else int(size),
    }


def summarize(lines):
    recs, invalid = [], 0
    for line in lines:
        if not line.strip():
            continue
        r = parse_line(line)
        if r:
            recs.append(r)
        else:
            invalid += 1
    ips = Counter(r["ip"] for r in recs)
    return {
        "valid": len(recs),
        "invalid": invalid,
        "status": dict(Counter(r["status"] for r in recs)),
        # 错误：次数相同时取的是先出现的 IP
        "top_ip": ips.most_common(1)[0] if ips else None,
        "bytes": sum(r["size"] for r in recs),
    }


def main():
    with open("access.log", encoding="utf-8") as f:
        s = summarize(f)
    print(f"有效行数：{s['valid']}")
    print(f"无效行数：{s['invalid']}")
    print("状态码：" + " ".join(f"{k}×{v}" for k, v in sorted(s["status"].items())))
    if s["top_ip"]:
        print(f"最多访问 IP：{s['top_ip'][0]}（{s['top_ip'][1]} 次）")
    print(f"总流量：{s['bytes'] / 1024:.1f} KB")


if __name__ == "__main__":
    main()
