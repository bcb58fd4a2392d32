import { Token } from '../text/source';
import { Cluster, speaksSip } from '../topology/model';

/** KST version numbers (REFERENCE §2). 7 and 8 are inferred from ServiceVersion values. */
const PRODUCTS: Record<number, string> = {
  0: 'any',
  5: 'Lync Server 2010',
  6: 'Lync Server 2013',
  7: 'Skype for Business Server 2015',
  8: 'Skype for Business Server 2019',
};

export function productName(version: number): string {
  return PRODUCTS[version] ?? `unknown product (version ${version})`;
}

/** "version 6 (Lync Server 2013)" */
export function describeVersion(version: number): string {
  return `version ${version} (${productName(version)})`;
}

export interface VersionInfo {
  version: number;
  /** True when the files do not say and the configured default was used. */
  assumed: boolean;
  /** Why it was assumed, for messages. */
  why?: string;
  /** The ServiceVersion attribute it came from. */
  token?: Token;
}

/** A cluster's KST version: the highest ServiceVersion among the services that speak SIP on it. */
export function clusterVersion(cluster: Cluster, assumedVersion: number): VersionInfo {
  let best: VersionInfo | undefined;
  for (const s of cluster.services) {
    if (!speaksSip(s) || !s.version) continue;
    const v = Number.parseInt(s.version.value, 10);
    if (Number.isFinite(v) && (!best || v > best.version)) best = { version: v, assumed: false, token: s.version };
  }
  return best ?? { version: assumedVersion, assumed: true, why: 'the topology gives no ServiceVersion' };
}
