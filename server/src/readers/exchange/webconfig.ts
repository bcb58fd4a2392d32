import { span, Token } from '../../text/source';
import { parseXml } from '../../xml/document';
import { xmlOutline } from '../../xml/outline';
import { Reader } from '../reader';

/**
 * An OWA `web.config` with the Exchange 2013 IM keys (`<appSettings><add key="IMServerName" …/>`);
 * only these keys are read. A `web.config` without them is not an input.
 */
export const webConfigReader: Reader = {
  kind: 'owa-web-config',
  what: 'OWA web.config',
  accepts: (_file, root) => root === 'configuration',
  read(file) {
    const doc = parseXml(file);
    const settings = doc.root?.child('appSettings');
    const keys = new Map<string, Token>();
    for (const add of settings?.childrenNamed('add') ?? []) {
      const key = add.attr('key')?.value.toLowerCase();
      const value = add.attr('value');
      if ((key === 'imservername' || key === 'imcertificatethumbprint') && value)
        keys.set(key, { value: value.value, span: span(file, value.valueStart, value.valueEnd) });
    }
    if (keys.size === 0) return undefined;
    const parts = file.path.split(/[\\/]/);
    const folder = parts.length > 1 ? decodeURIComponent(parts[parts.length - 2]) : undefined;
    const anchor = keys.get('imservername')?.span ?? [...keys.values()][0].span;
    const imServerName = keys.get('imservername');
    const thumbprint = keys.get('imcertificatethumbprint');
    return {
      doc,
      error: doc.error,
      problems: [],
      contributes: {
        exchange: [
          {
            file,
            servers: [],
            bindings: [],
            unnamed: [],
            webConfigs: [
              {
                file,
                anchor,
                ...(imServerName ? { imServerName } : {}),
                ...(thumbprint ? { thumbprint } : {}),
                ...(folder ? { folder } : {}),
              },
            ],
          },
        ],
      },
    };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};
