import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from './history-events';

export interface WorkflowHistory extends HistoryAndWorkflowId {
  runId: string;
  history: History;
}

/** `<workflowId>__<runId>.json`, the workflow id URI-encoded so any id is a safe file name. */
export function historyFileName(workflowId: string, runId: string): string {
  return `${encodeURIComponent(workflowId)}__${runId}.json`;
}

/**
 * A history file as the Web UI, `temporal workflow show --output json` and `audit:export` write it
 * (`{"events": [...]}`, payloads as stored). Ids come from its first event, else from the file name.
 */
export function readHistoryFile(path: string): WorkflowHistory {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not a JSON file (${(error as Error).message})`);
  }
  const history = historyFromJSON(json) as History;
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`${path}: not a workflow history (no WorkflowExecutionStarted first event)`);
  const fromName = decodeURIComponent(basename(path, '.json').split('__')[0]);
  return {
    workflowId: started.workflowId || fromName,
    runId: started.originalExecutionRunId ?? '',
    history,
  };
}

/** Every `*.json` history in `dir`, in file-name order. */
export function* historiesInDirectory(dir: string): Generator<WorkflowHistory> {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no *.json history files`);
  for (const file of files) yield readHistoryFile(join(dir, file));
}

/** Every run the visibility query matches, with its history fetched from the server. */
export async function* historiesMatching(client: Client, query: string): AsyncGenerator<WorkflowHistory> {
  for await (const execution of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    yield { workflowId: execution.workflowId, runId: execution.runId, history: history as History };
  }
}

/** A query matching every run of one workflow id (continued-as-new runs included). */
export function workflowIdQuery(workflowId: string): string {
  return `WorkflowId = ${JSON.stringify(workflowId)}`;
}

/** Writes a history as the Web UI and CLI export it; returns the file's path. */
export function writeHistoryFile(dir: string, workflow: WorkflowHistory): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, historyFileName(workflow.workflowId, workflow.runId));
  writeFileSync(path, historyToJSON(workflow.history as Parameters<typeof historyToJSON>[0]));
  return path;
}
