import { span, Token } from '../../text/source';
import { parseXml } from '../../xml/document';
import { isClosed } from '../../xml/element';
import { xmlOutline } from '../../xml/outline';
import { ClixmlObject, hasType, isClixml, listItems, objects, prop, unreadObjects, valueToken } from '../clixml/objects';
import { Problem, Reader } from '../reader';
import { ExchangeExport } from './model';

// Type names of the objects (Exchange cmdlet reference); the UM ones are [inferred] from the cmdlets' output types.
const SERVER = 'ExchangeServer';
const UM_SERVICE = ['UMServer', 'UMService'];
const CALL_ROUTER = ['SIPFEServerConfiguration', 'UMCallRouterSettings'];
const ALL = [SERVER, ...UM_SERVICE, ...CALL_ROUTER];

/** `Get-ExchangeServer`, `Get-UMService` and `Get-UMCallRouterSettings` piped to `Export-Clixml`. */
export const exchangeClixmlReader: Reader = {
  kind: 'exchange-clixml',
  what: 'Exchange export',
  accepts: (_file, root) => root === 'Objs',
  read(file) {
    const doc = parseXml(file);
    const head = file.text.slice(0, 65536);
    const mentions = ALL.some((t) => head.includes(`.${t}<`));
    if (!isClixml(doc.root))
      return !doc.root && doc.error && mentions ? { doc, error: doc.error, problems: [], contributes: { exchange: [] } } : undefined;
    const all = objects(doc.root);
    const ours = (o: ClixmlObject) => ALL.some((t) => hasType(o, t));
    if (!all.some(ours) && !mentions) return undefined;
    const out: ExchangeExport = { file, servers: [], bindings: [], webConfigs: [], unnamed: [] };
    const problems: Problem[] = [];
    for (const o of all) {
      if (!isClosed(o.element) || !ours(o)) continue;
      const member = (name: string): Token | undefined => {
        const t = valueToken(doc, prop(o.props, name));
        return t && t.value.trim() !== '' ? t : undefined;
      };
      const anchor = span(file, o.element.start, o.element.startTagEnd);
      const name = member('Name') ?? member('ServerName') ?? member('Identity');
      if (!name) {
        out.unnamed.push(anchor);
        continue;
      }
      if (hasType(o, SERVER)) {
        const fqdn = member('Fqdn');
        const version = member('AdminDisplayVersion');
        out.servers.push({ anchor, name, ...(fqdn ? { fqdn } : {}), ...(version ? { adminDisplayVersion: version } : {}) });
      } else {
        const kind = UM_SERVICE.some((t) => hasType(o, t)) ? 'UM service' : 'UM call router';
        out.bindings.push({ anchor, kind, server: name, plans: listItems(doc, prop(o.props, 'DialPlans')) });
      }
    }
    problems.push(...unreadObjects(all, ours, 'Exchange export'));
    return { doc, error: doc.error, problems, contributes: { exchange: [out] } };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};
