import { partOf, span, Token } from '../../text/source';
import { parseXml, XmlDocument } from '../../xml/document';
import { isClosed } from '../../xml/element';
import { xmlOutline } from '../../xml/outline';
import { ClixmlObject, hasType, isClixml, objects, prop, unreadObjects, valueToken } from '../clixml/objects';
import { Problem, Reader } from '../reader';
import { ExportedApp, ExportedComputer, ExportedPool, TrustedExport } from './model';

/**
 * Exports of trusted application pools, applications and computers (`Get-CsTrustedApplication… |
 * Export-Clixml`), recognised by their objects' types: one file may hold any mix of the three.
 */
export const trustedExportReader: Reader = {
  kind: 'trusted-clixml',
  what: 'trusted-application export',
  accepts: (_file, root) => root === 'Objs',
  read(file) {
    const doc = parseXml(file);
    const mentions = OBJECT_TYPES.some((t) => file.text.includes(t));
    if (!isClixml(doc.root)) {
      // A trusted-application export cut off before its first object is still one: XML001 says where.
      return !doc.root && doc.error && mentions ? { doc, error: doc.error, problems: [], contributes: { trustedExports: [] } } : undefined;
    }
    const all = objects(doc.root);
    const read = readExport(doc, all);
    const found = read.export.pools.length + read.export.apps.length + read.export.computers.length + read.problems.length;
    if (found === 0 && !mentions) return undefined;
    const problems = [
      ...read.problems,
      ...unreadObjects(all, (o) => OBJECT_TYPES.some((t) => hasType(o, t)), 'trusted-application export'),
    ];
    return { doc, error: doc.error, problems, contributes: { trustedExports: [read.export] } };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};

const OBJECT_TYPES = ['DisplayExternalServer', 'DisplayTrustedApplication', 'DisplayComputer'] as const;

function readExport(doc: XmlDocument, all: ClixmlObject[]): { export: TrustedExport; problems: Problem[] } {
  const out: TrustedExport = { file: doc.file, pools: [], apps: [], computers: [] };
  const problems: Problem[] = [];
  for (const o of all) {
    // An object the file broke off in is not read; XML001 is at the break.
    if (!isClosed(o.element)) continue;
    const missing = (what: string): void => {
      // Never dropped silently: an object lync-kst cannot place is one it cannot simulate.
      problems.push({ code: 'TAP008', start: o.element.start, end: o.element.startTagEnd, message: what });
    };
    if (hasType(o, 'DisplayExternalServer')) {
      const pool = readPool(doc, o);
      if (pool) out.pools.push(pool);
      else missing('This trusted application pool has no PoolFqdn and no Identity with an FQDN, so it is not simulated.');
    } else if (hasType(o, 'DisplayTrustedApplication')) {
      const app = readApp(doc, o);
      if (app) out.apps.push(app);
      else missing('This trusted application has no Identity of the form pool/urn:application:id, so it is not simulated.');
    } else if (hasType(o, 'DisplayComputer')) {
      const computer = readComputer(doc, o);
      if (computer) out.computers.push(computer);
      else missing('This trusted application computer has no Identity or no Pool, so it is not simulated.');
    }
  }
  return { export: out, problems };
}

function readPool(doc: XmlDocument, o: ClixmlObject): ExportedPool | undefined {
  const member = (name: string) => nonEmpty(valueToken(doc, prop(o.props, name)));
  // Identity is a service id (`1-ExternalServer-1`) or `TrustedApplicationPool:<fqdn>`; PoolFqdn is the FQDN.
  const identity = member('Identity');
  const fqdn =
    member('PoolFqdn') ??
    (identity && /^TrustedApplicationPool:/i.test(identity.value) ? after(identity, 'TrustedApplicationPool:') : undefined);
  if (!fqdn) return undefined;
  const registrar = member('Registrar');
  return {
    anchor: span(doc.file, o.element.start, o.element.startTagEnd),
    fqdn,
    ...(registrar ? { registrar: after(registrar, 'Registrar:') } : {}),
    ...optional('requiresReplication', member('RequiresReplication')),
    ...optional('version', member('Version')),
  };
}

function readApp(doc: XmlDocument, o: ClixmlObject): ExportedApp | undefined {
  const member = (name: string) => nonEmpty(valueToken(doc, prop(o.props, name)));
  const identity = member('Identity');
  const slash = identity?.value.indexOf('/') ?? -1;
  const pool = member('TrustedApplicationPoolFqdn') ?? (identity && slash > 0 ? partOf(identity, 0, slash) : undefined);
  const id = member('ApplicationId') ?? (identity && slash > 0 ? partOf(identity, slash + 1, identity.value.length) : undefined);
  if (!pool || !id) return undefined;
  return { anchor: span(doc.file, o.element.start, o.element.startTagEnd), pool, id, ...optional('port', member('Port')) };
}

function readComputer(doc: XmlDocument, o: ClixmlObject): ExportedComputer | undefined {
  const member = (name: string) => nonEmpty(valueToken(doc, prop(o.props, name)));
  const fqdn = member('Fqdn') ?? member('Identity');
  const pool = member('Pool');
  if (!fqdn || !pool) return undefined;
  return { anchor: span(doc.file, o.element.start, o.element.startTagEnd), fqdn, pool: after(pool, 'TrustedApplicationPool:') };
}

function nonEmpty(t: Token | undefined): Token | undefined {
  return t && t.value.trim() !== '' ? t : undefined;
}

function optional<K extends string>(key: K, t: Token | undefined): { [k in K]?: Token } {
  return (t ? { [key]: t } : {}) as { [k in K]?: Token };
}

/** The value without a prefix the cmdlets add (`Registrar:`), its span narrowed when the text is written as it reads. */
function after(t: Token, prefix: string): Token {
  if (!t.value.toLowerCase().startsWith(prefix.toLowerCase())) return t;
  return partOf(t, prefix.length, t.value.length);
}
