/** The most characters of a path's end that always stay in view: its file or folder name. */
const TAIL_MAX = 40;

/**
 * A path on one line, cut in the middle when it does not fit ("/home/ann/…/rollout-2026.jsonl"):
 * the start says where it is, the end which file. The whole path is its text (what is copied and
 * read aloud) and shows on hover.
 */
export function PathText({ path }: { path: string }) {
  const slash = path.lastIndexOf('/', path.length - 2);
  const cut = Math.max(slash + 1, path.length - TAIL_MAX);
  return (
    <span className="path mono" title={path}>
      <span className="path-head">{path.slice(0, cut)}</span>
      <span className="path-tail">{path.slice(cut)}</span>
    </span>
  );
}
