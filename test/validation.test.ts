import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Diagnostic } from 'vscode-languageserver';
import { WorkspaceFiles } from '../server/src/lsp/files';
import { DEFAULT_CONFIG } from '../server/src/workspace/config';
import { Validation } from '../server/src/lsp/validation';
import { AnalysisOptions } from '../server/src/workspace/analyze';
import { ROOT } from './helpers';

test('a validation that fails replaces the diagnostics it can no longer vouch for with INT001, never keeps them silently', async () => {
  const files = new WorkspaceFiles();
  files.setFolders([pathToFileURL(path.join(ROOT, 'examples', 'contoso')).toString()]);
  files.configure(DEFAULT_CONFIG);
  await files.scan();
  const published = new Map<string, Diagnostic[]>();
  const errors: string[] = [];
  let fail = false;
  const validation = new Validation(
    {
      files,
      options: (): AnalysisOptions => {
        if (fail) throw new Error('settings could not be read');
        return {};
      },
      relatedInformation: () => true,
      publish: (uri, _version, diagnostics) => published.set(uri, diagnostics),
      status: () => undefined,
      error: (m) => errors.push(m),
    },
    0,
  );
  validation.schedule();
  await validation.current();
  const topology = [...published.keys()].find((u) => u.endsWith('topology.xml'))!;
  assert.deepEqual(
    published.get(topology)!.map((d) => d.code),
    ['KST001'],
  );

  fail = true;
  validation.schedule();
  await validation.current();
  const now = published.get(topology)!;
  assert.deepEqual(
    now.map((d) => d.code),
    ['INT001'],
    'the old KST001 is not left standing as if it were current',
  );
  assert.match(
    String(now[0].message),
    /failed while validating the workspace; the diagnostics shown before may be out of date \(Error: settings could not be read\)/,
  );
  assert.match(errors.join('\n'), /Validation failed: Error: settings could not be read/);
});
