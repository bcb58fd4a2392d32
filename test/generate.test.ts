import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { generateTopology, sizeTopology } from './bench/generate';

type Xml = Record<string, unknown>;
const list = (x: unknown): Xml[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]) as Xml[];

/** FQDNs of clusters that host an ExternalServer service, read independently of the generator. */
function trustedPoolFqdns(topology: string): Set<string> {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(topology) as Xml;
  const root = doc.Topology as Xml;
  const byId = new Map<string, string>();
  for (const c of list((root.Clusters as Xml).Cluster)) {
    const id = c.ClusterId as Xml;
    byId.set(`${id.SiteId}/${id.Number}`, c.Fqdn as string);
  }
  const fqdns = new Set<string>();
  for (const s of list((root.Services as Xml).Service)) {
    if ((s.ServiceId as Xml).RoleName !== 'ExternalServer') continue;
    const on = (s.InstalledOn as Xml).ClusterId as Xml;
    const fqdn = byId.get(`${on.SiteId}/${on.Number}`);
    assert.ok(fqdn, 'ExternalServer installed on a known cluster');
    assert.equal(String(s.ServiceVersion), '6');
    fqdns.add(fqdn);
  }
  return fqdns;
}

interface DialPlanFile {
  format: string;
  version: number;
  defaultDomain?: string;
  dialPlans: { name: string; uriType: string; servers: string[] }[];
}

test('topology is well-formed XML with the published-topology root', () => {
  const { topology } = generateTopology({ pools: 6, trustedPools: 4, conflicts: 2, seed: 7 });
  assert.equal(XMLValidator.validate(topology), true);
  assert.match(topology, /<Topology xmlns="urn:schema:Microsoft\.Rtc\.Management\.Deploy\.Topology\.2008"/);
  assert.ok((topology.match(/<CentralSite /g) ?? []).length >= 3, 'several central sites');
});

test('dial plans are valid JSON in the kst-umdialplans format', () => {
  const { dialPlans } = generateTopology({ pools: 6, trustedPools: 4, conflicts: 2, seed: 7 });
  const doc = JSON.parse(dialPlans) as DialPlanFile;
  assert.equal(doc.format, 'kst-umdialplans');
  assert.equal(doc.version, 1);
  assert.ok(doc.dialPlans.filter((p) => p.uriType === 'SipName').length >= 2);
  assert.ok(doc.dialPlans.some((p) => p.uriType === 'TelExtn'));
  for (const p of doc.dialPlans) {
    assert.equal(typeof p.name, 'string');
    assert.ok(p.servers.length > 0 && p.servers.every((s) => typeof s === 'string'));
  }
});

test('output is deterministic for a seed and varies with it', () => {
  const options = { pools: 10, trustedPools: 5, conflicts: 2 };
  assert.deepEqual(generateTopology({ ...options, seed: 3 }), generateTopology({ ...options, seed: 3 }));
  assert.notEqual(generateTopology({ ...options, seed: 3 }).topology, generateTopology({ ...options, seed: 4 }).topology);
});

for (const target of [200_000, 5_000_000]) {
  test(`sizeTopology(${target}) lands within 15% of the size`, () => {
    const options = sizeTopology(target);
    const { topology } = generateTopology(options);
    const bytes = Buffer.byteLength(topology);
    assert.ok(Math.abs(bytes - target) <= 0.15 * target, `${bytes} bytes for a target of ${target}`);
    assert.equal(XMLValidator.validate(topology), true);
  });
}

test('planted conflicts are trusted pools and SipName servers, and only those', () => {
  const options = sizeTopology(200_000);
  const { topology, dialPlans, conflictFqdns } = generateTopology(options);
  assert.equal(conflictFqdns.length, options.conflicts);
  assert.equal(new Set(conflictFqdns).size, conflictFqdns.length);

  const trusted = trustedPoolFqdns(topology);
  assert.equal(trusted.size, options.trustedPools);
  const sipServers = new Set(
    (JSON.parse(dialPlans) as DialPlanFile).dialPlans.filter((p) => p.uriType === 'SipName').flatMap((p) => p.servers),
  );
  for (const fqdn of conflictFqdns) {
    assert.ok(trusted.has(fqdn), `${fqdn} is a trusted pool`);
    assert.ok(sipServers.has(fqdn), `${fqdn} is a SipName server`);
  }
  // Exactly the planted ones: no other trusted pool, and no other topology FQDN, is a SipName server.
  const allTopologyFqdns = new Set([...topology.matchAll(/ Fqdn="([^"]+)"/g)].map((m) => m[1]));
  const overlap = [...sipServers].filter((s) => allTopologyFqdns.has(s)).sort();
  assert.deepEqual(overlap, [...conflictFqdns].sort());
  assert.ok(sipServers.size > conflictFqdns.length, 'also Exchange servers outside the topology');
});

test('rejects impossible option combinations', () => {
  assert.throws(() => generateTopology({ pools: 0, trustedPools: 1, conflicts: 0 }), RangeError);
  assert.throws(() => generateTopology({ pools: 2, trustedPools: 1, conflicts: 2 }), RangeError);
});
