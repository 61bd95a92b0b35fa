/** The most characters of a path's end that always stay in view: its file or folder name. */
const TAIL_MAX = 40;

/**
 * A path on one line, cut in the middle when it does not fit ("/home/ann/…/rollout-2026.jsonl"):
 * the start says where it is, the end which file; the whole path shows on hover. The two drawn
 * halves are CSS content with no text for assistive technology; the path itself is one hidden
 * text node, so that it is read, found and named whole (two boxes would be read with a space).
 */
export function PathText({ path }: { path: string }) {
  const slash = path.lastIndexOf('/', path.length - 2);
  const cut = Math.max(slash + 1, path.length - TAIL_MAX);
  return (
    <span className="path mono" title={path} data-head={path.slice(0, cut)} data-tail={path.slice(cut)}>
      <span className="sr-only">{path}</span>
    </span>
  );
}
