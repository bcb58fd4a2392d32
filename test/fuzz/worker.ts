/**
 * Runs one case at a time for runner.ts, in a worker thread the runner can terminate when a
 * case hangs and that dies alone when a case runs out of memory.
 */
import { parentPort } from 'node:worker_threads';
import { SourceFile } from '../../server/src/text/source';
import { analyzeTimed, checkInvariants, thrown, Violation } from './invariants';
import type { InputFile } from './mutate';

export interface CaseRequest {
  files: InputFile[];
}

export interface CaseResult {
  violations: Violation[];
  /** Findings and inputs of the first analysis, when there is one: a harness that reads nothing shows. */
  findings?: number;
  inputs?: number;
  ms: number;
}

/** 'ready' comes once the modules are loaded, so a case's time limit does not include start-up. */
export type WorkerMessage = 'ready' | CaseResult;

// Deep enough to see which rule called the failing helper; a stack overflow still stays short.
Error.stackTraceLimit = 30;

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of runner.ts');

const send = (m: WorkerMessage): void => port.postMessage(m);
port.on('message', (req: CaseRequest) => send(runCase(req)));
send('ready');

function runCase(req: CaseRequest): CaseResult {
  let files: SourceFile[];
  try {
    files = req.files.map((f) => SourceFile.fromBytes(f.path, f.bytes));
  } catch (e) {
    return { violations: [thrown('decode-throws', 'SourceFile.fromBytes', e)], ms: 0 };
  }
  const analysed = analyzeTimed(files);
  let violations: Violation[];
  try {
    violations = checkInvariants(files, analysed);
  } catch (e) {
    // The checks read what the engine returned; a malformed result can break them too.
    violations = [thrown('invariant-check-throws', 'checkInvariants', e)];
  }
  const analysis = 'analysis' in analysed ? analysed.analysis : undefined;
  return { violations, findings: analysis?.findings.length, inputs: analysis?.inputs.length, ms: analysed.ms };
}
