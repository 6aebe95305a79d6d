// Windowing for a list of fixed-height rows in a scroll container with a sticky header row: which
// rows are in view (plus some overscan), from scrollTop and the container's height alone. Row
// heights never vary, so nothing is measured per row and nothing per row is allocated: the window
// of 100,000 rows costs the same as that of 100. The first render assumes the window's height (at
// least the container's), so the first rows are in the very first commit, without a second pass.

import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  /** First and one-past-last row index to render. */
  start: number;
  end: number;
  /** Scrolls the least distance that shows row `index` below the sticky header. */
  scrollToIndex(index: number): void;
  onScroll(): void;
}

interface Viewport {
  top: number;
  height: number;
}

export function useRowWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, headerHeight: number, overscan: number): RowWindow {
  const [viewport, setViewport] = useState<Viewport>(() => ({ top: 0, height: typeof window === 'undefined' ? 1000 : window.innerHeight }));

  const read = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setViewport((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, [ref]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, read]);

  // a shorter list can leave scrollTop past its end; the browser clamps it, read it back
  useEffect(read, [count, read]);

  const first = Math.floor(Math.max(0, viewport.top - headerHeight) / rowHeight);
  const last = Math.ceil((viewport.top + viewport.height) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = ref.current;
      if (!el) return;
      const top = headerHeight + index * rowHeight;
      if (top - headerHeight < el.scrollTop) el.scrollTop = top - headerHeight;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [ref, rowHeight, headerHeight],
  );

  return { start, end, scrollToIndex, onScroll: read };
}
