import { Fqdn } from '../model/fqdn';
import { SourceFile } from '../text/source';
import { Fix } from './model';

export interface NewPool {
  fqdn: Fqdn;
  /** The Registrar pool OWA signs in to (its IMServerName). */
  registrar: string;
  /** The Registrar's site id in the topology, when known. */
  site?: string;
  /** The Lync script the statements are appended to. */
  script: SourceFile;
  /** Exchange 2019 has no UM: the pool is the only way in, for good. */
  noUm: boolean;
}

/**
 * EXC001's fix: the trusted pool and the OWA application an Exchange server needs when nothing
 * else puts it in the KST, appended to the workspace's Lync script as the OWA IM guide writes
 * them, with a comment that says when to take them out again.
 */
export function addPoolFix(p: NewPool): Fix {
  const text = p.script.text;
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  const lead = text === '' || /[\r\n]$/.test(text) ? '' : eol;
  const statements = [
    `# lync-kst: OWA IM on ${p.fqdn} needs this trusted pool: no SipName UM dial plan puts ${p.fqdn} in the Known Servers Table.`,
    p.noUm
      ? `# Exchange 2019 has no Unified Messaging: this pool is the only way ${p.fqdn} enters the table.`
      : `# Remove it (Option 1 of KST001) if ${p.fqdn} later hosts a SipName UM dial plan.`,
    `New-CsTrustedApplicationPool -Identity ${p.fqdn} -Registrar ${p.registrar}${p.site ? ` -Site ${p.site}` : ''} ` +
      `-RequiresReplication $false -ThrottleAsServer $true -TreatAsAuthenticated $true -ComputerFqdn ${p.fqdn}`,
    `New-CsTrustedApplication -ApplicationId OutlookWebApp -TrustedApplicationPoolFqdn ${p.fqdn} -Port 5199`,
  ];
  const inserted = lead + statements.join(eol) + eol;
  return {
    id: `EXC001:add:${p.fqdn}`,
    code: 'EXC001',
    title: `Create Trusted Application Pool ${p.fqdn} and its OWA application in ${p.script.path.split(/[\\/]/).pop()}`,
    preferred: true,
    files: [p.script],
    changes: [
      {
        file: p.script,
        edits: [{ start: text.length, end: text.length, newText: inserted }],
        intent: { removes: [], inserts: [{ text: inserted }], changes: [] },
      },
    ],
    summary: `added Trusted Application Pool ${p.fqdn} and its OutlookWebApp application (port 5199) to ${p.script.path}`,
    subject: p.fqdn,
  };
}
