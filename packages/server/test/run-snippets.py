"""Runs bank code snippets, each in a fresh namespace, and reports their stdout as JSON.

Input (stdin): [{"id": ..., "code": ...}]; output: {"<id>": {"stdout": ..., "error": ...}}.
One interpreter for all snippets: starting Python (and importing numpy/pandas)
once per snippet would dominate the test's time.
"""
import contextlib, io, json, os, sys, tempfile, traceback

items = json.load(sys.stdin)
results = {}
for item in items:
    out = io.StringIO()
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(item["code"], item["id"], "exec"), {"__name__": "__main__"})
            results[item["id"]] = {"stdout": out.getvalue(), "error": None}
        except BaseException:
            results[item["id"]] = {"stdout": out.getvalue(), "error": traceback.format_exc(limit=3)}
        finally:
            os.chdir(cwd)
json.dump(results, sys.__stdout__, ensure_ascii=False)
