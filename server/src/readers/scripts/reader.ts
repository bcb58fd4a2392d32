import { Reader } from '../reader';
import { scriptOutline } from './outline';
import { parseScript } from './parse';

const SCRIPT_EXT = /\.(ps1|psm1)$/i;

/** Trusted-application PowerShell scripts, by extension: PowerShell has no marker to know them by. */
export const scriptReader: Reader = {
  kind: 'script',
  what: 'script',
  comments: 'script',
  accepts: (file) => SCRIPT_EXT.test(file.path),
  read: (file) => ({ problems: [], contributes: { scripts: [parseScript(file)] } }),
  outline: (input) => scriptOutline(input.file.text),
};
