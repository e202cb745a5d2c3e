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


def add_students(conn, rows):
    # 错误：逐行插入并逐行提交，出错时前面的行已经提交，无法回滚
    n = 0
    for row in rows:
        try:
            conn.execute("INSERT INTO students (name, class_name, score) VALUES (?, ?, ?)", row)
            conn.commit()
        except sqlite3.IntegrityError as e:
            raise ValueError(str(e))
        n += 1
    return n


def find_by_class(conn, class_name):
    return conn.execute(
        "SELECT name, score FROM students WHERE class_name = ? ORDER BY score DESC, name",
        (class_name,),
    ).fetchall()


def class_report(conn):
    return conn.execute(
        "SELECT class_name, COUNT(*), ROUND(AVG(score), 1) AS a, MAX(score) FROM students "
        "GROUP BY class_name ORDER BY a DESC"
    ).fetchall()


def search_name(conn, keyword):
    # 错误：用字符串拼接生成 SQL
    sql = f"SELECT name FROM students WHERE name LIKE '%{keyword}%' ORDER BY name"
    return [r[0] for r in conn.execute(sql)]
