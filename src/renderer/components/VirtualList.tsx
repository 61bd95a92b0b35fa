import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualListProps {
  label: string;
  count: number;
  /** Every row has this height in CSS pixels (the same at any zoom). */
  rowHeight: number;
  rowKey(index: number): string;
  renderRow(index: number): ReactNode;
  /** The row the keyboard is on. */
  active: number;
  onActive(index: number): void;
  /** Keep the last row in view as rows are added (follow mode). */
  stickToEnd?: boolean;
  className?: string;
}

const OVERSCAN = 8;

/**
 * A list that renders only the rows in view, so that twenty thousand rows scroll as smoothly
 * as twenty. It is one tab stop; arrow keys, Page Up/Down, Home and End move through it.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight } = props;
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = ref.current;
    if (props.stickToEnd === true && element !== null) element.scrollTop = element.scrollHeight;
  }, [count, props.stickToEnd]);

  const reveal = (index: number): void => {
    const element = ref.current;
    if (element === null) return;
    const top = index * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (count === 0) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: props.active + 1,
      ArrowUp: props.active - 1,
      PageDown: props.active + page,
      PageUp: props.active - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.min(count - 1, Math.max(0, target));
    props.onActive(next);
    reveal(next);
  };

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let index = first; index < last; index += 1) {
    rows.push(
      <div
        key={props.rowKey(index)}
        id={`${id}-${index}`}
        role="option"
        aria-selected={index === props.active}
        aria-setsize={count}
        aria-posinset={index + 1}
        className={index === props.active ? 'vrow active' : 'vrow'}
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
        onMouseDown={() => props.onActive(index)}
      >
        {props.renderRow(index)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      role="listbox"
      aria-label={props.label}
      tabIndex={0}
      aria-activedescendant={count === 0 ? undefined : `${id}-${props.active}`}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-space" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
