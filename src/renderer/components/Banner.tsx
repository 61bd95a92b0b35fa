import type { ReactNode } from 'react';

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A message across the page; errors and warnings are announced at once. */
export function Banner({ tone, title, children }: { tone: Tone; title?: string; children?: ReactNode }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' || tone === 'warning' ? 'alert' : 'status'}>
      {title !== undefined && <strong className="banner-title">{title}</strong>}
      {children !== undefined && <div className="banner-body">{children}</div>}
    </div>
  );
}
