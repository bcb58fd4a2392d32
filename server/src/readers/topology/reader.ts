import { xmlOutline } from '../../xml/outline';
import { parseXml } from '../../xml/document';
import { Reader } from '../reader';
import { emptyTopology, readTopology, topologyDialect } from './read';

/** Published topologies (`Get-CsTopology -AsXml`) and Topology Builder documents (`.tbxml`), by their root element. */
export const topologyReader: Reader = {
  kind: 'topology',
  what: 'topology',
  comments: 'xml',
  accepts: (_file, root) => root === 'Topology' || root === 'TopologyBuilder',
  read(file) {
    const doc = parseXml(file);
    const topology = topologyDialect(doc.root) ? readTopology(doc) : undefined;
    if (topology) return { doc, error: doc.error, problems: [], contributes: { topologies: [topology] } };
    if (doc.root || !doc.error) return undefined; // another namespace: not a topology
    // Starts like a topology but nothing of it could be read: still one, so XML001 is shown.
    const dialect = /<(?:\w+:)?TopologyBuilder\b/.test(file.text.slice(0, 65536)) ? 'builder' : 'published';
    return { doc, error: doc.error, problems: [], contributes: { topologies: [emptyTopology(file, dialect)] } };
  },
  outline: (input) => (input.doc ? xmlOutline(input.doc) : undefined),
};
