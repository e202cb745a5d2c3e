import sqlite3


def create_tables(conn):
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS students (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            class_name TEXT NOT NULL,
            score REAL CHECK (score BETWEEN 0 AND 100)
        )
        """
    )
    conn.commit()


def add_students(conn, rows):
    rows = list(rows)
    try:
        with conn:  # 成功时提交，出现异常时回滚
            conn.executemany(
                "INSERT INTO students (name, class_name, score) VALUES (?, ?, ?)", rows
            )
    except sqlite3.IntegrityError as e:
        raise ValueError(f"数据无效：{e}") from e
    return len(rows)


def find_by_class(conn, class_name):
    cur = conn.execute(
        "SELECT name, score FROM students WHERE class_name = ? ORDER BY score DESC, name ASC",
        (class_name,),
    )
    return cur.fetchall()


def class_report(conn):
    cur = conn.execute(
        """
        SELECT class_name, COUNT(*), ROUND(AVG(score), 1) AS avg_score, MAX(score)
        FROM students
        GROUP BY class_name
        ORDER BY avg_score DESC
        """
    )
    return cur.fetchall()


def search_name(conn, keyword):
    cur = conn.execute(
        "SELECT name FROM students WHERE instr(name, ?) > 0 ORDER BY name", (keyword,)
    )
    return [row[0] for row in cur]
