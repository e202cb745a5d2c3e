import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** True while the first load (or a load after an error) is running. */
  loading: boolean;
  /** True while any load is running, including a background refresh. */
  refreshing: boolean;
  /** When the data last arrived (ms since epoch). */
  loadedAt: number | null;
  reload: () => void;
}

/**
 * Loads data with `load` and keeps the last good result during a reload, so a
 * refresh does not blank the page. A newer load aborts an older one. To show
 * different data (another sitting), remount the component with a `key`.
 */
export function useLoader<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; running: boolean; loadedAt: number | null }>({
    data: undefined,
    error: undefined,
    running: true,
    loadedAt: null,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ ...s, running: true }));
    loadRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ data, error: undefined, running: false, loadedAt: Date.now() });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setState((s) => ({ ...s, error, running: false }));
      },
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return {
    data: state.data,
    error: state.error,
    loading: state.running && state.data === undefined,
    refreshing: state.running,
    loadedAt: state.loadedAt,
    reload,
  };
}

/** Calls `fn` every `ms` while the page is visible, and once when it becomes visible again. */
export function useInterval(fn: () => void, ms: number): void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const id = window.setInterval(() => {
      if (!document.hidden) fnRef.current();
    }, ms);
    const onVisible = () => {
      if (!document.hidden) fnRef.current();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(id);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [ms]);
}

/** antd's pagination props for a table paged on the server. */
export interface PagingProps {
  current: number;
  pageSize: number;
  total: number;
  showSizeChanger: true;
  pageSizeOptions?: number[];
  showTotal: (total: number) => string;
  onChange: (page: number, size: number) => void;
}

/**
 * A table paged on the server: the page, its size, and the table's pagination
 * props. Choosing another page size starts again at page 1.
 */
export function usePaging(initialSize: number, sizes?: number[]) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialSize);
  const pagination = (total: number, showTotal: (total: number) => string): PagingProps => ({
    current: page,
    pageSize,
    total,
    showSizeChanger: true,
    ...(sizes ? { pageSizeOptions: sizes } : {}),
    showTotal,
    onChange: (p, s) => {
      setPage(s !== pageSize ? 1 : p);
      setPageSize(s);
    },
  });
  return { page, pageSize, setPage, pagination };
}
