import { isInput } from '../readers/registry';
import { span } from '../text/source';
import { Checker, rule } from './rule';

const MB = 1024 * 1024;

export const FILE001 = rule<{ size: number; limit: number }>({
  code: 'FILE001',
  severity: 'information',
  title: 'File skipped: over the size limit',
  description: 'A file over the size limit was skipped (`--max-file-size` or `lyncKst.maxFileSize`, default 16 MB).',
  message: (a) =>
    `Skipped: the file is ${(a.size / MB).toFixed(1)} MB, over the ${(a.limit / MB).toFixed(1)} MB limit, so its KST entries are not ` +
    `simulated. Raise the limit with --max-file-size (CLI) or the lyncKst.maxFileSize setting.`,
});

export const FILE002 = rule<{ what: string }>({
  code: 'FILE002',
  severity: 'error',
  title: 'Named file is not an input lync-kst reads',
  description:
    'A file named on the command line is not a topology, `.tbxml`, dial-plan export or trusted-application script: a mis-saved export ' +
    'does not pass CI unnoticed.',
  message: (a) =>
    `Not read: this file was named to be checked, but it is ${a.what}, not a topology export, .tbxml, UM dial-plan export or ` +
    `trusted-application script. A mis-saved export must not pass a check unnoticed.`,
});

export const FILE003 = rule<{ what: string }>({
  code: 'FILE003',
  severity: 'hint',
  title: 'File not recognised as an input',
  description: 'A file found in a scanned folder is not an input; the finding says what it is.',
  message: (a) => `Not an input lync-kst reads: ${a.what}, so it is not part of the simulated deployment.`,
});

export const FILE004 = rule<{ why: string }>({
  code: 'FILE004',
  severity: 'error',
  title: 'File could not be read',
  description:
    'A file that could not be read: not a regular file (FIFO, device, socket), a dangling link or link loop, permission denied, missing.',
  message: (a) =>
    `Not read: ${a.why}. Whatever it holds is missing from the simulated Known Servers Table, so the result may be incomplete.`,
});

export const FILE005 = rule<{ why: string }>({
  code: 'FILE005',
  severity: 'warning',
  title: 'Object in an export that its reader does not read',
  description:
    'An `Export-Clixml` file read as one kind of export (dial plans, trusted applications) also holds objects of another kind: ' +
    'those are not simulated.',
  message: (a) => a.why,
});

/** FILE001–FILE004: every file given either contributes or says why not. */
export const fileChecker: Checker = {
  name: 'files',
  rules: [FILE001, FILE002, FILE003, FILE004],
  check(ctx) {
    for (const input of ctx.inputs) {
      if (isInput(input)) continue;
      const at = span(input.file, 0, 0);
      switch (input.kind) {
        case 'too-large':
          ctx.report(FILE001, at, { size: input.size, limit: input.limit });
          break;
        case 'unreadable':
          ctx.report(FILE004, at, { why: input.why });
          break;
        case 'other':
          ctx.report(input.file.disk?.named ? FILE002 : FILE003, at, { what: input.what });
          break;
      }
    }
  },
};
