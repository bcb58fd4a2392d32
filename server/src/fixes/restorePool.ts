import { lineBreakOf } from '../text/lines';
import { SourceFile } from '../text/source';
import { Topology } from '../topology/model';
import { servicesElement } from '../topology/read';
import { FoundMarker } from './marker';
import { Fix, TextEdit } from './model';

/**
 * KST003's fix: put back the pool an Option 1 marker recorded, verbatim, in place of the
 * marker (the services go back at the end of <Services>). Undefined when the marker holds
 * nothing to restore for this kind of file.
 */
export function restorePoolFix(file: SourceFile, marker: FoundMarker, topology: Topology | undefined): Fix | undefined {
  const { pool } = marker;
  const edits: TextEdit[] = [];
  if (topology && pool.xml) {
    const services = servicesElement(topology);
    if (!services || services.selfClosing || services.end === undefined) return undefined;
    const close = file.text.lastIndexOf('</', services.end);
    let at = close;
    while (at > 0 && (file.text[at - 1] === ' ' || file.text[at - 1] === '\t')) at--;
    const ownLine = at === 0 || file.text[at - 1] === '\n' || file.text[at - 1] === '\r';
    const added = pool.xml.services.map((s) => (/[\r\n]$/.test(s) ? s : s + lineBreakOf(file.text))).join('');
    edits.push({ start: marker.lineStart, end: marker.lineEnd, newText: pool.xml.cluster });
    edits.push(ownLine ? { start: at, end: at, newText: added } : { start: close, end: close, newText: lineBreakOf(file.text) + added });
  } else if (!topology && pool.statements) {
    edits.push({ start: marker.lineStart, end: marker.lineEnd, newText: pool.statements.join('') });
  } else {
    return undefined;
  }
  return {
    id: `KST003:restore:${file.path}:${marker.lineStart}`,
    code: 'KST003',
    title: `Put Trusted Application Pool ${pool.fqdn} and its applications back`,
    preferred: true,
    changes: [{ file, edits }],
    summary: `restored Trusted Application Pool ${pool.fqdn} (${pool.apps.length} application(s)) in ${file.path}`,
  };
}
