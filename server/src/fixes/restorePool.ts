import { Fqdn } from '../model/fqdn';
import { SourceFile } from '../text/source';
import { FoundMarker } from './marker';
import { FileEdit, Fix } from './model';
import { locatePieces, restoreGuards } from './pieces';

/**
 * KST003's fix: put back what Option 1 removed, in every file that holds a marker for the
 * pool: the marker's text in place of the marker, each other piece where it was. On a file
 * left as Option 1 left it, that gives the original bytes back. Returns why not, when a piece's
 * place cannot be found any more.
 */
export function restorePoolFix(fqdn: Fqdn, markers: { file: SourceFile; marker: FoundMarker }[]): Fix | string {
  const changes: FileEdit[] = [];
  let apps = 0;
  for (const { file, marker } of markers) {
    const { pool } = marker;
    const places = locatePieces(file.text, marker, pool.pieces);
    if (typeof places === 'string') return `in ${file.path}, ${places}`;
    changes.push({
      file,
      edits: [
        { start: marker.start, end: marker.end, newText: pool.text },
        ...pool.pieces.map((p, i) => ({ start: places[i], end: places[i], newText: p.text })),
      ],
      intent: {
        removes: [],
        inserts: [{ text: pool.text, parent: pool.parent }, ...pool.pieces.map((p) => ({ text: p.text, parent: p.parent }))],
        changes: [],
      },
      guards: restoreGuards(pool.pieces, places),
    });
    apps = Math.max(apps, pool.apps.length);
  }
  const files = changes.map((c) => c.file.path).join(', ');
  return {
    id: `KST003:restore:${fqdn}`,
    code: 'KST003',
    title: `Put Trusted Application Pool ${fqdn} and its applications back`,
    preferred: true,
    files: changes.map((c) => c.file),
    changes,
    summary: `restored Trusted Application Pool ${fqdn} (${apps} application(s)) in ${files}`,
    subject: fqdn,
  };
}
