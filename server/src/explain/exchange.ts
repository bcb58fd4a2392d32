import { Fqdn } from '../model/fqdn';
import { KstEntry } from '../simulate/kst';
import { ExchangeServer, isAtLeast2016 } from '../simulate/exchange';
import { Analysis } from '../workspace/analyze';

/** The Exchange server an FQDN names, when the workspace knows it as one. */
export function exchangeServerOf(analysis: Pick<Analysis, 'exchange'>, fqdn: Fqdn): ExchangeServer | undefined {
  const s = analysis.exchange.servers.get(fqdn.split('.')[0]);
  return s && (!s.fqdn || s.fqdn === fqdn) ? s : undefined;
}

/**
 * Two lines on an Exchange server: its version and how it enters the KST; what that means for
 * OWA IM and UM. Shared by the hover and the KST view.
 */
export function exchangeVerdict(analysis: Pick<Analysis, 'kst' | 'exchange'>, s: ExchangeServer): [string, string] {
  const entries: KstEntry[] = s.fqdn ? (analysis.kst.byFqdn.get(s.fqdn) ?? []) : [];
  const live = entries.filter((e) => e.state !== 'removed');
  const um = live.filter((e) => e.origin.kind === 'umDialPlan');
  const pool = live.filter((e) => e.origin.kind !== 'umDialPlan');
  const written = s.product?.token.value.trim();
  const product = s.product
    ? `Exchange ${s.product.year}${written !== String(s.product.year) ? ` (${written})` : ''}`
    : 'Exchange (its version is not in the workspace)';
  const path =
    um.length && pool.length
      ? 'by a SipName dial plan and a trusted pool: both, so RTCSRV drops both (14563)'
      : um.length
        ? `by SipName dial plan ${[...new Set(um.map((e) => (e.origin.kind === 'umDialPlan' ? e.origin.dialPlan : '')))].join(', ')}`
        : pool.length
          ? 'by a trusted application pool'
          : 'not at all';
  const owa = s.owaIm.length > 0 || (isAtLeast2016(s) && analysis.exchange.orgWide.length > 0);
  const meaning = live.some((e) => e.state === 'dropped')
    ? 'UM and OWA IM with it are broken until one of the two goes (Option 1).'
    : live.length > 0
      ? `${owa ? 'OWA IM can sign in' : 'OWA IM is not configured for it'}; ${umMeaning(um.length > 0, s)}.`
      : owa
        ? 'OWA IM is configured but cannot work: Lync does not know the server (EXC001).'
        : 'Lync does not know it: no UM and no OWA IM with Lync.';
  return [`${product}; enters the Known Servers Table ${path}.`, meaning];
}

function umMeaning(viaDialPlan: boolean, s: ExchangeServer): string {
  if (viaDialPlan) return 'UM works with Lync';
  return s.product?.year === 2019 ? 'it has no UM (Exchange 2019)' : 'no UM with Lync';
}
