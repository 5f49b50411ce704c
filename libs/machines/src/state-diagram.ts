/**
 * A chart as a picture: Mermaid `stateDiagram-v2` text read from an XState machine's own state
 * nodes (states, initial states, final states, nested states, and every transition with its event
 * and guard), so the pictures in the docs are generated from the charts the workflows run and cannot
 * drift from them. Pure: no I/O, the same machine always gives the same text.
 */

/** The parts of an XState v5 state node the picture reads. */
interface StateNodeLike {
  key: string;
  path: string[];
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  states: Record<string, StateNodeLike>;
  initial?: { target: readonly StateNodeLike[] };
  transitions: Map<string, readonly TransitionLike[]>;
  always?: readonly TransitionLike[];
}

interface TransitionLike {
  target?: readonly StateNodeLike[];
  guard?: unknown;
}

export interface MachineLike {
  root: unknown;
}

/** The Mermaid id of a state: its path, so nested states of the same name stay apart. */
function idOf(node: StateNodeLike): string {
  return node.path.join('_');
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  const type = (guard as { type?: unknown }).type;
  return typeof type === 'string' ? type : 'guard';
}

/** What an edge says: the event (a delay or a done event in words), then the guard in brackets. */
function label(eventType: string | null, guard: unknown): string {
  let event = eventType ?? '';
  const after = /^xstate\.after\.([^.]+)\./.exec(event);
  if (after) event = `after ${after[1]}`;
  else if (event.startsWith('xstate.done.state.')) event = 'done';
  const name = guardName(guard);
  return [event, name ? `[${name}]` : ''].filter(Boolean).join(' ');
}

function edge(from: string, to: string, text: string): string {
  return text ? `${from} --> ${to}: ${text}` : `${from} --> ${to}`;
}

/** The edges leaving `node` for the transitions it declares itself (a targetless one is a self-loop). */
function ownEdges(node: StateNodeLike, from: string): string[] {
  const lines: string[] = [];
  for (const [eventType, transitions] of node.transitions) {
    for (const transition of transitions) {
      const targets = transition.target?.length ? transition.target.map(idOf) : [from];
      for (const to of targets) lines.push(edge(from, to, label(eventType, transition.guard)));
    }
  }
  for (const transition of node.always ?? []) {
    const targets = transition.target?.length ? transition.target.map(idOf) : [from];
    for (const to of targets) lines.push(edge(from, to, label(null, transition.guard)));
  }
  return lines;
}

/**
 * The machine's own transitions (declared on the root) apply in every state that does not handle the
 * event itself; a diagram has no node for the root, so they are drawn from each such top-level state
 * that can rest (not final, no eventless transition).
 */
function inheritedEdges(root: StateNodeLike): string[] {
  const lines: string[] = [];
  for (const child of Object.values(root.states)) {
    if (child.type === 'final' || (child.always?.length ?? 0) > 0) continue;
    for (const [eventType, transitions] of root.transitions) {
      if (child.transitions.has(eventType)) continue;
      for (const transition of transitions) {
        const targets = transition.target?.length ? transition.target.map(idOf) : [idOf(child)];
        for (const to of targets) lines.push(edge(idOf(child), to, label(eventType, transition.guard)));
      }
    }
  }
  return lines;
}

/** The lines that draw the children of `parent`, indented by `depth`. */
function body(parent: StateNodeLike, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const children = Object.values(parent.states);
  const lines: string[] = [];
  if (parent.type === 'parallel') {
    children.forEach((child, index) => {
      if (index > 0) lines.push(`${pad}--`);
      lines.push(...region(child, depth));
    });
    return lines;
  }
  for (const initial of parent.initial?.target ?? []) lines.push(`${pad}[*] --> ${idOf(initial)}`);
  for (const child of children) {
    const id = idOf(child);
    if (child.key !== id) lines.push(`${pad}state "${child.key}" as ${id}`);
    if (Object.keys(child.states).length > 0) lines.push(...region(child, depth));
  }
  if (parent.path.length === 0) lines.push(...inheritedEdges(parent).map((line) => pad + line));
  for (const child of children) {
    lines.push(...ownEdges(child, idOf(child)).map((line) => pad + line));
    if (child.type === 'final') lines.push(`${pad}${idOf(child)} --> [*]`);
  }
  return lines;
}

/** A compound or parallel state as a `state <id> { … }` block. */
function region(node: StateNodeLike, depth: number): string[] {
  const pad = '  '.repeat(depth);
  if (Object.keys(node.states).length === 0) return [`${pad}${idOf(node)}`];
  return [`${pad}state ${idOf(node)} {`, ...body(node, depth + 1), `${pad}}`];
}

/** The Mermaid `stateDiagram-v2` text of `machine`, ending with a newline. */
export function stateDiagram(machine: MachineLike): string {
  const root = machine.root as StateNodeLike;
  return ['stateDiagram-v2', ...body(root, 1)].join('\n') + '\n';
}
